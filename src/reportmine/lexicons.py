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
from typing import Iterable, Optional

import regex

from .errors import LexiconError
from .lexicon_files import compile_expression, line_of, load_yaml, shipped_lexicon_dir, string_list, string_map

KINDS = ("count", "money", "rate", "measure")


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
    # words of which every match holds one: a text without any of them is not searched
    requires: tuple = ()


@dataclass(frozen=True)
class GrammarWords:
    """lexicons/grammar.yaml: the function words and word classes the rules' grammar reads."""

    joiners: frozenset
    listed_number_joiners: tuple
    negations: tuple
    verb_group_stops: tuple
    negation_prefixes: frozenset
    class_words: frozenset
    governing_prepositions: frozenset
    since_prepositions: tuple
    list_closers: tuple
    change_fillers: tuple
    handing_fillers: tuple  # between a verb of progress and the verb it hands the act to (实现了)
    respectively: str
    share_verb: str
    share_suffix: str
    share_ratio_noun: str
    share_plan_noun: str
    share_plan_bases: tuple
    share_plan_counts: tuple
    growth_rate_name: str
    age_group_noun: str  # the people of an age group with no noun of their own (50岁以上18人 -> 50岁以上人员)
    aside_openers: tuple
    meeting_endings: tuple
    determiner_units: frozenset
    event_units: frozenset
    ordinal_prefix: str
    patterns: dict  # name -> compiled expression


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
    change_year_on_year: tuple  # compiled: a comparison with the same period a year before
    change_baselines: tuple  # compiled: any other base of a change (a named year in group y)
    change_part_of_year: Optional[regex.Pattern]  # words of part of a year (上半年, 截至6月底)
    benchmark_verbs: tuple
    benchmark_base: object  # compiled pattern, or None
    comparison_adjectives: tuple
    comparison_degree_words: tuple
    change_level_markers: tuple
    level_change_words: tuple
    level_start_times: tuple
    object_trim: tuple
    rate_suffixes: tuple
    acting_rate_suffixes: tuple
    agent_heads: tuple
    generic_measure_words: tuple
    act_formulas: tuple
    light_verbs: tuple
    person_units: tuple
    existence_verbs: tuple
    stock_predicates: tuple
    breakdown_markers: tuple
    figure_name_suffixes: dict
    casualty_short_forms: dict
    state_count_suffixes: dict
    growth_rate_acts: dict
    purpose_verbs: dict  # 支持 -> 资金: money given to what the verb governs is named so
    table_header_units: dict
    table_index_labels: tuple
    table_total_labels: tuple
    progress_verbs: tuple
    completion_verbs: tuple
    measure_suffixes: tuple
    act_nouns: tuple
    weak_verbs: tuple
    causing_verbs: tuple
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
    case_units: tuple
    table_unit_labels: tuple
    same_count_units: tuple
    frame_nouns: tuple
    stock_names: tuple
    implied_noun_choices: tuple
    reporting_verbs: tuple
    flow_heads: tuple
    share_base_verbs: tuple
    adverbial_nouns: tuple  # 全部, 基本: read as nouns by the tagger, adverbs right before a verb
    receiving_verbs: tuple
    attainment_verbs: tuple
    output_heads: tuple
    leading_verbs: tuple
    implied_nouns: dict
    implied_acts: dict
    case_act_objects: dict
    person_act_objects: dict
    team_members: dict
    grammar: GrammarWords
    indicators: tuple  # indicators.Indicator
    taxonomy: object  # indicators.Taxonomy: the indicators with unit classes, conversions, signature rules
    status: object  # status.StatusCues: words that make a figure a target, plan, requirement or forecast
    domain_dict: Path
    sources: tuple  # the folders read, in order


ATTRIBUTION_LISTS = ("object_trim", "rate_suffixes", "acting_rate_suffixes", "agent_heads", "generic_measure_words", "act_formulas", "light_verbs", "person_units", "existence_verbs",
                     "stock_predicates", "breakdown_markers", "table_total_labels", "table_index_labels",
                     "progress_verbs", "completion_verbs", "measure_suffixes", "act_nouns", "weak_verbs",
                     "modifier_verbs", "money_heads", "empty_verbs", "head_nouns", "count_names", "scope_words",
                     "state_verbs", "casualty_acts", "casualty_events", "problem_states", "finding_verbs",
                     "document_nouns", "issuing_verbs", "case_units", "table_unit_labels",
                     "same_count_units", "frame_nouns", "stock_names", "implied_noun_choices", "reporting_verbs", "flow_heads",
                     "attainment_verbs", "receiving_verbs", "share_base_verbs", "adverbial_nouns", "output_heads",
                     "leading_verbs", "causing_verbs")
