"""Chart builders, checked by the Vega-Lite spec they produce: data, encodings, titles, colours and locale."""

import re
from datetime import date, timedelta
from typing import Any

import pandas as pd
import pytest
import vl_convert

from charts import builders as charts
from charts import images, palette, registry
from db.filters import ActivityFilters
from i18n import translator

TYPE_NAMES = {
    "bg": {"round_table": "кръгла маса", "training": "обучение", "donation": "дарение", "other": "друго"},
    "en": {"round_table": "round table", "training": "training", "donation": "donation", "other": "other"},
}


def text(lang: str = "bg") -> charts.ChartText:
    return charts.ChartText(translator(lang), lang, TYPE_NAMES[lang])


def data_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    (values,) = spec["datasets"].values()
    return values  # type: ignore[no-any-return]


BY_ORGANIZATION = pd.DataFrame(
    [
        (1, "largo", "Ларго", "Сдружение „Ларго“", "round_table", 2, 80, 20),
        (1, "largo", "Ларго", "Сдружение „Ларго“", "donation", 1, 50, 50),
        (2, "adra", "АДРА", "Фондация „АДРА“", "donation", 3, 90, 60),
    ],
    columns=["organization_id", "slug", "short_name", "name", "type_code", "activities", "participants", "pupils"],
)


def test_organization_chart_stacks_types_in_their_own_colours() -> None:
    spec = charts.organization_chart(BY_ORGANIZATION, text()).to_dict()
    encoding = spec["encoding"]
    assert encoding["y"]["field"] == "short_name"
    assert (encoding["x"]["aggregate"], encoding["x"]["field"]) == ("sum", "activities")
    assert encoding["x"]["title"] == "Брой дейности"
    assert encoding["color"]["scale"] == {
        "domain": ["кръгла маса", "дарение"],
        "range": [palette.TYPE_COLORS["round_table"], palette.TYPE_COLORS["donation"]],
    }
    assert [(r["short_name"], r["type_name"], r["activities"]) for r in data_of(spec)] == [
        ("Ларго", "кръгла маса", 2),
        ("Ларго", "дарение", 1),
        ("АДРА", "дарение", 3),
    ]


def test_organization_chart_offers_a_selection_by_organization() -> None:
    spec = charts.organization_chart(BY_ORGANIZATION, text()).to_dict()
    assert spec["params"] == [
        {"name": charts.ORGANIZATION_PICK, "select": {"type": "point", "fields": ["organization_id"]}}
    ]


def test_charts_speak_english_too() -> None:
    spec = charts.organization_chart(BY_ORGANIZATION, text("en")).to_dict()
    assert spec["encoding"]["x"]["title"] == "Activities"
    assert spec["encoding"]["color"]["title"] == "Activity type"
    assert spec["config"]["locale"]["time"]["months"][3] == "April"


BY_MONTH = pd.DataFrame(
    {
        "month": ["2013-10", "2014-04", "2014-04"],
        "type_code": ["training", "round_table", "donation"],
        "activities": [1, 2, 1],
    }
)


def test_month_chart_of_a_school_year_has_every_month_from_september() -> None:
    spec = charts.month_chart(BY_MONTH, text(), school_year=2013).to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == [
        "сеп 2013", "окт 2013", "ное 2013", "дек 2013", "яну 2014", "фев 2014",
        "март 2014", "апр 2014", "май 2014", "юни 2014", "юли 2014", "авг 2014",
    ]  # fmt: skip
    assert [r["month_label"] for r in data_of(spec)] == ["окт 2013", "апр 2014", "апр 2014"]
    assert spec["config"]["locale"]["time"]["months"][3] == "април"


def test_month_chart_of_all_years_sums_each_month_of_the_school_year() -> None:
    spec = charts.month_chart(BY_MONTH, text("en")).to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"][:2] == ["September", "October"]
    # The months need no axis title: the chart's own title says they sum every year (and fits a phone).
    assert spec["encoding"]["x"]["title"] is None
    title = translator("en")(registry.chart_spec("by_month").title_key(ActivityFilters()))
    assert title == "Activities by month of the school year, all years together"
    assert [r["month_label"] for r in data_of(spec)] == ["October", "April", "April"]


def test_the_same_type_keeps_its_colour_whatever_else_is_shown() -> None:
    alone = charts.organization_chart(BY_ORGANIZATION[BY_ORGANIZATION.type_code == "donation"], text()).to_dict()
    assert alone["encoding"]["color"]["scale"]["range"] == [palette.TYPE_COLORS["donation"]]


