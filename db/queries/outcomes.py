"""Reads of the schools' outcomes per school year (migration 0012), and the activities of the same years.

Outcomes are the schools' own figures, not the activities': the shared filters choose the schools and
the year; partners and activity types do not narrow them. A network's figure for a year sums its
schools' counts, and averages a percent or a figure per pupil weighted by each school's pupils enrolled
(a plain average where a school's enrolled is not given). A few hundred rows at most (schools × years ×
indicators), so the weighting is done here in pandas.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from db.filters import ActivityFilters
from db.indicators import ENROLLED, indicators
from db.models import SchoolOutcome, school_partner_rollup
from db.privacy import is_hidden
from db.queries.activities import activities_by_school_year
from db.queries.frames import frame
from db.queries.rollup_counts import HELD_ONLY

COLUMNS = ["school_year", "indicator", "value", "target"]


def _stored(engine: Engine, school_ids: tuple[int, ...], school_year: int | None) -> pd.DataFrame:
    statement = select(
        SchoolOutcome.school_id,
        SchoolOutcome.school_year,
        SchoolOutcome.indicator,
        SchoolOutcome.value,
        SchoolOutcome.target,
    )
    if school_ids:
        statement = statement.where(SchoolOutcome.school_id.in_(school_ids))
    if school_year is not None:
        statement = statement.where(SchoolOutcome.school_year == school_year)
    return frame(engine, statement)


def _weighted(group: pd.DataFrame, column: str) -> float | None:
    present = group[group[column].notna()]
    if present.empty:
        return None
    weights = present["weight"]
    if weights.notna().all() and weights.sum() > 0:
        return float((present[column] * weights).sum() / weights.sum())
    return float(present[column].mean())


def _combined(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (school year, indicator): counts summed over the schools, rates weighted by enrolled."""
    if rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = rows.astype({"value": float, "target": float})
    enrolled = rows[rows["indicator"] == ENROLLED][["school_id", "school_year", "value"]]
    rows = rows.merge(enrolled.rename(columns={"value": "weight"}), on=["school_id", "school_year"], how="left")
    order = {item.key: position for position, item in enumerate(indicators())}
    units = {item.key: item for item in indicators()}
    combined = []
    for (year, key), group in rows.groupby(["school_year", "indicator"], sort=False):
        item = units.get(str(key))
        if item is None:  # a figure of an indicator no longer declared: not shown
            continue
        if item.counts_people:
            value = float(group["value"].sum())
            targets = group["target"].dropna()
            # A network's target is the schools' together only where each of them set one.
            target = float(targets.sum()) if len(targets) == len(group) else None
        else:
            value = _weighted(group, "value") or 0.0
            target = _weighted(group, "target") if group["target"].notna().all() else None
        combined.append((int(year), str(key), round(value, 2), None if target is None else round(target, 2)))
    result = pd.DataFrame(combined, columns=COLUMNS)
    result["position"] = result["indicator"].map(order)
    return result.sort_values(["school_year", "position"]).drop(columns="position").reset_index(drop=True)


def outcomes(engine: Engine, filters: ActivityFilters) -> pd.DataFrame:
    """The outcomes of the filters' schools (all schools when none is chosen) in the filters' school year,
    or in every year. Columns: school_year, indicator, value, target (None when not set), one row per
    school year and indicator, in the years' and the indicators' declared order."""
    return _combined(_stored(engine, filters.school_ids, filters.school_year))


def outcomes_with_activities(engine: Engine, filters: ActivityFilters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Outcomes chart's data over every school year: (`outcomes`, held activities per school year and
    type as `activities_by_school_year` counts them for the same filters)."""
    every_year = filters.all_years()
    return outcomes(engine, every_year), activities_by_school_year(engine, every_year)


def partner_outcomes(engine: Engine, filters: ActivityFilters, organization_id: int) -> pd.DataFrame:
    """The outcomes of the schools the partner held activities with, in the school years it did (within the
    filters' schools and year). Columns as `outcomes`."""
    rollup = school_partner_rollup
    statement = (
        select(rollup.c.school_id, rollup.c.school_year)
        .where(rollup.c.organization_id == organization_id, rollup.c.status.in_(HELD_ONLY))
        .distinct()
    )
    if filters.school_ids:
        statement = statement.where(rollup.c.school_id.in_(filters.school_ids))
    if filters.school_year is not None:
        statement = statement.where(rollup.c.school_year == filters.school_year)
    pairs = frame(engine, statement)
    if pairs.empty:
        return pd.DataFrame(columns=COLUMNS)
    rows = _stored(engine, tuple(int(s) for s in pairs["school_id"].unique()), filters.school_year)
    rows = rows.merge(pairs, on=["school_id", "school_year"])
    return _combined(rows)


def masked_outcomes(data: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """`outcomes` as a viewer may see them: a count of people below the small-number threshold (db.privacy)
    becomes None, with `hidden` True, so that neither a chart nor a table a viewer gets holds it. A change
    from the year before is not told beside a hidden figure either (the caller's: `hidden` says where)."""
    counts = {item.key for item in indicators() if item.counts_people}
    hidden = [
        key in counts and value is not None and is_hidden(float(value), threshold)
        for key, value in zip(data["indicator"], data["value"], strict=True)
    ]
    shown = data.copy()
    shown["hidden"] = hidden
    shown["value"] = shown["value"].astype(object).where(~shown["hidden"], None)
    return shown
