"""`briefgen export` and the Python API, driven as a user drives them, on briefings written for the tests."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import briefgen
from conftest import FIXTURES, load_briefing, make_briefing, run_cli

SCOOTERS = FIXTURES / "scooters"


def read_csv(path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode())  # spreadsheet programs read the accents right
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_writes_the_briefing_as_tables_that_match_briefing_json(tmp_path):
    assert run_cli("build", SCOOTERS, "-o", tmp_path / "site").exit_code == 0
    data = load_briefing(tmp_path / "site")
    result = run_cli("export", SCOOTERS, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "claims.csv",
        "divergences.csv",
        "quotes.csv",
        "timeline.csv",
    ]
    quotes = read_csv(tmp_path / "out" / "quotes.csv")
    names = {p["id"]: p["name"] for p in data["people"]}
    assert [(q["id"], q["quote"], q["speaker"]) for q in quotes] == [
        (q["id"], q["text"], names.get(q["speaker"], "")) for q in data["quotes"]
    ]
    outlets = {s["id"]: s["outlet"] for s in data["sources"]}
    assert all(q["outlet"] == outlets[q["source"]] for q in quotes)
    timeline = read_csv(tmp_path / "out" / "timeline.csv")
    assert [t["date"] for t in timeline] == [t["iso"] for t in data["timeline"]]
    claims = read_csv(tmp_path / "out" / "claims.csv")
    assert [c["support"] for c in claims] == [str(c["support"]) for c in data["claims"]]
    divergences = read_csv(tmp_path / "out" / "divergences.csv")
    assert {d["says"] for d in divergences} >= {"80 euros", "100 euros"}


def test_export_markdown_and_json_and_cells_that_look_like_formulas(tmp_path):
    src = make_briefing(
        tmp_path / "b",
        {
            "one.txt": 'Harbour *fees* [rise] <b>\n\n"=HYPERLINK(\\"http://example.org\\") is not a formula here," said Laura '
            "Bennett, of the harbour board, on Monday. The *fees* rise by 5% on 1 June.\n",
            "two.txt": "Fees up at the harbour\n\nThe harbour board raised its fees by 5% on Monday, Laura Bennett "
            "said.\n",
        },
    )
    assert run_cli("export", src, "-o", tmp_path / "md", "--format", "md").exit_code == 0
    brief = (tmp_path / "md" / "brief.md").read_text()
    assert brief.startswith("# b\n") and "## Sources" in brief
    assert "Harbour \\*fees\\* \\[rise\\] \\<b\\>" in brief  # article text is never read as markup
    assert run_cli("export", src, "-o", tmp_path / "json", "--format", "json").exit_code == 0
    assert json.loads((tmp_path / "json" / "briefing.json").read_text())["title"] == "b"
    assert run_cli("export", src, "-o", tmp_path / "csv").exit_code == 0
    cells = [cell for row in read_csv(tmp_path / "csv" / "quotes.csv") for cell in row.values()]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells) and not any(c.startswith("=") for c in cells)


def test_export_errors_are_one_line_and_write_nothing(tmp_path):
    (tmp_path / "file").write_text("x")
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "export", str(SCOOTERS), "-o", str(tmp_path / "file")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and result.stderr.strip().splitlines() == [
        f"Error: {tmp_path / 'file'}: not a folder; give a folder to export into"
    ]
    warned = make_briefing(tmp_path / "warned", {"briefing.yml": "bogus: 1\n", "a.txt": "Ferries\n\nThe ferry left.\n"})
    strict = run_cli("export", warned, "-o", tmp_path / "out", "--strict")
    assert strict.exit_code == 1 and "strict mode" in strict.output and "Config value 'bogus'" in strict.output
    missing = run_cli("export", tmp_path / "nowhere", "-o", tmp_path / "out")
    assert missing.exit_code == 1 and "briefing folder not found" in missing.output
    assert not (tmp_path / "out").exists()


def test_the_python_api_analyses_without_a_site_and_builds_one(tmp_path):
    briefing = briefgen.analyse(SCOOTERS)
    assert {s.id for s in briefing.sources} == {"courier", "gazette", "wire"}
    assert any(q.speaker for q in briefing.quotes) and briefing.scope.applies
    assert not (SCOOTERS / "site").exists()
    result = briefgen.build(SCOOTERS, tmp_path / "site")
    assert load_briefing(tmp_path / "site")["title"] == briefing.title == result.briefing.title
