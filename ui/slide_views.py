"""How each kind of slide is drawn: large type for a projector, no HTML.

`ui.slides` decides which slides there are; these functions read what one slide needs and
lay it out. Text from the database goes through `ui.safe.md`.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from db import queries
from db.school_year import a_year_before
from i18n.formatting import format_date, format_number, format_period
from ui import charts, slides, views
from ui.context import PageContext
from ui.data import read
from ui.safe import md
from ui.slides import Slide

EVENT_LIMIT = 1500
PARTNER_ACTIVITIES_SHOWN = 6
SHOWN_STATUSES = ("held", "planned")  # a partner slide leaves out what was cancelled
DIRECTION_COLORS = {"up": "green", "down": "red", "same": "gray"}
FIGURE_KEYS = ("activities", "partners", "participants", "pupils")
PARTNER_FIGURE_KEYS = ("activities", "participants", "pupils")
PROJECTOR_MARK_SIZE = 400  # px²: a timeline mark's shape reads from the back of a room


def heading(level: int, text: str) -> None:
    """A Markdown heading as large type; `text` must already be escaped if it comes from the database."""
    st.markdown(f"{'#' * level} {text}", anchors=False)


def draw_slide(
    context: PageContext,
    slide: Slide,
    *,
    partners: dict[str, str],
    partner_order: Sequence[str],
    figures: dict[str, int],
    previous: dict[str, int] | None,
    to_date: bool,
) -> None:
    """Draw `slide`; `partners` maps the active partners' slugs to their short names."""
    if slide.kind == "title":
        title_slide(context, slides.deck_partners(list(partners), partner_order), partners)
    elif slide.kind == "figures":
        figures_slide(context, figures, previous, to_date)
    elif slide.kind == "partner":
        partner_slide(context, slide.partner)
    elif slide.kind == "timeline":
        timeline_slide(context)
    else:
        chart_slide(context, slide.kind)


def title_slide(context: PageContext, partners: list[str], names: dict[str, str]) -> None:
    t = context.t
    st.title(t("app.title"), anchor=False)
    st.header(t("app.school"), anchor=False)
    st.subheader(context.period_label(), anchor=False)
    st.space("medium")
    if partners:
        heading(3, f"{t('slides.title.partners')}: " + " · ".join(md(names[slug]) for slug in partners))
    if context.filters.type_codes:
        kinds = ", ".join(md(context.type_names.get(code, code)) for code in context.filters.type_codes)
        heading(4, f"{t('slides.title.types')}: {kinds}")


def figures_slide(
    context: PageContext, figures: dict[str, int], previous: dict[str, int] | None, to_date: bool
) -> None:
    t, lang = context.t, context.lang
    st.title(t("slides.figures.title"), anchor=False)
    heading(4, context.period_label())
    st.space("medium")
    figure_tiles(context, figures, previous, FIGURE_KEYS, across=True)
    st.space("medium")
    year = context.filters.school_year
    if year is None:
        heading(5, t("slides.figures.all_years"))
    elif to_date:
        day = format_date(a_year_before(context.today()), lang)
        heading(5, t("slides.figures.compared_to_date", year=f"{year - 1}/{year}", day=day))
    else:
        heading(5, t("slides.figures.compared", year=f"{year - 1}/{year}"))


def figure_tiles(
    context: PageContext,
    figures: dict[str, int],
    previous: dict[str, int] | None,
    keys: Sequence[str],
    *,
    across: bool,
) -> None:
    """The figures in bordered tiles, side by side (`across`) or one under another."""
    year = context.filters.school_year
    previous_year = "" if year is None else f"{year - 1}/{year}"
    places = st.columns(len(keys), gap="medium") if across else [st.container() for _ in keys]
    for place, key in zip(places, keys, strict=True):
        with place:
            earlier = None if previous is None else previous[key]
            figure_tile(context, context.t(f"figures.{key}"), figures[key], earlier, previous_year, across=across)


