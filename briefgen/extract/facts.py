"""Facts: dated events and figures in one Doc, for the timeline and for spotting where sources disagree."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from briefgen.config import package_data
from briefgen.extract.dates import DateMention, find_dates
from briefgen.extract.doctext import doc_text, span_tokens
from briefgen.extract.sentences import NEGATIONS, Sentence, content_terms, scope_lexicon

if TYPE_CHECKING:  # spaCy is imported where documents are parsed, not wherever facts are read
    from spacy.tokens import Doc, Token

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
    "dozens": 24,
}
SCALES = {"thousand": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
SCALES.update(k=1e3, tn=1e12)
# an amount written in one token: "64bn", "2.5m", "40k"
SUFFIXED_RE = re.compile(r"(\d+(?:[.,]\d+)?)(k|m|mn|bn|tn)", re.I)
# currencies by symbol and by word: amounts are compared only within one currency
CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "a$": "AUD", "c$": "CAD"}
CURRENCY_WORDS = {
    "dollar": "USD",
    "usd": "USD",
    "pound": "GBP",
    "sterling": "GBP",
    "gbp": "GBP",
    "euro": "EUR",
    "eur": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "rupee": "INR",
}
# words that make a figure approximate or a bound: "about 1bn", "at least 1bn", "more than 300"
HEDGES = {
    "about": "about",
    "around": "about",
    "approximately": "about",
    "roughly": "about",
    "some": "about",
    "nearly": "under",
    "almost": "under",
    "under": "under",
    "up to": "under",
    "less than": "under",
    "fewer than": "under",
    "over": "over",
    "more than": "over",
    "at least": "over",
    "upwards of": "over",
}


@dataclass
class Dated:
    """An event with its date: the clause around a date expression."""

    date: DateMention
    start: int  # the clause
    end: int
    terms: list[str]


@dataclass
class Phase:
    """A step of a change and the year it is set for: "in all ferry depots by 2031", "From 2029, ferries …"."""

    year: int
    start: int  # the step's words and its year in the text
    end: int
    sentence: int  # index into the source's sentences
    terms: list[str]


@dataclass
class Figure:
    """A number with what it counts: "171 aircraft", "7%", "a fine of 80 euros"."""

    value: float
    unit: str  # lemma of what is counted, "percent", or "money USD" (and so on: one per currency)
    about: str  # the noun the figure describes ("fine", "deal"), else the unit as written
    start: int  # the figure in the text
    end: int
    sentence: int  # index into the source's sentences
    hedge: str = ""  # "about", "over" (at least) or "under" (at most) when the text qualifies the figure
    period: str = ""  # the time it is over, normalised: "per year", "next 3 years", "eventually" (see `_period`)
    period_start: int = 0  # ... as written in the text
    period_end: int = 0


@dataclass
class Qualified:
    """A policy noun asserted with a qualifier ("18-month-long ban") or denied ("no formal ban")."""

    lemma: str
    negated: bool
    start: int
    end: int
    sentence: int


@dataclass
class Verdict:
    """A verdict a sentence gives, by a word of `contrasts.yml` `verdicts`: "is illegal" (`holds`), "the rules do not
    outlaw it" (not `holds`)."""

    name: str  # "unlawful"
    holds: bool
    start: int  # the word
    end: int
    sentence: int


@dataclass
class Shown:
    """Text a thing is said to show: "the site shows the words 'Back soon'" (`carriers`: the definite nouns of the
    sentence, "site"; `start`/`end`: the words shown, inside the quote marks)."""

    start: int
    end: int
    sentence: int
    carriers: list[str]


