"""The bureau x period x indicator panel: one cell per (bureau, region, year, period, indicator).

Periods are never mixed: a figure's period comes from its own words (2023年上半年 -> 2023 H1,
1-10月 -> 2023 YTD-10, 2021年以来 -> the span 2021-2023), else from its document (a half-year
report's figures are H1, any other report's the year it covers). Each period is a row of its own.

When a cell has several candidate figures (repeated mentions count once), the one chosen is, in
order: an outcome over a target, plan, requirement or forecast (status); a total over a part of
one (breakdown: 其中…), unless the part is larger than every whole of its document (then its 其中
divides another column's total); an exact figure over a qualified one; the most recent document;
for counts, money and measures, the largest figure of that document (a total is never smaller
than any of its parts: the year's 30,000 enterprises over one campaign's 86); then the first
mention (a report states its whole before its parts: the province's rate of good-air days, then
a city's); then the surest (confidence). Values are converted to the indicator's unit (亩 -> 公顷,
exactly). Figures are never summed. A cell whose candidates disagree is flagged, with every value and source.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Optional

import pandas as pd

from .indicators import level_of

ROW_KEYS = ["bureau", "region_code", "year", "period"]
# periods that run from January, by the month they end in (H1 is January to June)
CUMULATIVE_END = {"year": 12, "H1": 6, "Q1": 3}
# unit classes (lexicons/indicators.yaml) of measures whose parts add up to their total
ADDITIVE_MEASURES = {"area", "mass", "length", "volume"}
LONG_COLUMNS = ["bureau", "region_code", "year", "period", "indicator", "indicator_source", "value", "unit",
                "status", "qualifier", "candidates", "disagree", "values", "doc", "start", "end", "text", "context",
                "context_start"]


def period_of(period, doc_year, genre=None) -> tuple:
    """(year, period label) of a figure: 'year', 'H1', 'H2', 'Q1'..'Q4', 'YTD-MM' (January to month
    MM), or 'SPAN-YYYY' (since YYYY, up to the year given); (None, None) without a year."""
    if isinstance(period, str) and period[:4].isdigit():
        first = period.split("/")[0]
        last = period.split("/")[-1]
        year = int(last[:4])
        if "/" in period:
            if len(first) == 4 and len(last) == 4:  # 2021年以来 in a 2023 report: 2021-2023
                return (year, "year") if first == last else (year, f"SPAN-{first}")
            months = (first[5:7], last[5:7])
            if months[0] == "01" and months[1].isdigit():
                month = int(months[1])
                return year, {12: "year", 6: "H1", 3: "Q1"}.get(month, f"YTD-{month:02d}")
            return year, f"{first}/{last}"
        label = period[5:] if len(period) > 4 else "year"
        return year, label or "year"
    if doc_year is None or pd.isna(doc_year):
        return None, None
    doc_year = int(doc_year)
    if isinstance(period, str) and "上半年" in period or genre == "half_year_report":
        return doc_year, "H1"
    return doc_year, "year"


def period_order(label) -> tuple:
    """The order of a bureau-year's rows: the whole year first, then the periods from January by
    how far they run (YTD-10, then H1, then Q1), then the others (H2, Q3, spans); so the first row of
    a bureau and year is always its most complete one."""
    end = CUMULATIVE_END.get(label)
    if end is None and isinstance(label, str) and label.startswith("YTD-") and label[4:].isdigit():
        end = int(label[4:])
    return (0, -end, str(label)) if end is not None else (1, 0, str(label))


def document_period(doc_year, genre=None, date=None, explicit=()) -> Optional[str]:
    """The period a document's own "this year" figures describe (今年以来, 全年, no period at all):
    a half-year report's H1; an annual summary's (or speech's) whole year, unless most of its
    stated figures run from January to one month (a summary written in November: 1-10月 on its
    headline figures; its 今年以来 runs to October too); for a page published before December of
    that year (news, interviews), year-to-date: the partial period its other figures state most
    (1-9月 -> YTD-09), else January to its month; for a page without a date, the partial period
    most of its stated figures have (上半年), else the whole year."""
    if doc_year is None or pd.isna(doc_year):
        return None
    if genre == "half_year_report":
        return "H1"
    stated = Counter(label for label in explicit if label != "year")
    # a page whose figures mostly state one part of the year (上半年, 1-10月 on most of them)
    # reports that part, and its 今年以来 runs to the part's end
    mostly_stated = None
    if stated:
        label, count = stated.most_common(1)[0]
        if count * 2 > len(explicit):
            mostly_stated = label
    if genre in ("annual_summary", "speech"):
        # a summary written before the year closed counts its figures to the last month known
        # (1-10月); a half-year or a quarter it names is a comparison, not what it reports
        return mostly_stated if mostly_stated and mostly_stated.startswith("YTD-") else "year"
    if not isinstance(date, str) or not date[:4].isdigit():
        return mostly_stated or "year"
    month = int(date[5:7]) if date[5:7].isdigit() else 12
    if int(date[:4]) != int(doc_year) or month == 12:
        return "year"
    if stated:
        return stated.most_common(1)[0][0]
    return f"YTD-{month:02d}"


def panel(frame: pd.DataFrame, taxonomy=None, form: str = "wide", periods=None,
          outcomes_only: bool = True) -> pd.DataFrame:
    """The panel of a frame of metrics (reportmine.to_frame, or what reportmine extract wrote).

    form "wide": one row per (bureau, region_code, year, period), one column per indicator, the
    full-year row of a bureau-year first; "long": one row per cell with its provenance (doc,
    start, end, text, context), status, how many candidates it had and whether they disagreed.
    periods: the period labels to keep (e.g. ["year"], ["H1"]); all by default.
    outcomes_only: leave out targets, plans, requirements and forecasts (the long form keeps
    them as cells of their own status when False).
    attrs: "units" (each column's unit), "conflicts" (cells whose candidates disagree: every value
    and source), "cells" (the long form, in the wide form).
    """
    if form not in ("wide", "long"):
        raise ValueError(f"form must be 'wide' or 'long', not {form!r}")
    taxonomy = _taxonomy(taxonomy)
    data = _normalized(frame)
    candidates = _candidates(data, taxonomy, outcomes_only)
    # with targets kept, a target is a cell of its own beside the outcome, never a candidate for it
    cells, conflicts = _choose(candidates, ROW_KEYS + ["indicator"] + ([] if outcomes_only else ["status"]))
    if periods is not None:
        cells = cells[cells["period"].isin(list(periods))]
        conflicts = [c for c in conflicts if c["period"] in set(periods)]
    units = {i.id: i.unit for i in taxonomy.indicators}
    units.update({c: u for c, u in zip(cells["indicator"], cells["unit"]) if c not in units})
    if form == "long":
        table = cells.reset_index(drop=True)
        table.attrs["units"] = {c: units.get(c) for c in table["indicator"].unique()}
        table.attrs["conflicts"] = conflicts
        return table
    rows = _document_rows(data, periods)
    wide = cells.pivot_table(index=ROW_KEYS, columns="indicator", values="value", aggfunc="first")
    wide.columns.name = None
    wide = rows.merge(wide.reset_index(), on=ROW_KEYS, how="outer") if len(wide) else rows
    wide["period_order"] = [period_order(p) for p in wide["period"]]
    wide = wide.sort_values(["bureau", "region_code", "year", "period_order", "period"]).drop(columns="period_order")
    wide = wide.reset_index(drop=True)
    # plain records and a frame, not derived frames: pandas copies attrs and compares them
    wide.attrs["units"] = {c: units.get(c) for c in wide.columns if c not in ROW_KEYS}
    wide.attrs["conflicts"] = conflicts
    return wide


def _taxonomy(taxonomy):
    from .indicators import Taxonomy, merge_taxonomies
    from .lexicons import load_lexicons

    if taxonomy is None:
        return load_lexicons().taxonomy
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    # a list of indicators (load_lexicons().indicators): the shipped conversions with them
    shipped = load_lexicons().taxonomy
    return merge_taxonomies([shipped.__class__(indicators=tuple(taxonomy), unit_classes=shipped.unit_classes,
                                               conversions=shipped.conversions, shifters=(), signature_drop_prefixes=(),
                                               signature_drop_actions=())])


def _normalized(frame: pd.DataFrame) -> pd.DataFrame:
    data = frame.copy()
    # a typed frame (read_table: Int64, boolean, string) marks a missing value pd.NA, which has no
    # truth value: plain objects with None here, as in a frame built from records
    for column in data.columns:
        if pd.api.types.is_extension_array_dtype(data[column].dtype):
            data[column] = data[column].astype(object).where(data[column].notna(), None)
    for column in ("bureau", "region_code", "year", "date", "genre"):
        if column not in data.columns and f"doc_{column}" in data.columns:
            data[column] = data[f"doc_{column}"]
    needed = {"bureau", "region_code", "year", "indicator", "value", "period"}
    missing = needed - set(data.columns)
    if missing:
        raise ValueError(f"the results lack columns {sorted(missing)}: pass what reportmine extract wrote")
    defaults = {"repeat_of": None, "breakdown": False, "qualifier": "exact", "status": "outcome", "date": None,
                "genre": None, "confidence": 1.0, "unit": None, "kind": None, "indicator_source": None,
                "doc": None, "start": None, "end": None, "text": None, "sentence": None, "context": None,
                "context_start": None}
    for column, value in defaults.items():
        if column not in data.columns:
            data[column] = value
    data = data[data["repeat_of"].isna() & data["bureau"].notna()].copy()
    data["region_code"] = data["region_code"].fillna("").astype(str)
    data = data.reset_index(drop=True)
    data["mention"] = data.index
    # a period phrase read before the document's year was known (1—9月份, 去年) is filled in with it
    resolver = _period_resolver()
    data["period"] = [resolver.resolve(p, int(y)) if isinstance(p, str) and p[:4] and not p[:4].isdigit()
                      and y is not None and y == y else p for p, y in zip(data["period"], data["year"])]
    data["raw_period"] = data["period"]
    placed = [period_of(p, y, g) for p, y, g in zip(data["period"], data["year"], data["genre"])]
    data["doc_year"] = data["year"]
    data["year"] = [year for year, _ in placed]
    data["period"] = [label for _, label in placed]
    # a figure of "this year" (no period of its own, or the document's year) takes the document's period
    implied = [_implied(p, y) for p, y in zip(data["raw_period"], data["doc_year"])]
    explicit = {}
    for doc, year, doc_year, label, is_implied in zip(data["doc"], data["year"], data["doc_year"], data["period"], implied):
        if not is_implied and year == doc_year:
            explicit.setdefault(doc, []).append(label)
    own = {doc: document_period(y, g, d, explicit.get(doc, ()))
           for doc, y, g, d in zip(data["doc"], data["doc_year"], data["genre"], data["date"])}
    data["doc_period"] = [own.get(doc) for doc in data["doc"]]
    data["period"] = [own[doc] if is_implied and own.get(doc) else label
                      for doc, label, is_implied in zip(data["doc"], data["period"], implied)]
    return data[data["year"].notna()].assign(year=lambda d: d["year"].astype(int))


@lru_cache(maxsize=1)
def _period_resolver():
    from .lexicons import load_lexicons
    from .rules.period import Periods

    return Periods(load_lexicons())


def _implied(period, doc_year) -> bool:
    """Whether a figure's period is only "this year" (今年, 全年, 今年以来 or nothing)."""
    if doc_year is None or pd.isna(doc_year):
        return False
    if not isinstance(period, str) or not period[:4].isdigit():
        return not isinstance(period, str) or "上半年" not in period
    this = str(int(doc_year))
    return period in (this, f"{this}/{this}")


def _candidates(data: pd.DataFrame, taxonomy, outcomes_only: bool) -> pd.DataFrame:
    data = data[data["indicator"].notna()].copy()
    data["status"] = data["status"].fillna("outcome")
    if outcomes_only:
        data = data[data["status"] == "outcome"]
    by_id = {i.id: i for i in taxonomy.indicators}
    values, units, keep = [], [], []
    for indicator, value, unit in zip(data["indicator"], data["value"], data["unit"]):
        column = by_id.get(level_of(indicator))
        if column is None or indicator.endswith(("_change_pct", "_change_pp")):
            # a signature's column keeps its figures' units (家 and 家次 alike); a change in % is in %
            factor, target = Fraction(1), unit
        else:
            factor, target = taxonomy.factor(unit, column.unit), column.unit
            if factor is None and unit in column.units:
                # 家 in a 家次 column: one count, as KEYS-GUIDE has it; a unit that converts (公顷 in
                # a 亩 column) is converted, never relabelled
                factor = Fraction(1)
        keep.append(factor is not None)
        values.append(float(Fraction(Decimal(str(value))) * factor) if factor is not None else None)
        units.append(target)
    data["value"], data["unit"] = values, units
    data = data[keep].copy()
    if "context" in data.columns:
        data["context"] = data["context"].where(data["context"].notna(), data["sentence"])
    data["status_rank"] = (data["status"] != "outcome").astype(int)
    data["part_rank"] = data["breakdown"].fillna(False).astype(bool).astype(int)
    data["exact_rank"] = [0 if q in (None, "exact") or q != q else 1 for q in data["qualifier"]]
    data["date_rank"] = data["date"].fillna("").astype(str)
    data["size_rank"] = [-v if _additive(k, u, taxonomy) else 0 for v, k, u in zip(data["value"], data["kind"], data["unit"])]
    data["confidence_rank"] = -data["confidence"].fillna(1.0).astype(float)
    return data


def _additive(kind, unit, taxonomy) -> bool:
    """Whether parts of the figure add up to it (counts, money, areas, masses, lengths), so the
    largest figure is the only one that can be the total; a rate or a concentration is not."""
    if kind in ("count", "money"):
        return True
    return kind == "measure" and taxonomy.unit_classes.get(unit) in ADDITIVE_MEASURES


def _choose(data: pd.DataFrame, keys: list):
    if data.empty:
        return pd.DataFrame(columns=LONG_COLUMNS), []
    data = _parts_of_another_total(data, keys)
    # the most recent document first; within it the largest additive figure (a total over its parts),
    # else the first mention (the whole is stated before its parts)
    ordered = data.sort_values(
        keys + ["status_rank", "part_rank", "exact_rank", "date_rank", "doc", "size_rank", "mention", "confidence_rank"],
        ascending=[True] * len(keys) + [True, True, True, False, True, True, True, True], na_position="last")
    chosen, conflicts = [], []
    for key, group in ordered.groupby(keys, sort=True, dropna=False):
        first = group.iloc[0]
        values = sorted(set(group["value"]))
        disagree = len(values) > 1
        chosen.append({
            **dict(zip(keys, key)), "status": first["status"], "indicator_source": first["indicator_source"], "value": first["value"],
            "unit": first["unit"], "qualifier": first["qualifier"],
            "candidates": len(group), "disagree": disagree, "values": values, "doc": first["doc"],
            "start": first["start"], "end": first["end"], "text": first["text"], "context": first["context"],
            "context_start": first["context_start"]})
        if disagree:
            conflicts.append({"bureau": key[0], "region_code": key[1], "year": key[2], "period": key[3],
                              "indicator": key[4], "chosen": float(first["value"]), "values": values,
                              "sources": [f"{r.doc}@{r.start}" for r in group.itertuples()]})
    return pd.DataFrame(chosen, columns=LONG_COLUMNS), conflicts


def _parts_of_another_total(data: pd.DataFrame, keys: list) -> pd.DataFrame:
    """A part (其中…) larger than every whole figure of its cell in its document is no part of them:
    its 其中 divides another column's total (其中税收收入39229万元 under the budget revenue, beside a
    smaller tax figure of 15465万元). Such a part competes as a whole; a part smaller than a whole of
    its document, or alone in it, stays a part."""
    additive = data["size_rank"] != 0
    parts = data["part_rank"] == 1
    if not (additive & parts).any():
        return data
    data = data.copy()
    wholes = data[additive & ~parts].groupby(keys + ["doc"], dropna=False)["value"].max()
    for index, row in data[additive & parts].iterrows():
        whole = wholes.get(tuple(row[k] for k in keys + ["doc"]))
        if whole is not None and whole == whole and row["value"] > whole:
            data.at[index, "part_rank"] = 0
    return data


def _document_rows(data: pd.DataFrame, periods: Optional[list]) -> pd.DataFrame:
    """Every document's own bureau-period gets a row, even with no figure in any column (a half-year
    report's row is its H1 row, so no empty full-year row stands before it)."""
    rows = pd.DataFrame({"bureau": data["bureau"], "region_code": data["region_code"],
                         "year": data["doc_year"], "period": data["doc_period"]})
    rows = rows[rows["period"].notna()]
    rows = rows[rows["year"].notna()].drop_duplicates()
    rows["year"] = rows["year"].astype(int)
    if periods is not None:
        rows = rows[rows["period"].isin(list(periods))]
    return rows.reset_index(drop=True)
