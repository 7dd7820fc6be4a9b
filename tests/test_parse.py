"""Loading spaCy: imported without its command line, the same pipeline and the same parse as a plain import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TEXT = (
    '"We will not wait," said Ana Lopes, a trader in Porto, on Friday.\n\n'
    "The council's vote, 12 to 3, reopens the bridge to lorries from 1 March."
)

PARSE = """
import json, sys
if sys.argv[1] == "plain":
    import spacy  # spaCy's own import, command line and all
from briefgen.config import default_model
from briefgen.parse import import_spacy, load_model
spacy = import_spacy()
cli_loaded = sorted(m for m in sys.modules if m == "spacy.cli" or m.startswith(("typer", "weasel")))
doc = load_model(default_model())(sys.argv[2])
tokens = [(t.text, t.pos_, t.tag_, t.dep_, t.head.i, t.lemma_, str(t.morph), t.ent_type_) for t in doc]
import spacy.cli
info = spacy.info()
print(json.dumps({"cli_before": cli_loaded, "tokens": tokens, "cli": spacy.cli.__file__,
                  "info": sorted(info)}))
"""


def run(code: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env)


def test_spacy_is_imported_without_its_command_line_and_parses_the_same():
    ours, plain = (run(PARSE, kind, TEXT) for kind in ("briefgen", "plain"))
    assert ours.returncode == 0 and plain.returncode == 0, ours.stderr + plain.stderr
    ours, plain = json.loads(ours.stdout), json.loads(plain.stdout)
    assert ours["cli_before"] == [] and "spacy.cli" in plain["cli_before"]
    assert ours["tokens"] == plain["tokens"] and len(ours["tokens"]) > 20
    # afterwards the command line is spaCy's own, and spacy.info works
    assert ours["cli"] == plain["cli"] and ours["cli"].endswith(os.path.join("spacy", "cli", "__init__.py"))
    assert ours["info"] == plain["info"] and "spacy_version" in ours["info"]


FAKE = {  # a package named spacy, written for this test, whose __init__ asks its CLI for more than `info`
    "spacy/__init__.py": "from .cli.info import info\n{more}",
    "spacy/cli/__init__.py": "import sys\nsys.modules['cli_ran'] = sys\nfrom .info import info\nextra = 'real'\n",
    "spacy/cli/info.py": "def info():\n    return 'real info'\n",
}
CHECK = """
import sys
from briefgen.parse import import_spacy
spacy = import_spacy()
ran = 'cli_ran' in sys.modules
print(getattr(spacy, 'extra', None), ran, spacy.info(), 'cli_ran' in sys.modules)
"""


def fake_spacy(folder: Path, more: str) -> dict:
    for rel, text in FAKE.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text.format(more=more))
    return {**os.environ, "PYTHONPATH": str(folder)}


def test_stand_ins_run_the_real_command_line_when_asked_and_step_aside_when_not_enough(tmp_path):
    only_info = run(CHECK, env=fake_spacy(tmp_path / "a", ""))
    assert only_info.stdout.split() == ["None", "False", "real", "info", "True"], only_info.stderr
    wants_more = run(CHECK, env=fake_spacy(tmp_path / "b", "from .cli import extra\n"))
    assert wants_more.stdout.split() == ["real", "True", "real", "info", "True"], wants_more.stderr
