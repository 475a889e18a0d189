"""Who works with whom: the partners of the held activities and the pairs that shared them, the layout, the
chart (a valid spec, a PNG and an SVG) and the section on the Partners page in both languages."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine

from charts import partner_network as drawing
from charts.builders import ChartText
from charts.images import chart_png, chart_svg
from charts.registry import chart_spec, deck_charts, direct
from db import queries
from db.access import COMMAND_LINE
from db.filters import ActivityFilters
from db.schools import add_school
from i18n import translator
from tests.factories import add_activity, add_partner
from tests.helpers import open_app
from ui.context import vocabulary_names

DUPNITSA = {
    "name": "СУ „Христо Ботев“ – Дупница",
    "short_name": "СУ „Хр. Ботев“",
    "kind": "secondary",
    "city": "Дупница",
    "municipality": "Дупница",
    "region": "Кюстендил",
}


@pytest.fixture
def record(engine: Engine) -> dict[str, int]:
    """Four partners in two schools: shared held activities, a planned and a cancelled one that must not
    count, and one partner alone in another school. Returns the ids by short name (and the second school)."""
    ids = {
        "Ларго": add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго"),
        "Амалипе": add_partner(
            engine, slug="amalipe", name="Център „Амалипе“", short_name="Амалипе", kind="foundation"
        ),
        "Община": add_partner(
            engine, slug="obshtina", name="Община Кюстендил", short_name="Община", kind="municipality"
        ),
        "Дром": add_partner(engine, slug="drom", name="Сдружение „Дром“", short_name="Дром"),
    }
    largo, amalipe, obshtina, drom = ids.values()
    second = add_school(engine=engine, actor=COMMAND_LINE, data=DUPNITSA)
    ids["second school"] = second

    def held(title: str, day: date, kind: str, *partners: int, **fields: object) -> None:
        add_activity(
            engine, title=title, type=kind, start=day, partners=tuple((p, "partner") for p in partners), **fields
        )

    held("Среща с родители", date(2023, 10, 10), "meeting", largo, amalipe)
    held("Обучение за учители", date(2023, 11, 10), "training", largo, amalipe, obshtina)
    held("Среща в общината", date(2024, 10, 10), "meeting", largo, obshtina)
    held("Планирана среща", date(2023, 12, 1), "meeting", largo, amalipe, status="planned")
    held("Отменена среща", date(2023, 12, 2), "meeting", amalipe, obshtina, status="cancelled")
    held("Среща в Дупница", date(2023, 10, 20), "meeting", drom, school_id=second)
    return ids


def nodes(network: queries.PartnerNetwork) -> list[tuple[str, int]]:
    return list(zip(network.nodes["short_name"], network.nodes["activities"], strict=True))


def edges(network: queries.PartnerNetwork) -> list[tuple[str, str, int]]:
    names = dict(zip(network.nodes["organization_id"], network.nodes["short_name"], strict=True))
    return [
        (names[s], names[t], int(n))
        for s, t, n in zip(network.edges["source"], network.edges["target"], network.edges["activities"], strict=True)
    ]


def test_every_year_counts_each_shared_held_activity_once(engine: Engine, record: dict[str, int]) -> None:
    network = queries.partner_network(engine, ActivityFilters())
    assert nodes(network) == [("Ларго", 3), ("Амалипе", 2), ("Община", 2), ("Дром", 1)]
    # The planned Ларго–Амалипе meeting and the cancelled Амалипе–Община one are not counted.
    assert edges(network) == [("Ларго", "Амалипе", 2), ("Ларго", "Община", 2), ("Амалипе", "Община", 1)]
    assert network.partners == 4


@pytest.mark.parametrize(
    ("filters", "expected_nodes", "expected_edges"),
    [
        (
            ActivityFilters(school_year=2023),
            [("Амалипе", 2), ("Ларго", 2), ("Дром", 1), ("Община", 1)],
            [("Ларго", "Амалипе", 2), ("Ларго", "Община", 1), ("Амалипе", "Община", 1)],
        ),
        (
            ActivityFilters(type_codes=("meeting",)),
            [("Ларго", 2), ("Амалипе", 1), ("Дром", 1), ("Община", 1)],
            [("Ларго", "Амалипе", 1), ("Ларго", "Община", 1)],
        ),
        (
            ActivityFilters(school_ids=(1,)),
            [("Ларго", 3), ("Амалипе", 2), ("Община", 2)],
            [("Ларго", "Амалипе", 2), ("Ларго", "Община", 2), ("Амалипе", "Община", 1)],
        ),
        (
            ActivityFilters(school_ids=(1,), type_codes=("training",)),
            [("Амалипе", 1), ("Ларго", 1), ("Община", 1)],
            [("Ларго", "Амалипе", 1), ("Ларго", "Община", 1), ("Амалипе", "Община", 1)],
        ),
    ],
    ids=["a school year", "a type", "a school", "a school and a type"],
)
def test_the_filters_choose_the_activities(
    engine: Engine,
    record: dict[str, int],
    filters: ActivityFilters,
    expected_nodes: list[tuple[str, int]],
    expected_edges: list[tuple[str, str, int]],
) -> None:
    network = queries.partner_network(engine, filters)
    assert nodes(network) == expected_nodes
    assert edges(network) == expected_edges


def test_a_chosen_partner_shows_everyone_in_its_activities(engine: Engine, record: dict[str, int]) -> None:
    network = queries.partner_network(engine, ActivityFilters(organization_ids=(record["Община"],)))
    assert nodes(network) == [("Ларго", 2), ("Община", 2), ("Амалипе", 1)]
    assert edges(network) == [("Ларго", "Община", 2), ("Ларго", "Амалипе", 1), ("Амалипе", "Община", 1)]
    assert network.partners == 3
    # Within a school year the chosen partners' activities are checked one by one (EXISTS): the same answer.
    in_year = queries.partner_network(engine, ActivityFilters(2023, organization_ids=(record["Община"],)))
    assert nodes(in_year) == [("Амалипе", 1), ("Ларго", 1), ("Община", 1)]
    assert edges(in_year) == [("Ларго", "Амалипе", 1), ("Ларго", "Община", 1), ("Амалипе", "Община", 1)]


def test_a_school_whose_partner_works_alone_has_no_pairs(engine: Engine, record: dict[str, int]) -> None:
    network = queries.partner_network(engine, ActivityFilters(school_ids=(record["second school"],)))
    assert nodes(network) == [("Дром", 1)]
    assert network.edges.empty
    assert chart_spec("partner_network").is_empty(
        chart_spec("partner_network").load(direct(engine), ActivityFilters(school_ids=(record["second school"],)))
    )


def test_only_the_busiest_partners_are_drawn_and_the_rest_counted(engine: Engine, record: dict[str, int]) -> None:
    network = queries.partner_network(engine, ActivityFilters(), partners=2)
    assert nodes(network) == [("Ларго", 3), ("Амалипе", 2)]
    assert edges(network) == [("Ларго", "Амалипе", 2)]
    assert network.partners == 4


def test_the_layout_is_the_same_for_the_same_network(demo_engine: Engine) -> None:
    network = queries.partner_network(demo_engine, ActivityFilters())
    first = drawing.layout(network)
    drawing._placed.cache_clear()  # laid out again, not read from the memo
    again = drawing.layout(queries.partner_network(demo_engine, ActivityFilters()))
    assert first == again
    assert set(first) == set(network.nodes["organization_id"])
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in first.values())
    # Shuffled rows are the same network.
    shuffled = network._replace(nodes=network.nodes.iloc[::-1], edges=network.edges.iloc[::-1])
    assert drawing.layout(shuffled) == first


def chart_text(engine: Engine, lang: str) -> ChartText:
    return ChartText(translator(lang), lang, vocabulary_names(queries.activity_types(engine), lang))


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_chart_is_valid_and_drawn_to_png_and_svg(demo_engine: Engine, lang: str) -> None:
    spec = chart_spec("partner_network")
    assert spec in deck_charts()
    data = spec.load(direct(demo_engine), ActivityFilters())
    chart = spec.build(data, chart_text(demo_engine, lang), ActivityFilters())
    drawn = chart.to_dict(validate=True)
    layers = [layer["mark"]["type"] for layer in drawn["layer"]]
    assert layers == ["rule", "circle", "text", "text"]
    assert drawn["params"][0]["name"] == drawing.NETWORK_PICK
    kind = {"bg": "сдружение", "en": "association"}[lang]
    values = [row for rows in drawn["datasets"].values() for row in rows]
    assert {"short_name": "Ларго", "kind": kind}.items() <= next(r for r in values if r.get("slug") == "largo").items()
    assert chart_png(chart).startswith(b"\x89PNG")
    svg = chart_svg(chart)
    assert "<svg" in svg and "Ларго" in svg
    # What a speaker reads out: the busiest pairs.
    numbers = spec.numbers(data, chart_text(demo_engine, lang), ActivityFilters())
    assert numbers[0] == ("РОС „Изток“ – Ларго", 22)


@pytest.mark.parametrize(
    ("lang", "title", "caption"),
    [("bg", "Кой с кого работи", "Щракнете върху кръг"), ("en", "Who works with whom", "Click a circle")],
)
def test_the_partners_page_shows_who_works_with_whom(demo_engine: Engine, lang: str, title: str, caption: str) -> None:
    app = open_app(page="pages/partners.py", lang=lang, year="all")
    assert title in [s.value for s in app.subheader]
    assert any(caption in c.value for c in app.caption)
    specs = [chart.proto.spec for chart in app.get("vega_lite_chart")]
    assert any(drawing.NETWORK_PICK in spec for spec in specs)


def test_a_period_without_shared_activities_says_so(engine: Engine, record: dict[str, int]) -> None:
    add_activity(
        engine, title="Сама", type="meeting", start=date(2025, 10, 1), partners=((record["Ларго"], "partner"),)
    )
    app = open_app(page="pages/partners.py", lang="en", year="2025-2026")
    assert "No two partners took part in the same held activity in this period." in [i.value for i in app.info]
    assert not [chart for chart in app.get("vega_lite_chart") if drawing.NETWORK_PICK in chart.proto.spec]
    # The year before, Ларго, Амалипе and Община shared activities: the chart, no message.
    shared = open_app(page="pages/partners.py", lang="en", year="2023-2024")
    assert not shared.info
    assert [chart for chart in shared.get("vega_lite_chart") if drawing.NETWORK_PICK in chart.proto.spec]


def test_pairs_are_a_frame_of_whole_numbers_even_when_empty(engine: Engine, record: dict[str, int]) -> None:
    empty = queries.partner_network(engine, ActivityFilters(school_year=2030))
    assert empty.nodes.empty and empty.edges.empty and empty.partners == 0
    assert list(empty.edges.columns) == ["source", "target", "activities"]
    assert isinstance(empty.edges, pd.DataFrame)


def test_a_deck_has_no_network_slide_when_no_two_partners_shared_an_activity(
    engine: Engine, record: dict[str, int]
) -> None:
    from content.gather import gather_deck

    alone = gather_deck(direct(engine), ActivityFilters(school_ids=(record["second school"],)), today=date(2026, 1, 1))
    assert "partner_network" not in [slide.chart for slide in alone.slides]
    shared = gather_deck(direct(engine), ActivityFilters(school_year=2023), today=date(2026, 1, 1))
    assert "partner_network" in [slide.chart for slide in shared.slides]


def test_the_page_says_how_many_partners_were_left_out(engine: Engine) -> None:
    ids = [add_partner(engine, slug=f"p{n}", name=f"Партньор {n}", short_name=f"П{n}") for n in range(42)]
    add_activity(
        engine,
        title="Голяма среща",
        type="meeting",
        start=date(2025, 10, 1),
        partners=tuple((i, "partner") for i in ids),
    )
    add_activity(
        engine,
        title="Малка среща",
        type="meeting",
        start=date(2025, 10, 2),
        partners=((ids[0], "partner"), (ids[1], "partner")),
    )
    app = open_app(page="pages/partners.py", lang="en", year="2025-2026")
    assert any("Showing the 40 partners with the most held activities, of 42." in c.value for c in app.caption)