def test_school_year_chart_labels_years_as_reports_do() -> None:
    rows = pd.DataFrame(
        {
            "school_year": [2022, 2023],
            "type_code": ["training", "training"],
            "activities": [1, 4],
            "participants": [9, 9],
            "pupils": [0, 0],
        }
    )
    spec = charts.school_year_chart(rows, text()).to_dict()
    assert [r["year_label"] for r in data_of(spec)] == ["2022/2023", "2023/2024"]
    assert spec["encoding"]["x"]["title"] == "Учебна година"


def test_participants_chart_sums_types_per_organization() -> None:
    spec = charts.participants_chart(BY_ORGANIZATION, text()).to_dict()
    assert sorted((r["short_name"], r["measure_name"], r["people"]) for r in data_of(spec)) == [
        ("АДРА", "Обхванати ученици", 60),
        ("АДРА", "Участници", 90),
        ("Ларго", "Обхванати ученици", 70),
        ("Ларго", "Участници", 130),
    ]
    assert spec["encoding"]["y"]["sort"] == ["Ларго", "АДРА"]


def test_matrix_chart_has_a_cell_per_organization_and_type() -> None:
    spec = charts.matrix_chart(BY_ORGANIZATION, text()).to_dict()
    assert sorted((r["short_name"], r["type_name"], r["activities"]) for r in data_of(spec)) == [
        ("АДРА", "дарение", 3),
        ("Ларго", "дарение", 1),
        ("Ларго", "кръгла маса", 2),
    ]


EVENTS = pd.DataFrame(
    [
        (1, "Кръгла маса", date(2014, 4, 8), None, "round_table", "held", "РОС „Изток“", "organizer"),
        (2, "Обучение", date(2014, 4, 8), date(2014, 4, 9), "training", "held", "Амалипе", "organizer"),
        (2, "Обучение", date(2014, 4, 8), date(2014, 4, 9), "training", "held", "РОС „Изток“", "partner"),
        (3, "Дарение", date(2014, 12, 1), None, "donation", "planned", "АДРА", "funder"),
    ],
    columns=["id", "title", "start_date", "end_date", "type_code", "status", "organization", "role"],
)


def test_timeline_rows_carry_bulgarian_dates_and_partners() -> None:
    rows = charts.timeline_frame(EVENTS, text(), lane="organization")
    assert rows[["id", "lane", "period", "organizations", "one_day", "status_name", "slot"]].to_dict("records") == [
        {
            "id": 3,
            "lane": "АДРА",
            "period": "01.12.2014",
            "organizations": "АДРА",
            "one_day": True,
            "status_name": "планирана",
            "slot": 0,
        },
        {
            "id": 2,
            "lane": "Амалипе",
            "period": "08.04.2014 – 09.04.2014",
            "organizations": "Амалипе, РОС „Изток“",
            "one_day": False,
            "status_name": "проведена",
            "slot": 0,
        },
        {
            "id": 1,
            "lane": "РОС „Изток“",
            "period": "08.04.2014",
            "organizations": "РОС „Изток“",
            "one_day": True,
            "status_name": "проведена",
            "slot": 0,
        },
        # The same day in the same lane: a second row, so that neither hides the other.
        {
            "id": 2,
            "lane": "РОС „Изток“",
            "period": "08.04.2014 – 09.04.2014",
            "organizations": "Амалипе, РОС „Изток“",
            "one_day": False,
            "status_name": "проведена",
            "slot": 1,
        },
    ]


def test_timeline_by_type_has_one_row_per_event() -> None:
    rows = charts.timeline_frame(EVENTS, text("en"), lane="type")
    assert sorted(zip(rows["id"], rows["lane"], strict=True)) == [(1, "round table"), (2, "training"), (3, "donation")]
    assert rows.loc[rows.id == 2, "period"].item() == "8 Apr 2014 – 9 Apr 2014"


