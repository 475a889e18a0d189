"""Charts on a page come from cached specs: drawn as before, valid Vega-Lite, and not built again on a warm rerun."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from charts import builders
from charts.builders import ChartText
from charts.projector import projected
from charts.registry import ALL_CHARTS, ChartSpec, direct
from db import queries
from db.filters import ActivityFilters
from i18n import translator
from tests.factories import add_activity
from tests.helpers import open_app
from tests.old_timeline import old_timeline_frame
from ui.context import vocabulary_names
from ui.data import forget_reads

# Every filter a chart is drawn for on the pages: all years, one school year, one partner's.
FILTERS = (ActivityFilters(), ActivityFilters(school_year=2023), ActivityFilters(organization_ids=(3,)))


def chart_text(engine: Engine, lang: str) -> ChartText:
    return ChartText(translator(lang), lang, vocabulary_names(queries.activity_types(engine), lang))


def variants(spec: ChartSpec) -> list[tuple[dict[str, Any], bool]]:
    """(builder options, for a projector) as the pages and the Presentation page draw `spec`."""
    if spec.needs_events:
        return [({"lane": "organization"}, False), ({"lane": "type"}, False), ({"lane": "organization"}, True)]
    return [({}, False), ({}, True)]


def old_chart(spec: ChartSpec, data: Any, text: ChartText, filters: ActivityFilters, options: dict[str, Any]) -> Any:
    """The chart as the code before the cache built it: the timeline's rows made row by row."""
    new_frame = builders.timeline_frame
    builders.timeline_frame = old_timeline_frame  # type: ignore[assignment]
    try:
        return spec.build(data, text, filters, **options)
    finally:
        builders.timeline_frame = new_frame


# (chart key, its data, text, filters, builder options, for a projector, the chart as it was built before)
Drawing = tuple[str, Any, ChartText, ActivityFilters, dict[str, Any], bool, Any]


def every_drawing(engine: Engine) -> Iterator[Drawing]:
    """Every chart in every variant (all years, in Bulgarian), and in English for a year and for one partner."""
    for spec in ALL_CHARTS:
        plain = variants(spec)[0]
        for lang, filters, options, projector in [
            *(("bg", FILTERS[0], *variant) for variant in variants(spec)),
            ("en", FILTERS[1], *plain),
            ("bg", FILTERS[2], *plain),
        ]:
            text = chart_text(engine, lang)
            data = spec.load(direct(engine), filters)
            assert not spec.is_empty(data)
            before = old_chart(spec, data, text, filters, options)
            if projector:
                before = projected(before, rows=spec.rows(data))
            yield spec.key, data, text, filters, options, projector, before


def draw_both(drawings):  # type: ignore[no-untyped-def]  # run as a script by AppTest: no annotations to resolve
    """Each chart twice: as st.altair_chart drew the builder's chart before, and from its cached spec now."""
    import streamlit as st

    from charts.registry import chart_spec
    from ui.chart_specs import page_spec

    for key, data, text, filters, options, projector, before in drawings:
        st.altair_chart(before, width="stretch")
        st.vega_lite_chart(spec=page_spec(chart_spec(key), data, text, filters, options, projector=projector))


def test_every_registered_chart_is_drawn_as_before(demo_engine: Engine) -> None:
    """The spec and the data Streamlit sends to the browser are the very ones the builder's chart gave."""
    drawings = list(every_drawing(demo_engine))
    assert {d[0] for d in drawings} == {spec.key for spec in ALL_CHARTS}
    app = AppTest.from_function(draw_both, args=(drawings,), default_timeout=120).run()
    assert not app.exception
    charts = app.get("vega_lite_chart")
    assert len(charts) == 2 * len(drawings)
    for (key, *_), before, now in zip(drawings, charts[::2], charts[1::2], strict=True):
        assert now.proto.spec == before.proto.spec, key
        assert now.proto.datasets == before.proto.datasets, key
        # The data went with it; the map's outlines and counts are inlined in its spec (charts/maps.py).
        assert now.proto.datasets or key == "regions", key


def test_every_registered_chart_is_valid_vega_lite(demo_engine: Engine) -> None:
    """The app no longer validates a spec it draws: the schema is checked here, for every chart and variant."""
    checked = Counter[str]()
    for spec in ALL_CHARTS:
        text = chart_text(demo_engine, "bg")
        data = spec.load(direct(demo_engine), ActivityFilters())
        for options, projector in variants(spec):
            chart = spec.build(data, text, ActivityFilters(), **options)
            if projector:
                chart = projected(chart, rows=spec.rows(data))
            chart.to_dict(validate=True)  # raises on anything the Vega-Lite schema refuses
            checked[spec.key] += 1
    assert set(checked) == {spec.key for spec in ALL_CHARTS}


BUILDERS = (
    "organization_chart",
    "month_chart",
    "school_year_chart",
    "participants_chart",
    "matrix_chart",
    "timeline_chart",
)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each chart builder has been called (the registry calls them through the module)."""
    calls = Counter[str]()

    def counted(name: str, builder: Callable[..., Any]) -> Callable[..., Any]:
        def build(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return builder(*args, **kwargs)

        return build

    for name in BUILDERS:
        monkeypatch.setattr(builders, name, counted(name, getattr(builders, name)))
    return calls


@pytest.mark.parametrize(
    ("page", "params", "charts"),
    [
        ("pages/overview.py", {"year": "all"}, {"organization_chart"}),
        (
            "pages/activities.py",
            {"year": "2023-2024"},
            {"organization_chart", "month_chart", "school_year_chart", "participants_chart", "matrix_chart"},
        ),
        ("pages/timeline.py", {"year": "all"}, {"timeline_chart"}),
        ("pages/partners.py", {"partner": "amalipe", "year": "all"}, {"school_year_chart", "timeline_chart"}),
        ("pages/presentation.py", {"year": "2023-2024", "slide": "12"}, {"organization_chart"}),
    ],
)
def test_a_warm_rerun_builds_no_chart(
    demo_engine: Engine, builds: Counter[str], page: str, params: dict[str, str], charts: set[str]
) -> None:
    app = open_app(page=page, **params)  # through the Overview, then the page
    assert charts <= set(builds)
    before = builds.copy()
    app.run()
    assert not app.exception
    assert builds == before
    assert len(app.get("vega_lite_chart")) >= 1


def test_the_same_view_in_another_language_is_built_once_more(demo_engine: Engine, builds: Counter[str]) -> None:
    app = open_app(page="pages/overview.py", year="all")
    app.radio(key="lang").set_value("en").run()
    assert builds["organization_chart"] == 2
    app.radio(key="lang").set_value("bg").run()
    assert builds["organization_chart"] == 2


def test_after_a_change_the_chart_shows_the_new_data(demo_engine: Engine, builds: Counter[str]) -> None:
    """A spec is keyed on the data it draws: once the reads are forgotten after a write, the chart follows."""
    app = open_app(page="pages/overview.py", year="all")
    before = app.get("vega_lite_chart")[0].proto
    add_activity(demo_engine, title="Нова среща", type="meeting", start=date(2024, 3, 5), partners=((3, "partner"),))
    forget_reads()  # what every save does
    app.run()
    after = app.get("vega_lite_chart")[0].proto
    assert builds["organization_chart"] == 2
    assert after.datasets != before.datasets
    assert [d.name for d in after.datasets] != [d.name for d in before.datasets]
