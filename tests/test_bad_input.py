"""Bad input through the real CLI: one clear line naming the file and the problem, never a traceback."""

from __future__ import annotations

import os

import pytest

from conftest import build_folder, load_briefing, make_briefing, run_cli

GOOD = "Council closes the bridge\n\nThe council voted on Monday to close the old bridge to lorries.\n"


def test_missing_folder(tmp_path):
    result = run_cli("build", tmp_path / "nowhere", "-o", tmp_path / "site")
    assert result.exit_code == 1
    assert "nowhere" in result.output and "not found" in result.output


def test_empty_folder(tmp_path):
    (tmp_path / "briefing").mkdir()
    result = run_cli("build", tmp_path / "briefing", "-o", tmp_path / "site")
    assert result.exit_code == 1
    assert "no articles found" in result.output


def test_binary_file_is_an_error(tmp_path):
    result = build_folder(tmp_path, {"good.txt": GOOD, "photo.txt": bytes(range(256)) * 4})
    assert result.exit_code == 1
    assert "photo.txt" in result.output and "binary" in result.output
    assert not (tmp_path / "site").exists()


def test_malformed_front_matter_is_an_error(tmp_path):
    bad = "---\ntitle: [unclosed\noutlet: X\n---\nBody text that is fine.\n"
    result = build_folder(tmp_path, {"good.txt": GOOD, "bad.md": bad})
    assert result.exit_code == 1
    assert "bad.md" in result.output and "front matter" in result.output


def test_front_matter_wrong_type_names_key(tmp_path):
    bad = "---\ntitle: Fine\npublished: last week\n---\nBody text that is fine.\n"
    result = build_folder(tmp_path, {"bad.md": bad})
    assert result.exit_code == 1
    assert "'published'" in result.output and "bad.md" in result.output


def test_non_utf8_is_decoded_with_a_warning(tmp_path):
    text = "Café owners protest\n\nThe café’s owner said the rent had doubled — again.\n".encode("cp1252")
    result = build_folder(tmp_path, {"latin.txt": text})
    assert result.exit_code == 0
    assert "latin.txt" in result.output and "UTF-8" in result.output
    source = load_briefing(tmp_path / "site")["sources"][0]
    assert "café’s owner" in source["text"] and "—" in source["text"]


def test_bom_and_crlf(tmp_path):
    text = "\ufeffHeadline here\r\n\r\nFirst paragraph of the story.\r\nSecond paragraph of it.\r\n".encode()
    result = build_folder(tmp_path, {"win.txt": text})
    assert result.exit_code == 0
    source = load_briefing(tmp_path / "site")["sources"][0]
    assert source["title"] == "Headline here"
    assert "\r" not in source["text"] and source["text"].startswith("First paragraph")


def test_empty_article_is_skipped_with_a_warning(tmp_path):
    result = build_folder(
        tmp_path, {"good.txt": GOOD, "empty.txt": "", "blank.md": "   \n\n  \n", "head.txt": "Only a title\n"}
    )
    assert result.exit_code == 0
    for name in ("empty.txt", "blank.md", "head.txt"):
        assert name in result.output
    assert [s["path"] for s in load_briefing(tmp_path / "site")["sources"]] == ["good.txt"]


def test_everything_empty_is_an_error(tmp_path):
    result = build_folder(tmp_path, {"empty.txt": ""})
    assert result.exit_code == 1


def test_duplicate_article_warns(tmp_path):
    result = build_folder(tmp_path, {"a.txt": GOOD, "copy of a.txt": GOOD})
    assert result.exit_code == 0
    assert "copy of a.txt" in result.output and "duplicate" in result.output
    assert len(load_briefing(tmp_path / "site")["sources"]) == 1