def test_timeline_draws_each_first_day_as_its_types_shape_and_spans_as_bars() -> None:
    spec = charts.timeline_chart(EVENTS, text()).to_dict()
    bars, marks = spec["layer"]
    assert bars["mark"]["type"] == "bar" and bars["transform"] == [{"filter": "!datum.one_day"}]
    assert bars["encoding"]["x2"] == {"field": "end"}
    assert marks["mark"]["type"] == "point" and marks["mark"]["filled"] is True
    # In greyscale the shape tells the type: round table, donation and training each have their own.
    shape = marks["encoding"]["shape"]
    assert shape["field"] == "type_name" and shape["title"] == marks["encoding"]["color"]["title"]
    assert shape["scale"]["domain"] == ["кръгла маса", "дарение", "обучение"]
    assert shape["scale"]["range"] == [palette.TYPE_SHAPES[c] for c in ("round_table", "donation", "training")]
    assert len(set(shape["scale"]["range"])) == 3
    assert "transform" not in marks  # every event has its mark, so a click can pick it
    params = {p["name"]: p for p in spec["params"]}
    assert params[charts.EVENT_PICK]["select"] == {"type": "point", "fields": ["id"]}
    assert params["zoom"]["bind"] == "scales" and params["zoom"]["select"]["encodings"] == ["x"]
    assert marks["encoding"]["x"]["scale"]["type"] == "utc"
    tooltip_titles = [t["title"] for t in marks["encoding"]["tooltip"]]
    assert tooltip_titles == ["Дейност", "Дата", "Вид дейност", "Партньори", "Състояние"]


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_every_chart_stretches_its_width_and_gives_each_row_its_height(lang: str) -> None:
    built = [
        charts.organization_chart(BY_ORGANIZATION, text(lang)),
        charts.participants_chart(BY_ORGANIZATION, text(lang)),
        charts.matrix_chart(BY_ORGANIZATION, text(lang)),
    ]
    for chart in built:
        spec = chart.to_dict()
        assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
        assert spec["height"]["step"] >= 34


def test_the_timeline_is_as_tall_as_its_lanes_and_rows() -> None:
    spec = charts.timeline_chart(EVENTS, text()).to_dict()
    # Three lanes; РОС „Изток“ needs two rows (two events on 8 April), so every lane is 2 × 20 px.
    assert spec["height"] == 3 * 40 + 10


def test_the_timeline_draws_larger_marks_for_a_projector() -> None:
    screen = charts.timeline_chart(EVENTS, text()).to_dict()
    projector = charts.timeline_chart(EVENTS, text(), mark_size=400).to_dict()
    assert screen["layer"][1]["mark"]["size"] == charts.MARK_SIZE
    assert projector["layer"][1]["mark"]["size"] == 400
    assert projector["layer"][0]["mark"]["height"] > screen["layer"][0]["mark"]["height"]


@pytest.mark.parametrize(("lang", "labels"), [("bg", ["8 ное", "6 дек", "3 яну"]), ("en", ["8 Nov", "6 Dec", "3 Jan"])])
def test_the_timeline_axis_writes_days_as_people_do(lang: str, labels: list[str]) -> None:
    weekly = pd.DataFrame(
        [
            (i, "Среща", date(2026, 11, 8) + timedelta(days=7 * i), None, "meeting", "held", "Ларго", "partner")
            for i in range(9)
        ],
        columns=EVENTS.columns,
    )
    svg = vl_convert.vegalite_to_svg(charts.timeline_chart(weekly, text(lang)).to_dict())
    ticks = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert set(labels) <= set(ticks)
    assert not [tick for tick in ticks if tick.startswith("0")]


# ---- every year and month in its place, whole counts on every axis --------------------------

ROUND_TABLES_WITH_GAPS = pd.DataFrame(
    {
        "school_year": [2013, 2016, 2018],
        "type_code": ["round_table"] * 3,
        "activities": [2, 1, 1],
        "participants": [30, 12, 15],
        "pupils": [0, 0, 0],
    }
)


def test_school_year_chart_keeps_a_place_for_a_year_without_activities() -> None:
    spec = charts.school_year_chart(ROUND_TABLES_WITH_GAPS, text()).to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == [
        "2013/2014", "2014/2015", "2015/2016", "2016/2017", "2017/2018", "2018/2019",
    ]  # fmt: skip


def test_the_numbers_behind_the_school_year_chart_read_out_the_empty_years_as_zero() -> None:
    numbers = registry.BY_SCHOOL_YEAR.numbers(ROUND_TABLES_WITH_GAPS, text(), ActivityFilters(2018))
    assert numbers == (
        ("2013/2014", 2), ("2014/2015", 0), ("2015/2016", 0), ("2016/2017", 1), ("2017/2018", 0), ("2018/2019", 1),
    )  # fmt: skip