ATTRIBUTION_MAPS = ("figure_name_suffixes", "table_header_units", "casualty_short_forms", "state_count_suffixes", "growth_rate_acts",
                    "purpose_verbs",
                    "implied_nouns", "implied_acts", "case_act_objects", "person_act_objects", "team_members")
GRAMMAR_LISTS = ("joiners", "listed_number_joiners", "negations", "verb_group_stops", "negation_prefixes",
                 "class_words", "governing_prepositions", "since_prepositions", "list_closers", "change_fillers",
                 "handing_fillers", "meeting_endings", "determiner_units", "event_units", "share_plan_bases", "share_plan_counts",
                 "aside_openers")
GRAMMAR_WORDS = ("respectively", "ordinal_prefix", "share_verb", "share_suffix", "share_ratio_noun", "share_plan_noun",
                 "growth_rate_name", "age_group_noun")
GRAMMAR_PATTERNS = ("share", "reported_months", "list_separator", "adjacent_count", "framing_tail", "table_header_unit",
                    "unit_bracket", "paragraph_number", "listed_ordinal", "whole_before_part", "share_base", "age_group",
                    "point_opener")
# The top-level keys each mapping file may hold: a key that nothing reads is an error, not a silent
# no-op (a misspelt key would otherwise be ignored). periods.yaml and indicators.yaml are lists.
SCHEMA = {
    "units.yaml": ("count", "money", "rate", "measure", "magnitudes", "money_context"),
    "qualifiers.yaml": ("prefix", "prefix_blockers", "infix", "suffix"),
    "formulas.yaml": ("slogans", "patterns", "discourse_patterns", "frequency_periods", "frequency_units"),
    "chrome.yaml": ("line_patterns", "link_list_headings", "link_list_max_chars", "menu_line"),
    "change.yaml": ("up", "down", "comparators", "comparator_patterns", "level_markers", "level_change_words",
                    "level_start_times", "benchmark_verbs", "benchmark_base", "comparison_adjectives", "comparison_degree_words", "year_on_year", "baseline_patterns",
                    "part_of_year"),
    "attribution.yaml": ATTRIBUTION_LISTS + ATTRIBUTION_MAPS,
    "grammar.yaml": GRAMMAR_LISTS + GRAMMAR_WORDS + ("patterns",),
    "numerals.yaml": ("lone_follower_words", "lone_follower_chars", "lone_ambiguous"),
}


def _check_keys(path: Path, data) -> None:
    allowed = SCHEMA.get(path.name)
    if allowed is None or data is None:
        return
    if not isinstance(data, dict):
        raise LexiconError(path, 1, "expected a mapping of keys")
    for key in data:
        if key not in allowed:
            raise LexiconError(path, line_of(path, f"{key}:"),
                               f"key {key!r} is not read by anything (known keys: {', '.join(allowed)})")


