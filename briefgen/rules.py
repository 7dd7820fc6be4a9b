"""Exact, faster stand-ins for two of spaCy's rule-based components: the attribute ruler and the lemmatizer.

Both are pure functions of a few attributes of each token (the ruler of tag, lowercase form, dependency...; the
lemmatizer of form, part of speech and morphology), but spaCy evaluates them token by token in Python through
its general Matcher: in a small English model they cost a fifth of the whole parse. Here each distinct
combination of those attributes is worked out once (by the same rules, the lemmas by the lemmatizer itself) and
remembered, and the attributes are set with spaCy's own setter, in spaCy's order (later rules win). A model whose
rules use anything beyond equality, IN, NOT_IN and REGEX on plain token attributes keeps spaCy's components.
`tests/test_rules.py` checks that every token gets the same attributes as with spaCy's own."""

from __future__ import annotations

import re

# String-valued token attributes a rule may test, and boolean ones; anything else keeps spaCy's ruler.
STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "ENT_TYPE")
BOOL_ATTRS = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_STOP", "LIKE_NUM")


MEMO_LIMIT = 200_000  # entries per memo; a long-running `serve` starts a full one afresh


def _remember(memo: dict, key, value):
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


class Unsupported(Exception):
    """A rule this module does not reproduce exactly."""


def _spec(token_spec: dict) -> list[tuple[str, str, object]]:
    """One pattern token as (attribute, operator, operand) tests on the values `to_array` gives."""
    from spacy.strings import get_string_id

    tests = []
    for key, value in token_spec.items():
        attr = key.upper() if isinstance(key, str) else key
        attr = "ORTH" if attr == "TEXT" else attr
        if attr in BOOL_ATTRS and isinstance(value, bool):
            tests.append((attr, "==", int(value)))
        elif attr not in STRING_ATTRS:
            raise Unsupported(f"attribute {key!r}")
        elif isinstance(value, str):
            tests.append((attr, "==", get_string_id(value)))
        elif isinstance(value, dict) and len(value) == 1:
            ((op, operand),) = value.items()
            if (
                op in ("IN", "NOT_IN")
                and isinstance(operand, (list, tuple))
                and all(isinstance(v, str) for v in operand)
            ):
                tests.append((attr, op, frozenset(get_string_id(v) for v in operand)))
            elif op == "REGEX" and isinstance(operand, str):
                tests.append((attr, "REGEX", re.compile(operand)))
            else:
                raise Unsupported(f"operator {op!r}")
        else:
            raise Unsupported(f"value {value!r}")
    return tests


# Attributes with many values (word forms): rules testing them for equality or membership are looked up by value.
OPEN_ATTRS = ("ORTH", "LOWER", "NORM", "LEMMA", "SHAPE")


class FastAttributeRuler:
    """Does what the given spaCy AttributeRuler does. Each token's rules are found from the values of the
    attributes the rules test: rules on closed attributes (tag, dependency...) by a table of every combination
    seen, rules naming word forms by the form, the few others by testing them."""

    def __init__(self, ruler):
        from spacy.attrs import IDS

        self.attrs = ruler.attrs  # normalized by spaCy, one per rule, in the order the rules were added
        self.strings = ruler.vocab.strings
        if len(ruler.patterns) != len(self.attrs):
            raise Unsupported("rules and attributes disagree")
        self.patterns = []  # (rule, tests per token, index of the token the rule sets)
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if not pattern or not all(isinstance(t, dict) for t in pattern):
                    raise Unsupported("pattern shape")
                index = entry.get("index", 0)
                if not -len(pattern) <= index < len(pattern):
                    raise Unsupported("index outside its pattern")
                self.patterns.append((rule, [_spec(t) for t in pattern], index % len(pattern)))
        used = sorted({attr for _, tests, _ in self.patterns for token in tests for attr, _, _ in token})
        self.column_ids = [IDS[a] for a in used]
        self.position = {a: i for i, a in enumerate(used)}
        self.closed = [i for i, a in enumerate(used) if a not in OPEN_ATTRS]
        # what a token may start: every pattern's first token, as ("rule", n) for one-token patterns and
        # ("multi", k) for the first token of longer ones
        self.multi = [(rule, tests, index) for rule, tests, index in self.patterns if len(tests) > 1]
        starts = [(("rule", rule), tests[0]) for rule, tests, _ in self.patterns if len(tests) == 1]
        starts += [(("multi", k), tests[0]) for k, (_, tests, _) in enumerate(self.multi)]
        self.on_closed = []  # tests only closed attributes: decided by the closed values alone
        self.by_value: dict[tuple, list] = {}  # (open attribute, value) -> starts that need it
        self.others = []  # the rest (an open attribute under NOT_IN or REGEX only): tested on every token
        for what, spec in starts:
            keyed = next(
                ((attr, op, operand) for attr, op, operand in spec if attr in OPEN_ATTRS and op in ("==", "IN")), None
            )
            if keyed is not None:
                attr, op, operand = keyed
                for value in [operand] if op == "==" else operand:
                    self.by_value.setdefault((self.position[attr], value), []).append((what, spec))
            elif all(attr not in OPEN_ATTRS for attr, _, _ in spec):
                self.on_closed.append((what, spec))
            else:
                self.others.append((what, spec))
        self.open_positions = sorted({p for p, _ in self.by_value})
        self._closed_memo: dict[tuple, list] = {}
        self._start_memo: dict[tuple, tuple] = {}
        self._fits: dict[tuple, bool] = {}
        self._merged: dict[tuple, dict] = {}
        self._regex: dict[tuple, bool] = {}

    def _test(self, key: tuple, tests) -> bool:
        for attr, op, operand in tests:
            value = key[self.position[attr]]
            if op == "==":
                if value != operand:
                    return False
            elif op == "IN":
                if value not in operand:
                    return False
            elif op == "NOT_IN":
                if value in operand:
                    return False
            else:
                memo = (operand.pattern, value)
                found = self._regex.get(memo)
                if found is None:
                    found = _remember(self._regex, memo, bool(operand.search(self.strings[value])))
                if not found:
                    return False
        return True

    def _start(self, key: tuple) -> tuple:
        """(rules matched by this token alone, longer patterns whose first token it matches)"""
        found = self._start_memo.get(key)
        if found is not None:
            return found
        closed = tuple(key[i] for i in self.closed)
        matched = self._closed_memo.get(closed)
        if matched is None:
            matched = self._closed_memo[closed] = [what for what, spec in self.on_closed if self._test(key, spec)]
        matched = list(matched)
        for position in self.open_positions:
            for what, spec in self.by_value.get((position, key[position]), ()):
                if self._test(key, spec):
                    matched.append(what)
        matched += [what for what, spec in self.others if self._test(key, spec)]
        found = (
            tuple(sorted({n for kind, n in matched if kind == "rule"})),
            tuple(sorted({n for kind, n in matched if kind == "multi"})),
        )
        _remember(self._start_memo, key, found)
        return found

    def _fits_at(self, keys: list[tuple], start: int, tests) -> bool:
        if start + len(tests) > len(keys):
            return False
        for offset, spec in enumerate(tests[1:], 1):
            memo = (id(spec), keys[start + offset])
            fits = self._fits.get(memo)
            if fits is None:
                fits = _remember(self._fits, memo, self._test(keys[start + offset], spec))
            if not fits:
                return False
        return True

    def _attrs_for(self, rules: tuple) -> dict:
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in rules:  # in rule order: a later rule overrides an earlier one, as in spaCy
                merged.update(self.attrs[rule])
            self._merged[rules] = merged
        return merged

    def __call__(self, doc):
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        keys = [tuple(row) for row in doc.to_array(self.column_ids).reshape(len(doc), -1).tolist()]
        later: dict[int, list[int]] = {}  # rules of longer patterns, by the token they set
        starts = [self._start(key) for key in keys]
        for i, (_, multi) in enumerate(starts):
            for k in multi:
                rule, tests, index = self.multi[k]
                if self._fits_at(keys, i, tests):
                    later.setdefault(i + index, []).append(rule)
        for i, (rules, _) in enumerate(starts):
            if i in later:
                rules = tuple(sorted(set(rules) | set(later[i])))
            if rules:
                set_token_attrs(doc[i], self._attrs_for(rules))
        return doc