def _clause(doc: Doc, start: int, end: int, sentence: Sentence) -> tuple[int, int]:
    """The clause of a date: its verb's phrase, without coordinated clauses that carry their own date."""
    tokens = list(doc.char_span(start, end, alignment_mode="expand") or [])
    if not tokens:
        return sentence.start, sentence.end
    verb: Token = tokens[0]
    # climb to the clause that has its own subject ("Ukraine asked … to use … on May 13"), stopping at
    # coordinated clauses, which carry their own events
    while (
        verb.head is not verb
        and verb.dep_ not in ("ROOT", "conj", "parataxis")
        and not (verb.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children))
    ):
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return sentence.start, sentence.end
    cut = [c for c in verb.rights if c.dep_ in ("conj", "cc") and c.i > tokens[-1].i]
    right = (cut[0].i - 1) if cut else verb.right_edge.i
    left = verb.left_edge.i
    if verb.dep_ == "conj":
        left = min(c.left_edge.i for c in [verb, *[c for c in verb.lefts]])
    while right > left and (doc[right].is_punct or doc[right].is_space or doc[right].dep_ == "cc"):
        right -= 1
    a, b = doc[left].idx, doc[right].idx + len(doc[right].text)
    a, b = max(a, sentence.start), min(b, sentence.end)
    return (a, b) if len(doc_text(doc)[a:b].split()) >= 4 else (sentence.start, sentence.end)


FUTURE_MODALS = {"will", "'ll", "shall", "wo"}
SCHEDULED = {"schedule", "due", "expect", "set", "plan", "slate"}  # "is due to", "are expected to" + a verb


def said_of_the_future(tokens: list[Token]) -> bool:
    """Whether a clause speaks of what is to come: a future modal ("will meet"), "is to" / "is due to" / "are
    expected to" before a verb, or the present progressive, which news uses for what is scheduled ("is being
    launched on Monday")."""
    for k, t in enumerate(tokens):
        if t.tag_ == "VBG":
            verb = t.head if t.dep_ in ("aux", "auxpass") else t
            if any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") and c.lemma_ == "be" for c in verb.children):
                return True
        if t.tag_ == "MD" and t.lower_ in FUTURE_MODALS:
            return True
        after = tokens[k + 1 : k + 3]
        if (
            (t.lemma_ == "be" or t.lemma_.lower() in SCHEDULED)
            and len(after) == 2
            and after[0].lower_ == "to"
            and after[1].pos_ in ("VERB", "AUX")
        ):
            return True
    return False


