"""Load and validate the language data in lexicons/ into one frozen object.

Every file is checked at load time: YAML syntax, expected shape, duplicate keys or entries,
and regular expressions that compile. Problems raise LexiconError with file:line.
Extra lexicon folders (a user's own slogans, say) are merged over the shipped ones.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import regex
import yaml

from .errors import LexiconError

# libyaml's parser when PyYAML was built with it (the wheels are): start-up reads ~20 YAML files
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = ("count", "money", "rate", "measure")


def shipped_lexicon_dir() -> Path:
    """lexicons/ inside the installed wheel, else the repository's top-level lexicons/."""
    inside = Path(__file__).parent / "lexicons"
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parents[2] / "lexicons"


@dataclass(frozen=True)
class UnitEntry:
    surface: str
    canonical: str
    kind: str
    word_end: bool = False  # a unit only where no Chinese character follows (86分 but not 十分重要, 分别)


@dataclass(frozen=True)
class NamedPattern:
    name: str
    pattern: "regex.Pattern"


@dataclass(frozen=True)
class Lexicons:
    units: dict  # surface -> UnitEntry
    magnitudes: dict  # char -> Decimal
    money_context: tuple
    qualifier_prefix: dict  # word -> qualifier
    qualifier_prefix_blockers: tuple  # words that end in a prefix but are no qualifier (节约, 附近)
    qualifier_infix: dict
    qualifier_suffix: dict
    slogans: tuple
    formula_patterns: tuple  # NamedPattern
    discourse_patterns: tuple  # compiled, matched at the unit's start
    frequency_periods: tuple
    frequency_units: tuple
    chrome_line_patterns: tuple  # compiled
    menu_min_items: int
    link_list_headings: tuple
    link_list_max_chars: int
    menu_max_item_chars: int
    periods: tuple  # (compiled, template)
    change_up: tuple
    change_down: tuple
    change_comparators: tuple
    change_comparator_patterns: tuple
    change_level_markers: tuple
    object_trim: tuple
    rate_suffixes: tuple
    light_verbs: tuple
    person_units: tuple
    existence_verbs: tuple
    stock_predicates: tuple
    breakdown_markers: tuple
    figure_name_suffixes: dict
    casualty_short_forms: dict
    state_count_suffixes: dict
    table_header_units: dict
    table_index_labels: tuple
    table_total_labels: tuple
    progress_verbs: tuple
    completion_verbs: tuple
    measure_suffixes: tuple
    act_nouns: tuple
    weak_verbs: tuple
    modifier_verbs: tuple
    money_heads: tuple
    empty_verbs: tuple
    head_nouns: tuple
    count_names: tuple
    scope_words: tuple
    state_verbs: tuple
    casualty_acts: tuple
    casualty_events: tuple
    problem_states: tuple
    finding_verbs: tuple
    document_nouns: tuple
    issuing_verbs: tuple
    indicators: tuple  # indicators.Indicator
    taxonomy: object  # indicators.Taxonomy: the indicators with unit classes, conversions, signature rules
    status: object  # status.StatusCues: words that make a figure a target, plan, requirement or forecast
    domain_dict: Path
    sources: tuple  # the folders read, in order


