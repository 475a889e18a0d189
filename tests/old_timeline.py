"""The timeline's rows as charts/builders.py made them before they were computed vectorised (issue 11).

Kept as the reference the new `charts.builders.timeline_frame` is checked against
(tests/test_chart_specs.py): the same rows, the same columns, the same types. Not used by the app.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from charts.builders import MAX_SLOTS, ChartText
from charts.palette import in_palette_order
from i18n.formatting import format_period


def old_with_type_names(data: pd.DataFrame, text: ChartText) -> pd.DataFrame:
    rank = {code: number for number, code in enumerate(in_palette_order([*text.type_names, *data["type_code"]]))}
    return data.assign(
        type_name=data["type_code"].map(lambda c: text.type_names.get(c, c)),
        type_rank=data["type_code"].map(rank),
    )


def old_timeline_frame(events: pd.DataFrame, text: ChartText, lane: str) -> pd.DataFrame:
    t = text.t
    data = old_with_type_names(events, text)
    partners = data.groupby("id")["organization"].agg(lambda names: ", ".join(sorted(set(names))))
    data["organizations"] = data["id"].map(partners)
    if lane == "type":
        data = data.drop_duplicates("id")
        data["lane"] = data["type_name"]
    else:
        data["lane"] = data["organization"]
    data["start"] = pd.to_datetime(data["start_date"])
    last_day = pd.to_datetime(data["end_date"].where(data["end_date"].notna(), data["start_date"]))
    data["end"] = last_day + timedelta(days=1)
    data["one_day"] = data["end"] - data["start"] <= timedelta(days=1)
    data["period"] = [
        format_period(s, e if pd.notna(e) else None, text.lang)
        for s, e in zip(data["start_date"], data["end_date"], strict=True)
    ]
    data["status_name"] = data["status"].map(lambda s: t(f"status.{s}"))
    data = data.sort_values(["lane", "start", "id"]).reset_index(drop=True)
    data["slot"] = old_pack_slots(data)
    return data.drop(columns=["start_date", "end_date"])


def old_pack_slots(data: pd.DataFrame) -> list[int]:
    if data.empty:
        return []
    reach = max((data["end"].max() - data["start"].min()) / 60, timedelta(days=1))
    slots: list[int] = []
    ends_by_lane: dict[str, list[pd.Timestamp]] = {}
    for lane, start, end in zip(data["lane"], data["start"], data["end"], strict=True):
        ends = ends_by_lane.setdefault(lane, [])
        free = next((i for i, busy_until in enumerate(ends) if busy_until <= start), None)
        if free is None:
            free = min(len(ends), MAX_SLOTS - 1)
            if free == len(ends):
                ends.append(start)
        ends[free] = max(ends[free], start + max(end - start, reach))
        slots.append(free)
    return slots