def _read_folder(folder: Path) -> dict:
    """Read the lexicon files that exist in one folder, keyed by file name."""
    found = {}
    for name in ("units.yaml", "qualifiers.yaml", "formulas.yaml", "chrome.yaml", "periods.yaml",
                 "change.yaml", "attribution.yaml", "grammar.yaml", "status.yaml"):
        path = folder / name
        if path.is_file():
            data = load_yaml(path)
            _check_keys(path, data)
            found[name] = (path, data)
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
                raise LexiconError(path, line_of(path, str(entry)[:10]), f"bad unit entry {entry!r}")
            if entry_kind not in KINDS:
                raise LexiconError(path, line_of(path, surface), f"unknown kind {entry_kind!r}")
            if surface in units:
                raise LexiconError(path, line_of(path, surface), f"unit {surface!r} listed twice")
            units[surface] = UnitEntry(surface, str(canonical), entry_kind,
                                       bool(entry.get("word_end")) if isinstance(entry, dict) else False)
    magnitudes = {}
    for char, value in (data.get("magnitudes") or {}).items():
        magnitudes[str(char)] = Decimal(str(value))
    return units, magnitudes, string_list(path, data, "money_context")


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
                     "change.yaml", "attribution.yaml", "grammar.yaml"):
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
        prefix_blockers.append(string_list(path, data, "prefix_blockers"))
        for position in qualifier:
            for word, value in (data.get(position) or {}).items():
                if value not in ("exact", "approx", "at_least", "at_most"):
                    raise LexiconError(path, line_of(path, str(word)), f"unknown qualifier {value!r}")
                qualifier[position][str(word)] = value

    slogans, patterns, discourse, periods_freq, units_freq = [], [], [], [], []
    for path, data in layered("formulas.yaml"):
        slogans.append(string_list(path, data, "slogans"))
        discourse.append([compile_expression(path, e, "discourse pattern") for e in string_list(path, data, "discourse_patterns")])
        periods_freq.append(string_list(path, data, "frequency_periods"))
        units_freq.append(string_list(path, data, "frequency_units"))
        for entry in data.get("patterns") or []:
            if not isinstance(entry, dict) or "name" not in entry:
                raise LexiconError(path, line_of(path, str(entry)[:15]), "a pattern needs name and regex")
            unknown = set(entry) - {"name", "regex", "requires"}
            if unknown:
                raise LexiconError(path, line_of(path, str(entry["name"])), f"pattern {entry['name']}: unknown keys {sorted(unknown)}")
            requires = entry.get("requires") or []
            if not isinstance(requires, list) or not all(isinstance(word, str) and word for word in requires):
                raise LexiconError(path, line_of(path, str(entry["name"])), f"pattern {entry['name']}: requires must be a list of words")
            patterns.append(NamedPattern(entry["name"], compile_expression(path, entry.get("regex"), entry["name"]), tuple(requires)))

    chrome_patterns, menu, link_list_headings, link_list_max_chars = [], {"min_items": 5, "max_item_chars": 6}, [], 60
    for path, data in layered("chrome.yaml"):
        for expression in string_list(path, data, "line_patterns"):
            chrome_patterns.append(compile_expression(path, expression, "line pattern"))
        menu.update(data.get("menu_line") or {})
        link_list_headings.append(string_list(path, data, "link_list_headings"))
        link_list_max_chars = int(data.get("link_list_max_chars", link_list_max_chars))

    periods = []
    for path, data in layered("periods.yaml"):
        if not isinstance(data, list):
            raise LexiconError(path, 1, "expected a list of {regex, period}")
        for entry in data:
            if not isinstance(entry, dict) or "period" not in entry:
                raise LexiconError(path, line_of(path, str(entry)[:15]), "each period needs regex and period")
            periods.append((compile_expression(path, entry.get("regex"), "period"), str(entry["period"])))

    change = {key: [] for key in ("up", "down", "comparators", "level_markers", "level_change_words", "benchmark_verbs",
                                  "level_start_times", "comparison_adjectives",
                                  "comparison_degree_words")}
    comparator_patterns, benchmark_base, year_on_year, baseline_patterns, part_of_year = [], None, [], [], None
    for path, data in layered("change.yaml"):
        for key in change:
            change[key].append(string_list(path, data, key))
        comparator_patterns += [compile_expression(path, expression, "comparator_patterns")
                                for expression in string_list(path, data, "comparator_patterns")]
        year_on_year += [compile_expression(path, expression, "year_on_year")
                         for expression in string_list(path, data, "year_on_year")]
        baseline_patterns += [compile_expression(path, expression, "baseline_patterns")
                              for expression in string_list(path, data, "baseline_patterns")]
        if data.get("part_of_year") is not None:
            part_of_year = compile_expression(path, data["part_of_year"], "part_of_year")
        if data.get("benchmark_base") is not None:
            benchmark_base = compile_expression(path, data["benchmark_base"], "benchmark_base")

    attribution = {key: [] for key in ATTRIBUTION_LISTS}
    figure_names: dict = {}
    table_header_units: dict = {}
    casualty_short_forms: dict = {}
    state_count_suffixes: dict = {}
    growth_rate_acts: dict = {}
    purpose_verbs: dict = {}
    implied_nouns: dict = {}
    implied_acts: dict = {}
    act_objects: dict = {"case_act_objects": {}, "person_act_objects": {}}
    team_members: dict = {}
    for path, data in layered("attribution.yaml"):
        for key in attribution:
            attribution[key].append(string_list(path, data, key))
        figure_names.update(string_map(path, data, "figure_name_suffixes", "a unit to a suffix"))
        table_header_units.update(string_map(path, data, "table_header_units", "a header ending to a unit"))
        casualty_short_forms.update(string_map(path, data, "casualty_short_forms", "a one-character act to its full form"))
        state_count_suffixes.update(string_map(path, data, "state_count_suffixes", "a unit to a suffix"))
        growth_rate_acts.update(string_map(path, data, "growth_rate_acts", "a growth rate's name to its change verb"))
        purpose_verbs.update(string_map(path, data, "purpose_verbs", "a verb of purpose to the name of money given to it"))
        implied_nouns.update(string_map(path, data, "implied_nouns", "a unit to the noun it counts"))
        implied_acts.update(string_map(path, data, "implied_acts", "an event to the act its count implies"))
        for key in act_objects:
            act_objects[key].update(string_map(path, data, key, "an act to the things it handles"))
        team_members.update(string_map(path, data, "team_members", "a team's name to its members' name"))

    grammar = _parse_grammar(layered("grammar.yaml"))

    from .indicators import merge_taxonomies, parse_indicators

    # a user's file may add indicators or redefine a shipped one (same id)
    taxonomy = merge_taxonomies([parse_indicators(folder / "indicators.yaml", load_yaml(folder / "indicators.yaml"))
                                 for folder in folders if (folder / "indicators.yaml").is_file()])

    from .status import merge_status, parse_status

    status = merge_status([parse_status(path, data) for path, data in layered("status.yaml")])
    if status is None:
        raise LexiconError(base / "status.yaml", 0, "shipped lexicon file missing")

    domain_dict = base / "domain_dict.txt"
    _check_domain_dict(domain_dict)
    rate_suffixes = set(_merge_lists(*attribution["rate_suffixes"]))
    stray = [s for s in _merge_lists(*attribution["acting_rate_suffixes"]) if s not in rate_suffixes]
    if stray:  # a suffix that is no rate suffix is never read
        raise LexiconError(base / "attribution.yaml", line_of(base / "attribution.yaml", "acting_rate_suffixes"),
                           f"acting_rate_suffixes must be rate_suffixes too: {', '.join(stray)}")

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
        change_year_on_year=tuple(year_on_year),
        change_baselines=tuple(baseline_patterns),
        change_part_of_year=part_of_year,
        benchmark_verbs=_merge_lists(*change["benchmark_verbs"]),
        benchmark_base=benchmark_base,
        comparison_adjectives=_merge_lists(*change["comparison_adjectives"]),
        comparison_degree_words=_merge_lists(*change["comparison_degree_words"]),
        change_level_markers=_merge_lists(*change["level_markers"]),
        level_change_words=_merge_lists(*change["level_change_words"]),
        level_start_times=_merge_lists(*change["level_start_times"]),
        object_trim=_merge_lists(*attribution["object_trim"]),
        rate_suffixes=_merge_lists(*attribution["rate_suffixes"]),
        acting_rate_suffixes=_merge_lists(*attribution["acting_rate_suffixes"]),
        agent_heads=_merge_lists(*attribution["agent_heads"]),
        generic_measure_words=_merge_lists(*attribution["generic_measure_words"]),
        act_formulas=_merge_lists(*attribution["act_formulas"]),
        light_verbs=_merge_lists(*attribution["light_verbs"]),
        person_units=_merge_lists(*attribution["person_units"]),
        existence_verbs=_merge_lists(*attribution["existence_verbs"]),
        stock_predicates=_merge_lists(*attribution["stock_predicates"]),
        breakdown_markers=_merge_lists(*attribution["breakdown_markers"]),
        figure_name_suffixes=figure_names,
        casualty_short_forms=casualty_short_forms,
        state_count_suffixes=state_count_suffixes,
        growth_rate_acts=growth_rate_acts,
        purpose_verbs=purpose_verbs,
        table_header_units=table_header_units,
        table_total_labels=_merge_lists(*attribution["table_total_labels"]),
        table_index_labels=_merge_lists(*attribution["table_index_labels"]),
        progress_verbs=_merge_lists(*attribution["progress_verbs"]),
        completion_verbs=_merge_lists(*attribution["completion_verbs"]),
        measure_suffixes=_merge_lists(*attribution["measure_suffixes"]),
        act_nouns=_merge_lists(*attribution["act_nouns"]),
        weak_verbs=_merge_lists(*attribution["weak_verbs"]),
        causing_verbs=_merge_lists(*attribution["causing_verbs"]),
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
        case_units=_merge_lists(*attribution["case_units"]),
        table_unit_labels=_merge_lists(*attribution["table_unit_labels"]),
        same_count_units=_merge_lists(*attribution["same_count_units"]),
        frame_nouns=_merge_lists(*attribution["frame_nouns"]),
        stock_names=_merge_lists(*attribution["stock_names"]),
        implied_noun_choices=_merge_lists(*attribution["implied_noun_choices"]),
        reporting_verbs=_merge_lists(*attribution["reporting_verbs"]),
        flow_heads=_merge_lists(*attribution["flow_heads"]),
        share_base_verbs=_merge_lists(*attribution["share_base_verbs"]),
        adverbial_nouns=_merge_lists(*attribution["adverbial_nouns"]),
        receiving_verbs=_merge_lists(*attribution["receiving_verbs"]),
        attainment_verbs=_merge_lists(*attribution["attainment_verbs"]),
        output_heads=_merge_lists(*attribution["output_heads"]),
        leading_verbs=_merge_lists(*attribution["leading_verbs"]),
        implied_nouns=implied_nouns,
        implied_acts=implied_acts,
        case_act_objects=act_objects["case_act_objects"],
        person_act_objects=act_objects["person_act_objects"],
        team_members=team_members,
        grammar=grammar,
        indicators=taxonomy.indicators,
        taxonomy=taxonomy,
        status=status,
        domain_dict=domain_dict,
        sources=tuple(str(f) for f in folders),
    )