class FastLemmatizer:
    """Does what the given spaCy Lemmatizer (rule or lookup mode) does, remembering each form's lemma."""

    def __init__(self, lemmatizer):
        if getattr(lemmatizer, "mode", None) not in ("rule", "lookup"):
            raise Unsupported(f"lemmatizer mode {getattr(lemmatizer, 'mode', None)!r}")
        self.lemmatizer = lemmatizer
        self.strings = lemmatizer.vocab.strings
        self._lemmas: dict[tuple, int] = {}
        self._checked = False
        _index_as_sets(lemmatizer)

    def __call__(self, doc):
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not self._checked:  # the first document goes through spaCy's component, which checks its tables
            self._checked = True
            return self.lemmatizer(doc)
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        overwrite = self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                found = self._lemmas.get(key)
                if found is None:
                    found = _remember(self._lemmas, key, self.strings.add(self.lemmatizer.lemmatize(doc[i])[0]))
                lemmas[i] = found
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def _index_as_sets(lemmatizer) -> None:
    """spaCy's rule lemmatizer keeps each part of speech's word list as a Python list and asks `form in index`
    for every candidate form: a scan of up to 57,000 nouns, nine tenths of the lemmatizer's time. The stand-in
    owns the component (it is out of the pipeline), so its lists become sets with the same members: the same
    answers, at once. Nothing else in spaCy's rule lemmatizer reads the index."""
    if lemmatizer.mode != "rule" or not lemmatizer.lookups.has_table("lemma_index"):
        return
    index = lemmatizer.lookups.get_table("lemma_index")
    for key, words in list(index.items()):
        if isinstance(words, list) and all(isinstance(word, str) for word in words):
            index[key] = frozenset(words)


def speed_up(nlp) -> list[str]:
    """Swap in the stand-ins where the model's components allow it; names of the components replaced."""
    from spacy.language import Language

    if not Language.has_factory(FACTORY):
        Language.factory(FACTORY, func=_take_pending)
    replaced = []
    for name, wrap in (("attribute_ruler", FastAttributeRuler), ("lemmatizer", FastLemmatizer)):
        if name not in nlp.pipe_names:
            continue
        try:
            _PENDING.append(wrap(nlp.get_pipe(name)))
        except Unsupported:
            continue
        nlp.add_pipe(FACTORY, name=f"{name}_fast", after=name)
        nlp.remove_pipe(name)
        nlp.rename_pipe(f"{name}_fast", name)
        replaced.append(name)
    return replaced


FACTORY = "briefgen_rules"
_PENDING: list = []  # the stand-in `speed_up` is adding, handed to the factory


def _take_pending(nlp, name):
    if not _PENDING:
        raise ValueError(f"'{FACTORY}' components are added by briefgen.rules.speed_up only")
    return _PENDING.pop()