def test_symlink_outside_is_skipped_unread(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes\n\nThe password is hunter2 and must never be published.\n")
    src = make_briefing(tmp_path / "briefing", {"good.txt": GOOD})
    os.symlink(secret, src / "linked.txt")
    result = run_cli("build", src, "-o", tmp_path / "site")
    assert result.exit_code == 0
    assert "linked.txt" in result.output and "outside" in result.output
    site_text = "".join(p.read_text(errors="ignore") for p in (tmp_path / "site").rglob("*") if p.is_file())
    assert "hunter2" not in site_text


def test_config_wrong_type_names_key_and_file(tmp_path):
    result = build_folder(tmp_path, {"good.txt": GOOD, "briefing.yml": "title: [1, 2]\nmax_file_size: big\n"})
    assert result.exit_code == 1
    assert "Config value 'title'" in result.output and "Config value 'max_file_size'" in result.output
    assert "briefing.yml" in result.output and "2 configuration error" in result.output


def test_config_invalid_yaml(tmp_path):
    result = build_folder(tmp_path, {"good.txt": GOOD, "briefing.yml": "title: 'unclosed\n  x: [\n"})
    assert result.exit_code == 1
    assert "briefing.yml" in result.output and "invalid YAML" in result.output


def test_config_unknown_key_warns_with_suggestion_and_fails_strict(tmp_path):
    files = {"good.txt": GOOD, "briefing.yml": "titel: Bridge\nsources:\n  good.txt:\n    outlett: X\n"}
    result = build_folder(tmp_path, files)
    assert result.exit_code == 0
    assert "'titel'" in result.output and "did you mean 'title'" in result.output
    assert "did you mean 'sources.good.txt.outlet'" in result.output
    strict = run_cli("build", tmp_path / "briefing", "-o", tmp_path / "site2", "--strict")
    assert strict.exit_code == 1 and "strict" in strict.output
    assert not (tmp_path / "site2").exists()


@pytest.mark.parametrize("size_limit, expect", [(100, 1), (10_000, 0)])
def test_size_limit(tmp_path, size_limit, expect):
    result = build_folder(tmp_path, {"good.txt": GOOD * 3, "briefing.yml": f"max_file_size: {size_limit}\n"})
    assert result.exit_code == expect
    if expect:
        assert "good.txt" in result.output and "max_file_size" in result.output


def test_any_encoding_is_read_and_any_script_gets_readable_slugs(tmp_path):
    """A Russian article saved as Windows-1251, a page that declares its charset, text encoded twice (mojibake):
    each read right, with a warning naming the file; a file name in Cyrillic and a name with letters that do not
    decompose (Ł, Ø) get readable slugs."""
    russian = (
        "Паромы возобновят работу\n\n«Мы откроем все маршруты», — заявил Иван Петров, глава порта.\n"
        "Паромы возобновят работу в понедельник, сообщили в порту.\n"
    ).encode("cp1251")
    page = (
        '<html><head><meta charset="windows-1251"><title>Порт открыт</title></head><body><article><h1>Порт открыт'
        "</h1><p>Порт снова открыт для паромов после шторма, сообщили в администрации порта в понедельник.</p>"
        "</article></body></html>"
    ).encode("cp1251")
    twice = "Café reopens\n\nThe café reopened on Monday, its owner said.\n".encode().decode("cp1252").encode()
    named = 'Harbour reopens\n\n"We will reopen every route," said Łukasz Ødegård, the harbour master.\n'.encode()
    result = build_folder(tmp_path, {"паром.txt": russian, "port.html": page, "twice.txt": twice, "named.txt": named})
    assert result.exit_code == 0, result.output
    assert "паром.txt: not valid UTF-8; read as" in result.output and "twice.txt: text encoded twice" in result.output
    data = load_briefing(tmp_path / "site")
    texts = {s["path"]: s["text"] for s in data["sources"]}
    assert "Паромы возобновят работу в понедельник" in texts["паром.txt"]
    assert {s["path"]: s["id"] for s in data["sources"]}["паром.txt"] == "parom"
    notes = {s["path"]: s["notes"] for s in data["sources"]}  # each repair recorded with its source
    assert notes["паром.txt"][0].startswith("not valid UTF-8; read as") and notes["named.txt"] == []
    assert notes["twice.txt"][0].startswith("text encoded twice")
    assert (
        "Reading this file: text encoded twice" in (tmp_path / "site" / "sources" / "twice" / "index.html").read_text()
    )
    assert "Порт снова открыт" in texts["port.html"]
    assert "The café reopened on Monday" in texts["twice.txt"]
    slugs = {p["name"]: p["url_path"] for p in data["people"]}
    assert slugs["Łukasz Ødegård"] == "people/lukasz-odegard/"  # transliterated, not "ukasz-degard"