def figure_tile(
    context: PageContext, label: str, value: int, previous: int | None, previous_year: str, *, across: bool
) -> None:
    t, lang = context.t, context.lang
    with st.container(border=True):
        heading(4, label)
        heading(1 if across else 2, format_number(value, lang))
        if previous is not None:
            moved = slides.change(value, previous, lang)
            color = DIRECTION_COLORS[moved.direction]
            heading(4, f":{color}[{moved.arrow} {moved.text}] {t('slides.figures.previous', year=previous_year)}")


def partner_slide(context: PageContext, slug: str) -> None:
    t, lang = context.t, context.lang
    partner = read(queries.partner_profile, slug)
    if partner is None:  # removed since the deck was read
        views.nothing_matches(context)
        return
    st.title(md(partner["short_name"]), anchor=False)
    if partner["name"] != partner["short_name"]:
        heading(3, md(slides.one_paragraph(partner["name"])))
    own = context.filters.with_organizations(partner["id"])
    about, figures_column = st.columns([3, 2], gap="large")
    with about:
        heading(3, t("slides.partner.mission"))
        mission = slides.one_paragraph(partner["mission"])
        heading(4, md(mission) if mission else t("slides.partner.no_mission"))
        # The latest few, oldest first: on a slide for all years, what happened lately matters most.
        activities = read(queries.activity_list, own, statuses=SHOWN_STATUSES, limit=PARTNER_ACTIVITIES_SHOWN)
        if not activities.empty:
            heading(3, t("slides.partner.activities"))
            lines = []
            for row in reversed(list(activities.itertuples())):
                facts = [format_period(row.start_date, row.end_date, lang), slides.one_paragraph(row.title, 160)]
                if row.status != "held":
                    facts.append(t(f"status.{row.status}"))
                lines.append("##### " + " · ".join(md(fact) for fact in facts))
            if len(activities) == PARTNER_ACTIVITIES_SHOWN:
                earlier = read(queries.activity_count, own, statuses=SHOWN_STATUSES) - PARTNER_ACTIVITIES_SHOWN
                if earlier:
                    lines.insert(0, "##### " + t("slides.partner.earlier", count=format_number(earlier, lang)))
            st.markdown("\n".join(lines), anchors=False)
    with figures_column:
        heading(3, t("slides.partner.figures"))
        figures, previous, _to_date = read(queries.figures_with_comparison, own, today=context.today())
        figure_tiles(context, figures, previous, PARTNER_FIGURE_KEYS, across=False)


def timeline_slide(context: PageContext) -> None:
    t, lang = context.t, context.lang
    st.title(t("slides.timeline.title"), anchor=False)
    heading(4, context.period_label())
    events, total = read(queries.timeline_events, context.filters, limit=EVENT_LIMIT)
    if total > EVENT_LIMIT:
        heading(5, t("slides.timeline.cut", shown=format_number(EVENT_LIMIT, lang), total=format_number(total, lang)))
    chart = charts.timeline_chart(events, context.chart_text, lane="organization", mark_size=PROJECTOR_MARK_SIZE)
    st.altair_chart(slides.projected(chart, rows=events["organization"].nunique()), width="stretch")


def chart_slide(context: PageContext, kind: str) -> None:
    t, filters, text = context.t, context.filters, context.chart_text
    rows = None
    if kind == "organizations":
        st.title(t("slides.charts.organizations"), anchor=False)
        heading(4, context.period_label())
        by_organization = read(queries.activities_by_organization, filters)
        rows = by_organization["organization_id"].nunique()
        chart = charts.organization_chart(by_organization, text)
    elif kind == "months":
        all_years = filters.school_year is None
        st.title(t("slides.charts.months_all_years" if all_years else "slides.charts.months"), anchor=False)
        heading(4, context.period_label())
        chart = charts.month_chart(read(queries.activities_by_month, filters), text, filters.school_year)
    else:
        st.title(t("slides.charts.school_years"), anchor=False)
        heading(4, t("slides.charts.school_years_note"))
        chart = charts.school_year_chart(read(queries.activities_by_school_year, filters.all_years()), text)
    st.altair_chart(slides.projected(chart, rows=rows), width="stretch")
