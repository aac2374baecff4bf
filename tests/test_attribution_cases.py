"""Each attribution rule's examples, positive and negative, from tests/cases/*.jsonl.

A case is one short sentence in the style of a bureau report and one figure in it (located by its
text and its occurrence in the sentence):

- positive: `expect` gives the field values a careful annotator would write (GUIDELINES.md) and
  `decided_by` the rule (or `rule/branch`) that must be recorded in the figure's evidence for a field;
- negative: `not_decided_by` lists the fields the case's rule must NOT decide (a sentence close to a
  positive one, where another reading takes over); it may be a dict field -> [rule names] when the
  rule records its decisions under other names too (rate-name's rate-subject). `expect` is optional.

A case the rules get wrong keeps the right answer and says why in `known_gap`: it runs as a strict
xfail, so the fix that makes it pass announces itself. Every rule of the attribution table, every
named document pass and the main branches of words-before-figure must have at least two positive
cases and one negative case (test_every_rule_has_cases), so a new rule without examples fails here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from reportmine import Pipeline
from reportmine.extraction import EVIDENCE_FIELDS
from reportmine.rules.attribution import RULES
from reportmine.rules.passes import PASS_RULES as PASSES

CASES_DIR = Path(__file__).resolve().parent / "cases"
# the main branches of words-before-figure, each held to the same minimum as a rule
WORDS_BEFORE_BRANCHES = tuple(f"words-before-figure/{branch}" for branch in (
    "noun-phrase", "verb-then-noun", "light-verb", "people-then-act", "verbal-noun-counted",
    "verbal-noun-governs", "money-is-the-act", "event-is-the-act", "progress-then-act", "act-inside-name",
    "meeting-held", "value-since"))
FAMILIES = tuple(RULES) + PASSES + WORDS_BEFORE_BRANCHES
VALUE_FIELDS = ("object", "action", "change", "breakdown", "period", "unit", "kind")
NUMBER_CHARACTERS = set("0123456789.,零〇一二两三四五六七八九十百千万亿")
CASE_KEYS = {"rule", "text", "figure", "occurrence", "expect", "decided_by", "not_decided_by", "note", "known_gap"}


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                case = json.loads(line)
                case["id"] = f"{path.stem}:{number}:{case['rule']}:{case['figure']}"
                cases.append(case)
    return cases


CASES = load_cases()


def is_positive(case: dict) -> bool:
    return "decided_by" in case


def in_family(rule: str, family: str) -> bool:
    """words-before-figure/light-verb is in the families words-before-figure and itself."""
    return rule == family or rule.startswith(family + "/")


def as_param(case: dict):
    marks = [pytest.mark.xfail(strict=True, reason=case["known_gap"])] if case.get("known_gap") else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.fixture(scope="session")
def read_text():
    """One rule pipeline for the session, each distinct text extracted once."""
    pipeline = Pipeline(extractor="rules")
    documents: dict = {}

    def read(text: str):
        if text not in documents:
            documents[text] = pipeline.extract_text(text)
        return documents[text]

    return read


def figure_metric(document, case: dict):
    """The metric whose span covers the case's figure at its occurrence in the text."""
    text, figure = case["text"], case["figure"]
    at = -1
    for _ in range(case.get("occurrence", 1)):
        at = text.find(figure, at + 1)
        assert at >= 0, f"{figure!r} does not occur {case.get('occurrence', 1)} time(s) in the text"
    end = at + len(figure)
    covering = [m for m in document.metrics if m.start <= at and end <= m.end]
    if not covering:
        covering = [m for m in document.metrics if m.start < end and at < m.end]
    found = ", ".join(f"{m.text}@{m.start}" for m in document.metrics)
    assert covering, f"no metric covers {figure!r} at {at} (metrics: {found or 'none'})"
    assert len(covering) == 1, f"several metrics cover {figure!r}: {found}"
    metric = covering[0]
    assert not (metric.start < at and text[at - 1] in NUMBER_CHARACTERS), \
        f"{figure!r} at {at} is the tail of a longer number ({metric.text}): give the whole figure or its occurrence"
    return metric


def describe(metric) -> str:
    rules = {name: evidence.rule for name, evidence in metric.evidence.items()}
    return (f"{metric.text}: object={metric.object!r} action={metric.action!r} change={metric.change} "
            f"breakdown={metric.breakdown} period={metric.period} evidence={rules}")


@pytest.mark.parametrize("case", [as_param(case) for case in CASES])
def test_attribution_case(case, read_text):
    metric = figure_metric(read_text(case["text"]), case)
    seen = describe(metric)
    for name, value in case.get("expect", {}).items():
        assert getattr(metric, name) == value, f"{name}: expected {value!r}; read {seen}"
    for name, rule in case.get("decided_by", {}).items():
        evidence = metric.evidence.get(name)
        assert evidence is not None and evidence.rule == rule, f"{name} should be decided by {rule}; read {seen}"
    not_decided = case.get("not_decided_by", {})
    if isinstance(not_decided, list):
        not_decided = {name: [case["rule"]] for name in not_decided}
    for name, rules in not_decided.items():
        evidence = metric.evidence.get(name)
        assert evidence is None or not any(in_family(evidence.rule, rule) for rule in rules), \
            f"{name} should not be decided by {' or '.join(rules)}; read {seen}"


def test_cases_are_well_formed():
    assert CASES, f"no cases under {CASES_DIR}"
    branches = {f"{family}/" for family in RULES}
    for case in CASES:
        assert set(case) - {"id"} <= CASE_KEYS, f"{case['id']}: unknown keys {set(case) - CASE_KEYS - {'id'}}"
        assert case["rule"] in FAMILIES or case["rule"].startswith(tuple(branches)), f"{case['id']}: unknown rule"
        assert is_positive(case) != ("not_decided_by" in case), f"{case['id']}: give decided_by or not_decided_by"
        assert case["figure"] in case["text"], f"{case['id']}: the figure is not in the text"
        fields = set(case.get("decided_by", {})) | set(case.get("not_decided_by", ()))
        assert fields <= set(EVIDENCE_FIELDS), f"{case['id']}: evidence is kept only for {EVIDENCE_FIELDS}"
        assert set(case.get("expect", {})) <= set(VALUE_FIELDS), f"{case['id']}: unknown field in expect"
        if is_positive(case):
            assert case.get("expect"), f"{case['id']}: a positive case gives the expected values"
    gaps = [case for case in CASES if case.get("known_gap")]
    assert len(gaps) * 4 < len(CASES), f"known gaps should stay well under a quarter: {len(gaps)} of {len(CASES)}"


@pytest.mark.parametrize("family", FAMILIES)
def test_every_rule_has_cases(family):
    """A rule, pass or branch without ≥ 2 positive and ≥ 1 negative working examples fails the suite
    (known gaps are examples of what it does not do yet, so they do not count)."""
    cases = [case for case in CASES if in_family(case["rule"], family) and not case.get("known_gap")]
    positive = [case for case in cases if is_positive(case)]
    negative = [case for case in cases if not is_positive(case)]
    assert len(positive) >= 2 and len(negative) >= 1, \
        f"{family}: {len(positive)} positive and {len(negative)} negative cases in {CASES_DIR} (need 2 and 1)"
