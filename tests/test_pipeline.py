"""The pipeline as a library: the stages called in order, without the runtime, on the fixtures' articles."""

from __future__ import annotations

import pickle

from briefgen import pipeline
from briefgen.clean import source_ids
from briefgen.config import default_model, load_config
from briefgen.consolidate import consolidate
from briefgen.load import load_articles
from conftest import FIXTURES, SEEDS


def test_the_plain_pipeline_builds_a_site_in_memory():
    """`pipeline.run` with its plain runner: every stage in this process, the site as bytes, nothing written."""
    config, _ = load_config(SEEDS)
    result = pipeline.run(SEEDS, config, default_model())
    assert len(result.briefing.sources) == 5 and result.briefing.quotes and result.briefing.people
    assert {"index.html", "what-changed/index.html", "briefing.json", "search/index.html"} <= result.files.keys()
    assert all(f"sources/{s.id}/index.html" in result.files for s in result.briefing.sources)
    assert result.warnings == [] and set(result.refs) == {p for p in result.files if p.endswith(".html")}


def test_consolidation_reads_what_extraction_made_and_changes_none_of_it():
    """Consolidation returns new sources and quotes (with summaries, speakers, clusters): the sources and facts
    the earlier stages made are exactly as they were."""
    folder = FIXTURES / "scooters"
    config, _ = load_config(folder)
    articles = load_articles(folder, config).articles
    analysed = pipeline.analyse(default_model(), list(zip(articles, source_ids(articles))))
    sources, facts = [s for s, _ in analysed], [f for _, f in analysed]
    before = pickle.dumps((sources, facts))
    briefing = consolidate("Scooters", None, "model", sources, facts)
    assert pickle.dumps((sources, facts)) == before
    assert any(s.summary for s in briefing.sources) and not any(s.summary for s in sources)
    assert any(q.speaker for q in briefing.quotes) and not any(q.speaker for f in facts for q in f.quotes)
    assert all(q.cluster for q in briefing.quotes)