def told_in_the_past(doc: Doc, start: int, end: int) -> bool:
    """The verb a date belongs to is in the past tense ("said in Moldova on Wednesday that the policy is
    evolving"): whatever its clause goes on to say of the future, the date is behind."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    verb = span.root
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    return verb.tag_ == "VBD"


def find_dated(doc: Doc, sentences: list[Sentence]) -> list[Dated]:
    out: list[Dated] = []
    for sentence in sentences:
        if not sentence.informative:
            continue
        for date in find_dates(sentence.text):
            start, end = sentence.start + date.start, sentence.start + date.end
            date = DateMention(**{**date.__dict__, "start": start, "end": end})
            a, b = _clause(doc, start, end, sentence)
            clause = doc.char_span(a, b, alignment_mode="expand") or []
            until = re.search(
                r"\b(?:until|till|through|by)\s+(?:the\s+end\s+of\s+)?$",
                doc_text(doc)[max(0, start - 30) : start],
                re.I,
            )
            starting = re.search(  # "… to ban them, starting on June 1": when a rule takes effect is ahead
                r"\b(?:starting|beginning|commencing|effective|taking effect)\s+(?:on\s+|from\s+)?$",
                doc_text(doc)[max(0, start - 30) : start],
                re.I,
            )
            date.future = not told_in_the_past(doc, start, end) and (
                said_of_the_future(list(clause))
                or (bool(until) and not any(t.tag_ == "VBD" for t in clause))
                or bool(starting)
            )
            out.append(Dated(date=date, start=a, end=b, terms=content_terms(clause)))
    return out


# a year set as a deadline or a start: "by 2031", "from 2029", "by the end of 2030", "starting in 2032"
PHASE_RE = re.compile(
    r"\b(?:by|from|until|till|before|no later than|(?:starting|beginning|effective)(?: in| from)?)\s+"
    r"(?:the\s+(?:end|start|beginning|middle|close)\s+of\s+)?((?:19|20)\d\d)\b(?![-/]\d|\s*[-–]\s*\d)",
    re.I,
)
LIST_ITEM_RE = re.compile(r"[*•·▪\-–]\s")
BULLETS = frozenset("*•·▪-–")  # a list item's mark, when the parser made it a sentence of its own
PHASE_MIN_WORDS = 6
PHASE_WORDS = frozenset({"end", "start", "beginning", "middle", "close", "year", "stage", "phase"})  # not the step's


def find_phases(doc: Doc, sentences: list[Sentence]) -> list[Phase]:
    """The steps of a staged change a sentence (or a key-points list item) sets years for. A year that opens
    its stretch governs the words after it ("By 2031, all depots …"); else the words before it, back to the
    previous year ("in depots by 2030, on the quays by 2031")."""
    out: list[Phase] = []
    for index, sentence in enumerate(sentences):
        item = LIST_ITEM_RE.match(sentence.text) or (index and sentences[index - 1].text in BULLETS)
        if not (sentence.informative or item) or sentence.quote_share > 0.5:
            continue
        found = list(PHASE_RE.finditer(sentence.text))
        if not found or len(sentence.text.split()) < PHASE_MIN_WORDS:
            continue
        lead = LIST_ITEM_RE.match(sentence.text)
        previous = lead.end() if lead else 0
        for k, match in enumerate(found):
            opens = not sentence.text[previous : match.start()].strip(" ,;:-–*•")
            if opens:  # the words after the year, to the next
                a, b = match.end(), found[k + 1].start() if k + 1 < len(found) else len(sentence.text)
                shown = (match.start(), b)
            else:
                a, b = previous, match.start()
                shown = (a, match.end())
            previous = match.end()
            span = doc.char_span(sentence.start + a, sentence.start + b, alignment_mode="contract")
            terms = [t for t in content_terms(span or []) if not t.isdigit() and t not in PHASE_WORDS]
            text = sentence.text[shown[0] : shown[1]]
            trimmed = re.sub(r"^(?:[\s,;:–-]|and\b|or\b)+", "", text)
            start = sentence.start + shown[0] + len(text) - len(trimmed)
            end = start + len(trimmed.rstrip(" ,;:–-"))
            if terms:
                out.append(Phase(year=int(match.group(1)), start=start, end=end, sentence=index, terms=terms))
    return out


def parse_number(tokens: list[Token]) -> float | None:
    value: float | None = None
    for t in tokens:
        word = t.lower_.replace(",", "")
        if re.fullmatch(r"\d+(\.\d+)?", word):
            value = float(word) if value is None else value * float(word)
        elif word in NUMBER_WORDS:
            value = NUMBER_WORDS[word] if value is None else value * NUMBER_WORDS[word]
        elif word in SCALES and value is not None:
            value *= SCALES[word]
    return value


def informative_tokens(doc: Doc, sentences: list[Sentence]) -> Iterator[tuple[int, Token]]:
    """(sentence index, token) for every token of the informative sentences."""
    for index, sentence in enumerate(sentences):
        if sentence.informative:
            span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
            for t in span_tokens(span) if span is not None else []:
                yield index, t


def _number_at(doc: Doc, t: Token) -> tuple[float, list[Token]] | None:
    """The value of the number that `t` heads (with its compound parts and a scale word after it), and its tokens."""
    suffixed = SUFFIXED_RE.fullmatch(t.lower_)
    if suffixed:
        return float(suffixed.group(1).replace(",", "")) * SCALES[suffixed.group(2)], [t]
    if not t.like_num or (t.dep_ in ("compound", "quantmod") and t.head.like_num and t.head.i > t.i):
        return None  # a part of a larger number ("2.5" in "2.5 billion"): read with its head
    parts = [c for c in t.children if c.dep_ in ("compound", "quantmod") and c.like_num]
    nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
    scale = [nxt] if nxt is not None and nxt.lower_ in SCALES else []
    # a range ("20-30 million", "20 to 30 million") is read as its lower end: the writer vouches for that much
    low = next((c for c in parts if c.i + 2 < len(doc) and doc[c.i + 1].text in ("-", "–", "to")), None)
    if low is not None:
        value = parse_number([low] + [x for x in [t] + scale if x.lower_ in SCALES])
        return None if value is None else (value, sorted([low, t, *parts, *scale], key=lambda x: x.i))
    number = sorted([t, *parts, *scale], key=lambda x: x.i)
    value = parse_number(number)
    return None if value is None else (value, number)


def _currency(doc: Doc, number: list[Token]) -> tuple[str, Token | None] | None:
    """The currency of an amount (its code) and the currency word after it, if any: a symbol right before the
    number or attached to it ("$2.5 billion", "£1bn"), or a word after it ("3 million dollars")."""
    first, last = number[0], number[-1]
    near = [doc[first.i - 1]] if first.i > 0 else []
    near += [c for t in number for c in t.children if c.pos_ == "SYM" or c.lower_ in CURRENCY_SYMBOLS]
    for t in near:
        if t.lower_ in CURRENCY_SYMBOLS:
            return CURRENCY_SYMBOLS[t.lower_], None
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if after is not None and after.lemma_.lower() in CURRENCY_WORDS:
        return CURRENCY_WORDS[after.lemma_.lower()], after
    return None


# the time an amount is over: a rate ("a year", "annually"), a span ahead ("over the next three years", "within
# five years"), or open ("eventually", "in the long run")
PERIOD_RE = re.compile(
    r"\b(?:(?:a|per|each|every)\s+(?P<rate>year|month|week|day)|(?P<rate_adverb>annual|annually|yearly|monthly|weekly|daily)"
    r"|(?:over|in|within|during)\s+(?:the\s+)?(?:(?P<ahead>next|coming|following)\s+)?(?P<n>\w+)\s+"
    r"(?P<span>years|months|decades)|(?P<open>eventually|in\s+the\s+long\s+(?:run|term)))\b",
    re.I,
)
RATE_ADVERBS = {
    "annual": "year",
    "annually": "year",
    "yearly": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
}
OTHER_CLAUSES = ("conj", "ccomp", "advcl", "relcl", "parataxis", "xcomp")


def _period(doc: Doc, figure: Token) -> tuple[str, int, int]:
    """The time a figure is over, in its own clause (the verb it hangs from, other clauses left out): "per
    year" ("a year", "annual savings of …"), "next 3 years", "few years", "eventually"; with where the text says
    it. "" when it says none."""
    verb = figure
    for _ in range(6):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return "", 0, 0
    keep: list[Token] = []
    todo = [verb]
    while todo:
        t = todo.pop()
        keep.append(t)
        todo.extend(c for c in t.children if c.dep_ not in OTHER_CLAUSES or c.left_edge.i <= figure.i <= c.right_edge.i)
    keep.sort(key=lambda t: t.i)
    text = doc_text(doc)
    found = [m for a, b in _runs(keep) for m in PERIOD_RE.finditer(text, doc[a].idx, doc[b].idx + len(doc[b].text))]
    # a rate reached within a span ("$5m a year within four years") is the rate
    for match in sorted(found, key=lambda m: not (m["rate"] or m["rate_adverb"]))[:1]:
        if match["rate"] or match["rate_adverb"]:
            period = "per " + (match["rate"] or RATE_ADVERBS[match["rate_adverb"].lower()]).lower()
        elif match["span"]:
            n = match["n"].lower()
            n = str(NUMBER_WORDS[n]) if n in NUMBER_WORDS else n
            period = f"{'next ' if match['ahead'] else ''}{n} {match['span'].lower()}"
        else:
            period = "eventually"
        return period, match.start(), match.end()
    return "", 0, 0


def _runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Runs of consecutive token indexes, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for t in tokens:
        if runs and runs[-1][1] == t.i - 1:
            runs[-1] = (runs[-1][0], t.i)
        else:
            runs.append((t.i, t.i))
    return runs


def _hedge(doc: Doc, first: Token) -> str:
    """ "about", "over" or "under" when the words right before the figure qualify it."""
    words = [t.lower_ for t in doc[max(0, first.i - 3) : first.i] if t.pos_ != "SYM"]
    for n in (2, 1):
        if len(words) >= n and " ".join(words[-n:]) in HEDGES:
            return HEDGES[" ".join(words[-n:])]
    return ""


def _described(token: Token) -> Token:
    """The noun a quantity describes: "a fine of 80 euros" is about the fine."""
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ in ("NOUN", "PROPN"):
        return token.head.head
    return token


def _money_use(token: Token) -> str | None:
    """What an amount that names no noun is of, from the words round it: "exporting $5bn" (the verb it is
    the object of) and "4 billion dollars in yearly exports" (the noun it is in)."""
    if token.dep_ == "dobj" and token.head.pos_ == "VERB":
        return token.head.lemma_.lower()
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            noun = next((c for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN"), None)
            if noun is not None:
                return noun.lemma_.lower()
    return None


def find_figures(doc: Doc, sentences: list[Sentence]) -> list[Figure]:
    """Counts, percentages and amounts of money, with what they count and how the text hedges them."""
    out: list[Figure] = []
    taken: set[int] = set()  # tokens already read as part of a figure
    for index, t in informative_tokens(doc, sentences):
        if t.i in taken or t.ent_type_ in ("DATE", "TIME", "ORDINAL"):
            continue
        found = _number_at(doc, t)
        if found is None:
            continue
        value, number = found
        end_token = number[-1]
        nxt = doc[end_token.i + 1] if end_token.i + 1 < len(doc) else None
        money = _currency(doc, number)
        head = end_token if end_token.dep_ == "nummod" else t
        if money is not None:
            code, word = money
            unit = f"money {code}"
            if word is not None:
                end_token, described = word, _described(word)
            else:
                described = _described(head.head if head.dep_ == "nummod" and head.head.pos_ == "NOUN" else head)
            named = described.pos_ in ("NOUN", "PROPN") and described is not t and described is not word
            about = described.lemma_.lower() if named else _money_use(word or head) or unit
        elif nxt is not None and (nxt.text == "%" or nxt.lower_ in ("percent", "pct")):
            unit, about, end_token = "percent", _described(t.head).lemma_.lower(), nxt
        elif nxt is not None and nxt.lower_ == "per" and t.i + 2 < len(doc) and doc[t.i + 2].lower_ == "cent":
            unit, about, end_token = "percent", _described(t.head).lemma_.lower(), doc[t.i + 2]
        elif head.dep_ == "nummod" and head.head.pos_ == "NOUN" and head.head.i > head.i:
            unit = head.head.lemma_.lower()
            end_token = head.head
            about = _described(head.head).lemma_.lower()
        else:
            continue
        taken.update(x.i for x in number)
        start = min(x.idx for x in number)
        first = number[0]
        if money is not None and first.i > 0 and doc[first.i - 1].lower_ in CURRENCY_SYMBOLS:
            first = doc[first.i - 1]
            start = first.idx
        period, period_start, period_end = _period(doc, t)
        out.append(
            Figure(
                value=value,
                unit=unit,
                about=about,
                start=start,
                end=end_token.idx + len(end_token.text),
                sentence=index,
                hedge=_hedge(doc, first),
                period=period,
                period_start=period_start,
                period_end=period_end,
            )
        )
    return out


def find_qualified(doc: Doc, sentences: list[Sentence]) -> list[Qualified]:
    """Policy nouns said not to exist ("no formal ban") or given a qualifier ("her 18-month-long ban")."""
    nouns = scope_lexicon()["prohibition_nouns"]
    out: list[Qualified] = []
    for index, t in informative_tokens(doc, sentences):
        if t.pos_ != "NOUN" or t.lemma_.lower() not in nouns:
            continue
        mods = [c for c in t.lefts if c.dep_ in ("amod", "compound", "nummod", "poss", "det", "neg")]
        negated = any(c.lower_ == "no" for c in mods)
        qualified = [c for c in mods if c.dep_ in ("amod", "compound", "nummod") or c.dep_ == "poss"]
        if not negated and not qualified:
            continue
        first = min([t] + mods, key=lambda x: x.i)
        out.append(
            Qualified(lemma=t.lemma_.lower(), negated=negated, start=first.idx, end=t.idx + len(t.text), sentence=index)
        )
    return out


@lru_cache(maxsize=1)
def verdict_words() -> dict[str, tuple[str, bool]]:
    """lemma -> (verdict, whether the word gives it or its opposite)."""
    out: dict[str, tuple[str, bool]] = {}
    for name, words in package_data("contrasts.yml")["verdicts"].items():
        out.update({w: (name, True) for w in words["says"]})
        out.update({w: (name, False) for w in words["denies"]})
    return out


HEDGE_ADVERBS = frozenset({"potentially", "possibly", "arguably", "probably", "perhaps", "maybe", "likely"})
HEDGE_MODALS = frozenset({"may", "might", "could", "would"})
# hedged, asked, or a rule to come ("will be illegal": what a change makes unlawful is its scope, not a verdict)
NOT_A_VERDICT = HEDGE_ADVERBS | HEDGE_MODALS | FUTURE_MODALS | {"if", "whether"}
PREDICATES = ("ROOT", "acomp", "attr", "oprd", "xcomp", "ccomp", "conj", "relcl", "advcl")


def find_verdicts(doc: Doc, sentences: list[Sentence]) -> list[Verdict]:
    """Verdicts the sources' own sentences give ("it is illegal", "the rules do not outlaw it"), not quotes."""
    words = verdict_words()
    out: list[Verdict] = []
    for index, t in informative_tokens(doc, sentences):
        found = words.get(t.lemma_.lower()) or words.get(t.lower_)
        if found is None or sentences[index].quote_share > 0.5:
            continue
        if t.pos_ == "ADJ" and t.dep_ not in PREDICATES:
            continue  # "illegal parking": what kind, not a verdict
        chain = [t, t.head, t.head.head]  # "is not illegal", "is not held to be illegal"
        children = [c for x in chain for c in x.children]
        if any(c.lower_ in NOT_A_VERDICT for c in children):
            continue
        if t.i > 1 and doc[t.i - 2].lower_ == "if" and doc[t.i - 1].lower_ == "not":
            continue  # "costly, if not illegal"
        negated = any(c.dep_ == "neg" or c.lower_ in NEGATIONS for c in children)
        name, says = found
        out.append(Verdict(name, says != negated, t.idx, t.idx + len(t.text), index))
    return out