def _parse_grammar(layers: list) -> GrammarWords:
    """grammar.yaml of every folder: lists unioned in order, single words and patterns replaced by
    a later folder's."""
    lists = {key: [] for key in GRAMMAR_LISTS}
    words, patterns = {}, {}
    for path, data in layers:
        for key in GRAMMAR_LISTS:
            lists[key].append(string_list(path, data, key))
        for key in GRAMMAR_WORDS:
            if key in data:
                if not isinstance(data[key], str) or not data[key]:
                    raise LexiconError(path, line_of(path, key + ":"), f"{key} must be a non-empty string")
                words[key] = data[key]
        named = data.get("patterns") or {}
        if not isinstance(named, dict):
            raise LexiconError(path, line_of(path, "patterns:"), "patterns must map a name to a regular expression")
        for name, expression in named.items():
            patterns[name] = compile_expression(path, expression, f"pattern {name}")
    path = layers[0][0]
    for key in GRAMMAR_WORDS:
        if key not in words:
            raise LexiconError(path, 0, f"{key} is missing")
    for name in GRAMMAR_PATTERNS:
        if name not in patterns:
            raise LexiconError(path, line_of(path, "patterns:"), f"pattern {name} is missing")
    for name in patterns:
        if name not in GRAMMAR_PATTERNS:
            raise LexiconError(path, line_of(path, f"{name}:"), f"pattern {name!r} is not read by anything")
    merged = {key: _merge_lists(*values) for key, values in lists.items()}
    as_set = ("joiners", "negation_prefixes", "class_words", "governing_prepositions", "determiner_units", "event_units")
    return GrammarWords(**{key: frozenset(value) if key in as_set else value for key, value in merged.items()},
                        **words, patterns=patterns)


@lru_cache(maxsize=1)
def load_numerals() -> dict:
    """lexicons/numerals.yaml: when a lone Chinese digit is a numeral (numbers.find_numbers)."""
    path = shipped_lexicon_dir() / "numerals.yaml"
    data = load_yaml(path)
    _check_keys(path, data)
    words = string_list(path, data, "lone_follower_words")
    chars = data.get("lone_follower_chars")
    if not isinstance(chars, str) or not chars:
        raise LexiconError(path, line_of(path, "lone_follower_chars"), "lone_follower_chars must be a string")
    patterns = string_list(path, data, "lone_ambiguous")
    for pattern in patterns:
        compile_expression(path, pattern, "lone_ambiguous")
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