def test_the_numbers_behind_the_month_chart_read_out_every_month_it_shows() -> None:
    all_years = registry.BY_MONTH.numbers(BY_MONTH, text("en"), ActivityFilters())
    assert all_years == (
        ("September", 0), ("October", 1), ("November", 0), ("December", 0), ("January", 0), ("February", 0),
        ("March", 0), ("April", 3), ("May", 0), ("June", 0), ("July", 0), ("August", 0),
    )  # fmt: skip
    one_year = registry.BY_MONTH.numbers(BY_MONTH, text(), ActivityFilters(2013))
    assert [label for label, _n in one_year][:2] == ["сеп 2013", "окт 2013"]
    assert [n for _label, n in one_year] == [0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0]


def count_tick_labels(svg: str) -> list[list[str]]:
    """The tick labels of each count (linear) axis in a picture, as drawn."""
    axes = svg.split('aria-roledescription="axis"')[1:]
    return [
        re.findall(r">([^<]*)</text>", axis.split('role-axis-label"')[1].split("</g>")[0])
        for axis in axes
        if "linear scale" in axis.split(">")[0]
    ]


# (name, chart, its highest bar or stack): a highest bar of 2 made Vega tick at 0.5 ("0, 1, 1, 2, 2").
SMALL_COUNTS = [
    ("month", lambda: charts.month_chart(BY_MONTH.iloc[:2], text(), school_year=2013), 2),
    ("month, all years", lambda: charts.month_chart(BY_MONTH.iloc[:2], text()), 2),
    ("school year", lambda: charts.school_year_chart(ROUND_TABLES_WITH_GAPS, text()), 2),
    ("organization", lambda: charts.organization_chart(BY_ORGANIZATION.iloc[:1], text()), 2),
    ("people", lambda: charts.participants_chart(BY_ORGANIZATION.assign(participants=1, pupils=3), text()), 6),
]
SMALL_COUNT_IDS = [name for name, _build, _highest in SMALL_COUNTS]


@pytest.mark.parametrize("height", [None, 420], ids=["own height", "slide height"])
@pytest.mark.parametrize(("name", "build", "highest"), SMALL_COUNTS, ids=SMALL_COUNT_IDS)
def test_a_count_axis_in_a_picture_labels_each_whole_number_once(
    name: str, build: Any, highest: int, height: int | None
) -> None:
    (labels,) = count_tick_labels(images.chart_svg(build(), height=height))
    assert labels, f"the {name} chart's count axis has no labels"
    assert all(label.isdigit() for label in labels), f"the {name} chart's count axis reads {labels}"
    assert len(set(labels)) == len(labels), f"the {name} chart's count axis repeats a label: {labels}"
    assert int(labels[-1]) >= highest


@pytest.mark.parametrize(("name", "build", "highest"), SMALL_COUNTS, ids=SMALL_COUNT_IDS)
def test_a_count_axis_in_the_app_asks_for_no_more_ticks_than_whole_numbers(name: str, build: Any, highest: int) -> None:
    # The browser's Vega ticks as vl-convert does, at the page's height: more ticks than counts make half steps.
    spec = build().to_dict()
    (axis,) = (
        e["axis"]
        for e in spec["encoding"].values()
        if isinstance(e, dict) and "axis" in e and e["type"] == "quantitative"
    )
    assert axis["tickCount"] <= highest
    assert axis["format"].endswith("d")


# ---- a legend as wide as the plot it is given -------------------------------------------------

EVERY_TYPE = {
    "round_table": "кръгла маса", "meeting": "среща", "training": "обучение", "celebration": "празник",
    "campaign": "кампания", "project": "проект", "competition": "конкурс", "donation": "дарение", "other": "друго",
}  # fmt: skip


def drawn_width(chart: Any, plot_width: int) -> float:
    """How wide Vega draws the chart, axes and legend included, for a plot `plot_width` px wide."""
    spec = images.export_spec(chart, width=plot_width)
    spec["autosize"] = {"type": "pad"}  # grow to whatever sticks out, instead of fitting the width
    spec["config"] = {"locale": spec["config"]["locale"]}  # the app's own type sizes
    svg = vl_convert.vegalite_to_svg(spec)
    return float(re.search(r'<svg[^>]*width="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("plot_width", [240, 300, 900])
def test_the_type_legend_is_never_wider_than_the_chart_without_it(plot_width: int) -> None:
    # 240 px is the plot on a 390 px phone; one type's legend is narrower than any plot.
    every = pd.DataFrame({"month": "2013-10", "type_code": list(EVERY_TYPE), "activities": 1})
    one = every.iloc[:1]
    chart_text = charts.ChartText(translator("bg"), "bg", EVERY_TYPE)
    assert drawn_width(charts.month_chart(every, chart_text, 2013), plot_width) <= drawn_width(
        charts.month_chart(one, chart_text, 2013), plot_width
    )