@lru_cache(maxsize=1)
def shown_verbs() -> frozenset[str]:
    return frozenset(package_data("contrasts.yml")["shown_by"])


QUOTED_RE = re.compile(r"[“\"]([^”\"\n]{2,400})[”\"]")
QUOTED_AFTER_RE = re.compile(r"\s{0,5}[“\"]([^”\"\n]{2,400})[”\"]")  # the quote a sentence ending in a colon opens


def find_shown(doc: Doc, sentences: list[Sentence]) -> list[Shown]:
    """Text a thing shows, quoted in its sentence after a verb of `contrasts.yml` `shown_by`, or opening right after
    a sentence that ends in a colon ("anyone opening it reads this notice:")."""
    verbs = shown_verbs()
    text = doc_text(doc)
    out: list[Shown] = []
    for index, sentence in enumerate(sentences):
        if not (QUOTED_RE.search(sentence.text) or sentence.text.endswith(":")):
            continue
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        tokens = span_tokens(span) if span is not None else []
        verb = next((t for t in tokens if t.pos_ == "VERB" and t.lemma_.lower() in verbs), None)
        if verb is None:
            continue
        after = verb.idx + len(verb.text)
        match = QUOTED_RE.search(text, after, sentence.end)
        if match is None and sentence.text.endswith(":"):
            match = QUOTED_AFTER_RE.match(text, sentence.end)
        definite = [
            t for t in tokens if t.pos_ == "NOUN" and any(c.lower_ == "the" or c.dep_ == "poss" for c in t.children)
        ]
        carriers = sorted({t.lemma_.lower() for t in definite})
        if match is not None and carriers and len(match.group(1).split()) >= 2:
            out.append(Shown(match.start(1), match.end(1), index, carriers))
    return out