def _load_yaml(path: Path):
    """Parse YAML, rejecting duplicate mapping keys and duplicate scalar list items (file:line)."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LexiconError(path, (mark.line + 1) if mark else 0, f"not valid YAML: {exc}") from None
    if root is not None:
        _check_duplicates(path, root)
    return yaml.load(text, Loader=SAFE_LOADER)


def _check_duplicates(path, node):
    if isinstance(node, yaml.MappingNode):
        seen = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise LexiconError(path, key.start_mark.line + 1,
                                       f"duplicate key {key.value!r} (first on line {seen[key.value]})")
                seen[key.value] = key.start_mark.line + 1
            _check_duplicates(path, value)
    elif isinstance(node, yaml.SequenceNode):
        seen = {}
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                if item.value in seen:
                    raise LexiconError(path, item.start_mark.line + 1,
                                       f"duplicate entry {item.value!r} (first on line {seen[item.value]})")
                seen[item.value] = item.start_mark.line + 1
            else:
                _check_duplicates(path, item)


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    return 0


def _compile(path: Path, expression, what: str):
    if not isinstance(expression, str) or not expression:
        raise LexiconError(path, _line_of(path, str(expression)), f"{what} must be a non-empty string")
    try:
        return regex.compile(expression)
    except regex.error as exc:
        raise LexiconError(path, _line_of(path, expression[:20]), f"bad regular expression in {what}: {exc}") from None


def _string_list(path: Path, data, key: str) -> list:
    values = data.get(key, []) if isinstance(data, dict) else []
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise LexiconError(path, _line_of(path, key + ":"), f"{key} must be a list of non-empty strings")
    return values


def _string_map(path: Path, data, key: str, what: str) -> dict:
    mapping = (data.get(key) if isinstance(data, dict) else None) or {}
    if not isinstance(mapping, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise LexiconError(path, _line_of(path, key), f"{key} must map {what}")
    return mapping


def _read_folder(folder: Path) -> dict:
    """Read the lexicon files that exist in one folder, keyed by file name."""
    found = {}
    for name in ("units.yaml", "qualifiers.yaml", "formulas.yaml", "chrome.yaml", "periods.yaml",
                 "change.yaml", "attribution.yaml", "status.yaml"):
        path = folder / name
        if path.is_file():
            found[name] = (path, _load_yaml(path))
    return found


def _merge_lists(*lists: Iterable) -> tuple:
    out, seen = [], set()
    for values in lists:
        for value in values:
            if value not in seen:
                seen.add(value)
                out.append(value)
    return tuple(out)


def _parse_units(path: Path, data) -> tuple[dict, dict, list]:
    if not isinstance(data, dict):
        raise LexiconError(path, 1, "expected a mapping of kind -> unit entries")
    units = {}
    for kind in KINDS:
        for entry in data.get(kind, []) or []:
            if isinstance(entry, str):
                surface, canonical, entry_kind = entry, entry, kind
            elif isinstance(entry, dict) and isinstance(entry.get("surface"), str):
                surface = entry["surface"]
                canonical = entry.get("canonical", surface)
                entry_kind = entry.get("kind", kind)
            else:
                raise LexiconError(path, _line_of(path, str(entry)[:10]), f"bad unit entry {entry!r}")
            if entry_kind not in KINDS:
                raise LexiconError(path, _line_of(path, surface), f"unknown kind {entry_kind!r}")
            if surface in units:
                raise LexiconError(path, _line_of(path, surface), f"unit {surface!r} listed twice")
            units[surface] = UnitEntry(surface, str(canonical), entry_kind,
                                       bool(entry.get("word_end")) if isinstance(entry, dict) else False)
    magnitudes = {}
    for char, value in (data.get("magnitudes") or {}).items():
        magnitudes[str(char)] = Decimal(str(value))
    return units, magnitudes, _string_list(path, data, "money_context")


def load_lexicons(extra_dirs: Iterable[os.PathLike] = ()) -> Lexicons:
    """Load the shipped lexicons, then merge each extra folder over them (lists are unioned)."""
    return _load_cached(tuple(str(Path(d).resolve()) for d in extra_dirs))


@lru_cache(maxsize=8)
def _load_cached(extra_dirs: tuple) -> Lexicons:
    base = shipped_lexicon_dir()
    folders = [base] + [Path(d) for d in extra_dirs]
    for folder in folders:
        if not folder.is_dir():
            raise LexiconError(folder, 0, "lexicon folder not found")
    layers = [_read_folder(folder) for folder in folders]
    shipped = layers[0]
    for required in ("units.yaml", "qualifiers.yaml", "formulas.yaml", "chrome.yaml", "periods.yaml",
                     "change.yaml", "attribution.yaml"):
        if required not in shipped:
            raise LexiconError(base / required, 0, "shipped lexicon file missing")

    units_path, units_data = shipped["units.yaml"]
    units, magnitudes, money_context = _parse_units(units_path, units_data)
    for layer in layers[1:]:
        if "units.yaml" in layer:
            path, data = layer["units.yaml"]
            more, more_magnitudes, more_context = _parse_units(path, data)
            units.update(more)
            magnitudes.update(more_magnitudes)
            money_context = list(_merge_lists(money_context, more_context))

    def layered(name):
        return [layer[name] for layer in layers if name in layer]

    qualifier = {"prefix": {}, "infix": {}, "suffix": {}}
    prefix_blockers = []
    for path, data in layered("qualifiers.yaml"):
        prefix_blockers.append(_string_list(path, data, "prefix_blockers"))
        for position in qualifier:
            for word, value in (data.get(position) or {}).items():
                if value not in ("exact", "approx", "at_least", "at_most"):
                    raise LexiconError(path, _line_of(path, str(word)), f"unknown qualifier {value!r}")
                qualifier[position][str(word)] = value

    slogans, patterns, discourse, periods_freq, units_freq = [], [], [], [], []
    for path, data in layered("formulas.yaml"):
        slogans.append(_string_list(path, data, "slogans"))
        discourse.append([_compile(path, e, "discourse pattern") for e in _string_list(path, data, "discourse_patterns")])
        periods_freq.append(_string_list(path, data, "frequency_periods"))
        units_freq.append(_string_list(path, data, "frequency_units"))
        for entry in data.get("patterns") or []:
            if not isinstance(entry, dict) or "name" not in entry:
                raise LexiconError(path, _line_of(path, str(entry)[:15]), "a pattern needs name and regex")
            patterns.append(NamedPattern(entry["name"], _compile(path, entry.get("regex"), entry["name"])))

    chrome_patterns, menu, link_list_headings, link_list_max_chars = [], {"min_items": 5, "max_item_chars": 6}, [], 60
    for path, data in layered("chrome.yaml"):
        for expression in _string_list(path, data, "line_patterns"):
            chrome_patterns.append(_compile(path, expression, "line pattern"))
        menu.update(data.get("menu_line") or {})
        link_list_headings.append(_string_list(path, data, "link_list_headings"))
        link_list_max_chars = int(data.get("link_list_max_chars", link_list_max_chars))

    periods = []
    for path, data in layered("periods.yaml"):
        if not isinstance(data, list):
            raise LexiconError(path, 1, "expected a list of {regex, period}")
        for entry in data:
            if not isinstance(entry, dict) or "period" not in entry:
                raise LexiconError(path, _line_of(path, str(entry)[:15]), "each period needs regex and period")
            periods.append((_compile(path, entry.get("regex"), "period"), str(entry["period"])))

    change = {key: [] for key in ("up", "down", "comparators", "level_markers")}
    comparator_patterns = []
    for path, data in layered("change.yaml"):
        for key in change:
            change[key].append(_string_list(path, data, key))
        comparator_patterns += [_compile(path, expression, "comparator_patterns")
                                for expression in _string_list(path, data, "comparator_patterns")]

    attribution = {key: [] for key in ("object_trim", "rate_suffixes", "light_verbs",
                                        "person_units", "existence_verbs", "stock_predicates", "breakdown_markers", "table_total_labels", "table_index_labels", "progress_verbs", "completion_verbs", "measure_suffixes",
                                        "act_nouns", "weak_verbs", "modifier_verbs", "money_heads", "empty_verbs", "head_nouns", "count_names", "scope_words", "state_verbs",
                                        "casualty_acts", "casualty_events", "problem_states", "finding_verbs", "document_nouns", "issuing_verbs")}
    figure_names: dict = {}
    table_header_units: dict = {}
    casualty_short_forms: dict = {}
    state_count_suffixes: dict = {}
    for path, data in layered("attribution.yaml"):
        for key in attribution:
            attribution[key].append(_string_list(path, data, key))
        figure_names.update(_string_map(path, data, "figure_name_suffixes", "a unit to a suffix"))
        table_header_units.update(_string_map(path, data, "table_header_units", "a header ending to a unit"))
        casualty_short_forms.update(_string_map(path, data, "casualty_short_forms", "a one-character act to its full form"))
        state_count_suffixes.update(_string_map(path, data, "state_count_suffixes", "a unit to a suffix"))

    from .indicators import merge_taxonomies, parse_indicators

    # a user's file may add indicators or redefine a shipped one (same id)
    taxonomy = merge_taxonomies([parse_indicators(folder / "indicators.yaml", _load_yaml(folder / "indicators.yaml"))
                                 for folder in folders if (folder / "indicators.yaml").is_file()])

    from .status import merge_status, parse_status

    status = merge_status([parse_status(path, data) for path, data in layered("status.yaml")])
    if status is None:
        raise LexiconError(base / "status.yaml", 0, "shipped lexicon file missing")

    domain_dict = base / "domain_dict.txt"
    _check_domain_dict(domain_dict)

    return Lexicons(
        units=units,
        magnitudes=magnitudes,
        money_context=tuple(money_context),
        qualifier_prefix=qualifier["prefix"],
        qualifier_prefix_blockers=_merge_lists(*prefix_blockers),
        qualifier_infix=qualifier["infix"],
        qualifier_suffix=qualifier["suffix"],
        slogans=_merge_lists(*slogans),
        formula_patterns=tuple(patterns),
        discourse_patterns=tuple(p for group in discourse for p in group),
        frequency_periods=_merge_lists(*periods_freq),
        frequency_units=_merge_lists(*units_freq),
        chrome_line_patterns=tuple(chrome_patterns),
        menu_min_items=int(menu["min_items"]),
        link_list_headings=_merge_lists(*link_list_headings),
        link_list_max_chars=link_list_max_chars,
        menu_max_item_chars=int(menu["max_item_chars"]),
        periods=tuple(periods),
        change_up=_merge_lists(*change["up"]),
        change_down=_merge_lists(*change["down"]),
        change_comparators=_merge_lists(*change["comparators"]),
        change_comparator_patterns=tuple(comparator_patterns),
        change_level_markers=_merge_lists(*change["level_markers"]),
        object_trim=_merge_lists(*attribution["object_trim"]),
        rate_suffixes=_merge_lists(*attribution["rate_suffixes"]),
        light_verbs=_merge_lists(*attribution["light_verbs"]),
        person_units=_merge_lists(*attribution["person_units"]),
        existence_verbs=_merge_lists(*attribution["existence_verbs"]),
        stock_predicates=_merge_lists(*attribution["stock_predicates"]),
        breakdown_markers=_merge_lists(*attribution["breakdown_markers"]),
        figure_name_suffixes=figure_names,
        casualty_short_forms=casualty_short_forms,
        state_count_suffixes=state_count_suffixes,
        table_header_units=table_header_units,
        table_total_labels=_merge_lists(*attribution["table_total_labels"]),
        table_index_labels=_merge_lists(*attribution["table_index_labels"]),
        progress_verbs=_merge_lists(*attribution["progress_verbs"]),
        completion_verbs=_merge_lists(*attribution["completion_verbs"]),
        measure_suffixes=_merge_lists(*attribution["measure_suffixes"]),
        act_nouns=_merge_lists(*attribution["act_nouns"]),
        weak_verbs=_merge_lists(*attribution["weak_verbs"]),
        modifier_verbs=_merge_lists(*attribution["modifier_verbs"]),
        money_heads=_merge_lists(*attribution["money_heads"]),
        scope_words=_merge_lists(*attribution["scope_words"]),
        count_names=_merge_lists(*attribution["count_names"]),
        head_nouns=_merge_lists(*attribution["head_nouns"]),
        empty_verbs=_merge_lists(*attribution["empty_verbs"]),
        state_verbs=_merge_lists(*attribution["state_verbs"]),
        casualty_acts=_merge_lists(*attribution["casualty_acts"]),
        casualty_events=_merge_lists(*attribution["casualty_events"]),
        problem_states=_merge_lists(*attribution["problem_states"]),
        finding_verbs=_merge_lists(*attribution["finding_verbs"]),
        document_nouns=_merge_lists(*attribution["document_nouns"]),
        issuing_verbs=_merge_lists(*attribution["issuing_verbs"]),
        indicators=taxonomy.indicators,
        taxonomy=taxonomy,
        status=status,
        domain_dict=domain_dict,
        sources=tuple(str(f) for f in folders),
    )


@lru_cache(maxsize=1)
def load_numerals() -> dict:
    """lexicons/numerals.yaml: when a lone Chinese digit is a numeral (numbers.find_numbers)."""
    path = shipped_lexicon_dir() / "numerals.yaml"
    data = _load_yaml(path)
    if not isinstance(data, dict):
        raise LexiconError(path, 1, "expected a mapping")
    words = _string_list(path, data, "lone_follower_words")
    chars = data.get("lone_follower_chars")
    if not isinstance(chars, str) or not chars:
        raise LexiconError(path, _line_of(path, "lone_follower_chars"), "lone_follower_chars must be a string")
    patterns = _string_list(path, data, "lone_ambiguous")
    for pattern in patterns:
        _compile(path, pattern, "lone_ambiguous")
    return {"lone_follower_words": words, "lone_follower_chars": chars, "lone_ambiguous": patterns}


def _check_domain_dict(path: Path) -> None:
    """jieba's `word freq tag` format: every line well-formed, no word twice."""
    if not path.is_file():
        raise LexiconError(path, 0, "domain dictionary missing")
    seen = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        well_formed = (len(parts) == 1 or len(parts) == 2 and (parts[1].isdigit() or parts[1].isalpha() and parts[1].isascii())
                       or len(parts) == 3 and parts[1].isdigit() and parts[2].isalpha() and parts[2].isascii())
        if not well_formed:
            raise LexiconError(path, number, f"expected 'word [freq] [tag]', got {line!r}")
        if parts[0] in seen:
            raise LexiconError(path, number, f"duplicate word {parts[0]!r} (first on line {seen[parts[0]]})")
        seen[parts[0]] = number
