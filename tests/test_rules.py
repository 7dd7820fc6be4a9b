"""briefgen's stand-ins for spaCy's attribute ruler and lemmatizer give every token exactly what spaCy's own give."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, TAG

from briefgen.config import default_model
from briefgen.parse import NEEDED_PIPES, load_model
from briefgen.rules import FastAttributeRuler, speed_up
from conftest import FIXTURES, SEEDS

COLUMNS = [POS, TAG, DEP, MORPH, LEMMA, HEAD, ENT_TYPE, ENT_IOB]

# Written for this test: the contractions, colloquial spellings and odd spacing the model's rules single out.
TRICKY = [
    "Y'all gonna wanna see this, but we ain't done yet, the mayor said. C'mon, let's go.\n\nNothin' changed.",
    "It is what it is. There are two ways; there's one left. I'd have done it if I'd known.",
    "\"They gotta decide,\" said Ms. Okafor, 58, who isn't convinced.  Neither am I.\tWe've asked them.",
    "Whether or not the council agrees, the bridge will reopen once repairs finish, albeit slowly, tho late.",
    "He told me. She gave it to you. Do they? They do. Did she have it? She had. Does it matter? It does.",
    "THE  HEADLINE IN CAPITALS\n\n\nA line with trailing spaces   \nand 3,000 numbers, 12.5% of them, in 2024.",
]


def spacy_pipeline():
    nlp = spacy.load(default_model())
    for name in [p for p in nlp.pipe_names if p not in NEEDED_PIPES]:
        nlp.remove_pipe(name)
    return nlp


@pytest.fixture(scope="module")
def pipelines():
    ours = load_model(default_model())
    assert type(ours.get_pipe("attribute_ruler")).__module__ == "briefgen.rules"
    assert type(ours.get_pipe("lemmatizer")).__module__ == "briefgen.rules"
    theirs = spacy_pipeline()
    theirs.add_pipe("briefgen_paragraphs", before="parser")
    return ours, theirs


def assert_same(ours, theirs, texts):
    for text, a, b in zip(texts, ours.pipe(texts), theirs.pipe(texts)):
        left, right = a.to_array(COLUMNS), b.to_array(COLUMNS)
        differ = [
            (a[i].text, a[i].pos_, b[i].pos_, a[i].lemma_, b[i].lemma_, str(a[i].morph), str(b[i].morph))
            for i in range(len(a))
            if (left[i] != right[i]).any()
        ]
        assert not differ, (text[:60], differ[:5])


def test_model_loads_as_spacy_loads_it(pipelines):
    """`load_model` does not build what it would throw away (components briefgen removes, the default tokenizer
    the stored one replaces): the pipes and the tokenizer are the ones spaCy loads."""
    ours, theirs = pipelines
    assert ours.pipe_names == theirs.pipe_names
    # the rules, not the vocabulary (the model is shared in this process: other tests have added strings to it)
    assert ours.tokenizer.to_bytes(exclude=["vocab"]) == theirs.tokenizer.to_bytes(exclude=["vocab"])
    for text in TRICKY:
        assert [(t.text, t.whitespace_) for t in ours.make_doc(text)] == [
            (t.text, t.whitespace_) for t in theirs.make_doc(text)
        ]


def test_same_tokens_on_seeds_fixtures_and_tricky_text(pipelines):
    files = sorted(SEEDS.glob("*")) + sorted(FIXTURES.rglob("*"))
    texts = [p.read_text(encoding="utf-8") for p in files if p.suffix in (".md", ".txt", ".html")]
    assert len(texts) >= 10
    assert_same(*pipelines, TRICKY * 2 + texts)  # twice: the second time from the stand-ins' memory


WORDS = [
    "gon",
    "na",
    "got",
    "ta",
    "let",
    "'s",
    "c'm",
    "on",
    "y'",
    "all",
    "ai",
    "n't",
    "nothin'",
    "is",
    "are",
    "'re",
    "am",
    "have",
    "'ve",
    "do",
    "did",
    "not",
    "there",
    "that",
    "if",
    "it",
    "I",
    "you",
    "me",
    "the",
    "council",
    "said",
    "will",
    "be",
    "be",
    ",",
    ".",
    "\n",
    "  ",
    '"',
    "Okafor",
    "3",
    "which",
    "what",
]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_same_tokens_on_generated_word_salad(pipelines, words):
    assert_same(*pipelines, [" ".join(words)])


def test_rule_order_index_and_operators_on_a_blank_pipeline():
    """Later rules win, `index` picks the token set (negative from the end), IN/NOT_IN/REGEX behave as in spaCy."""
    patterns = [
        {"patterns": [[{"LOWER": {"IN": ["red", "blue"]}}]], "attrs": {"LEMMA": "colour"}},
        {"patterns": [[{"ORTH": "Blue"}]], "attrs": {"LEMMA": "blue-capital"}},
        {
            "patterns": [[{"LOWER": "big"}, {"LOWER": {"REGEX": "^(cat|dog)s?$"}}]],
            "attrs": {"LEMMA": "pet"},
            "index": -1,
        },
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"LEMMA": "space"}},
        {
            "patterns": [[{"LOWER": {"NOT_IN": ["big", "red", "blue", "cat"]}, "IS_PUNCT": False}]],
            "attrs": {"MORPH": "Other=Yes"},
        },
    ]
    texts = ["Big cats and a big dog saw red, Blue and blue  things.", "big", "  ", "cat big dogs Blue"]
    results = []
    for fast in (False, True):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("attribute_ruler")
        ruler.add_patterns(patterns)
        if fast:
            assert speed_up(nlp) == ["attribute_ruler"]
            assert isinstance(nlp.get_pipe("attribute_ruler"), FastAttributeRuler)
        results.append([[(t.lemma_, str(t.morph)) for t in nlp(text)] for text in texts])
    assert results[0] == results[1]
    assert {("pet", "Other=Yes"), ("blue-capital", ""), ("colour", ""), ("space", "Other=Yes")} <= set(results[1][0])


def test_rules_beyond_what_is_reproduced_keep_spacys_component():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"LEMMA": "very"}}])
    assert speed_up(nlp) == []
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"
