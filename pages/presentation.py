"""Presentation: the current filters as slides for a projector, one slide at a time.

The deck comes from `ui.slides.build_slides`; this page reads what the current slide needs and
draws it in large type. The URL holds the slide and the presenter's choices next to the shared
filters, so that a prepared presentation opens from a link. No HTML anywhere on this page: text
from the database goes through `ui.safe.md`.
"""

import time
from collections.abc import Sequence

import streamlit as st

from db import queries
from i18n.formatting import format_date, format_number, format_period
from ui import charts, slides, views
from ui.context import page_context
from ui.data import read
from ui.safe import md
from ui.slides import (
    AUTO_PARAM,
    KINDS_PARAM,
    MAX_AUTO_SECONDS,
    MIN_AUTO_SECONDS,
    ORDER_PARAM,
    SLIDE_KINDS,
    SLIDE_PARAM,
    DeckChoices,
    Slide,
)

EVENT_LIMIT = 1500
PARTNER_ACTIVITIES_SHOWN = 6
KINDS_KEY = "presentation_kinds"
ORDER_KEY = "presentation_order"
AUTO_KEY = "presentation_auto"
# (number, slide key, time.monotonic() when it came up) of the slide on the screen.
SHOWN_KEY = "_presentation_shown"
DIRECTION_COLORS = {"up": "green", "down": "red", "same": "gray"}

context = page_context()
t, lang, filters = context.t, context.lang, context.filters
say = slides.slide_texts(lang)
# A projector wants the whole width: the sidebar starts closed here (its arrow still opens it).
st.set_page_config(initial_sidebar_state="collapsed")


def heading(level: int, text: str) -> None:
    """A Markdown heading as large type; `text` must already be escaped if it comes from the database."""
    st.markdown(f"{'#' * level} {text}", anchors=False)


def publish(name: str, value: str | None) -> None:
    """Write one parameter of the presentation into the URL (None removes it); the others stay."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get_all(name) != [value]:
        st.query_params[name] = value


def go_to(number: int) -> None:
    st.query_params[SLIDE_PARAM] = str(number)


# --- the presenter's choices: from the URL the first time, then from the widgets -----------------


def seed_choices(partners: dict[str, str]) -> DeckChoices:
    """The choices of this run, with the widgets' state seeded from the URL when they are new."""
    if KINDS_KEY not in st.session_state:
        url_kinds = st.query_params.get_all(KINDS_PARAM) if KINDS_PARAM in st.query_params else None
        st.session_state[KINDS_KEY] = list(slides.parse_kinds(url_kinds))
    if ORDER_KEY in st.session_state:
        # A partner without activities in a newly chosen period is no longer an option.
        st.session_state[ORDER_KEY] = [slug for slug in st.session_state[ORDER_KEY] if slug in partners]
    else:
        st.session_state[ORDER_KEY] = list(slides.parse_order(st.query_params.get_all(ORDER_PARAM), partners))
    if AUTO_KEY not in st.session_state:
        st.session_state[AUTO_KEY] = slides.parse_auto_seconds(st.query_params.get(AUTO_PARAM))
    chosen = set(st.session_state[KINDS_KEY] or ())
    return DeckChoices(
        kinds=tuple(kind for kind in SLIDE_KINDS if kind in chosen),
        partner_order=tuple(st.session_state[ORDER_KEY]),
        auto_seconds=slides.parse_auto_seconds(st.session_state[AUTO_KEY]),
    )


def settings(partners: dict[str, str]) -> None:
    with st.expander(say("settings.title"), icon=":material/tune:"):
        st.pills(
            say("settings.kinds"),
            SLIDE_KINDS,
            selection_mode="multi",
            format_func=lambda kind: say(f"kind.{kind}"),
            key=KINDS_KEY,
            help=say("settings.kinds_help"),
            persist_state="session",
        )
        st.multiselect(
            say("settings.order"),
            list(partners),
            format_func=lambda slug: partners.get(slug, slug),
            key=ORDER_KEY,
            placeholder=say("settings.order_all"),
            help=say("settings.order_help"),
            persist_state="session",
        )
        st.number_input(
            say("settings.auto"),
            min_value=0,
            max_value=MAX_AUTO_SECONDS,
            step=5,
            key=AUTO_KEY,
            help=say("settings.auto_help", minimum=MIN_AUTO_SECONDS),
            persist_state="session",
        )
        st.caption(say("settings.keys"))
        st.caption(say("settings.link"))


# --- the slides ----------------------------------------------------------------------------------


def figure_tile(label: str, value: int, previous: int | None, previous_year: str, *, size: int) -> None:
    with st.container(border=True):
        heading(4, label)
        heading(size, format_number(value, lang))
        if previous is not None:
            moved = slides.change(value, previous, lang)
            color = DIRECTION_COLORS[moved.direction]
            heading(4, f":{color}[{moved.arrow} {moved.text}] {say('figures.previous', year=previous_year)}")


def figure_tiles(
    figures: dict[str, int], previous: dict[str, int] | None, keys: Sequence[str], *, across: bool
) -> None:
    """The figures in bordered tiles, side by side (`across`) or one under another."""
    year = filters.school_year
    previous_year = "" if year is None else f"{year - 1}/{year}"
    places = st.columns(len(keys), gap="medium") if across else [st.container() for _ in keys]
    for place, key in zip(places, keys, strict=True):
        with place:
            earlier = None if previous is None else previous[key]
            figure_tile(t(f"figures.{key}"), figures[key], earlier, previous_year, size=1 if across else 2)


def period_line() -> None:
    heading(4, context.period_label())


def title_slide(partners: list[str], names: dict[str, str]) -> None:
    st.title(t("app.title"), anchor=False)
    st.header(t("app.school"), anchor=False)
    st.subheader(context.period_label(), anchor=False)
    st.space("medium")
    if partners:
        heading(3, f"{say('title.partners')}: " + " · ".join(md(names[slug]) for slug in partners))
    if filters.type_codes:
        kinds = ", ".join(md(context.type_names.get(code, code)) for code in filters.type_codes)
        heading(4, f"{say('title.types')}: {kinds}")


def figures_slide(figures: dict[str, int], previous: dict[str, int] | None, to_date: bool) -> None:
    st.title(say("figures.title"), anchor=False)
    period_line()
    st.space("medium")
    figure_tiles(figures, previous, ("activities", "partners", "participants", "pupils"), across=True)
    st.space("medium")
    year = filters.school_year
    if year is None:
        heading(5, say("figures.all_years"))
    elif to_date:
        day = format_date(slides.a_year_before(context.today()), lang)
        heading(5, say("figures.compared_to_date", year=f"{year - 1}/{year}", day=day))
    else:
        heading(5, say("figures.compared", year=f"{year - 1}/{year}"))


def partner_slide(slug: str) -> None:
    partner = read(queries.partner_profile, slug)
    if partner is None:  # removed since the deck was read
        views.nothing_matches(context)
        return
    st.title(md(partner["short_name"]), anchor=False)
    if partner["name"] != partner["short_name"]:
        heading(3, md(slides.one_paragraph(partner["name"])))
    own = filters.with_organizations(partner["id"])
    about, figures_column = st.columns([3, 2], gap="large")
    with about:
        heading(3, say("partner.mission"))
        mission = slides.one_paragraph(partner["mission"])
        heading(4, md(mission) if mission else say("partner.no_mission"))
        # The latest few, oldest first: on a slide for all years, what happened lately matters most.
        activities = read(queries.activity_list, own, statuses=("held", "planned"), limit=EVENT_LIMIT)
        if not activities.empty:
            heading(3, say("partner.activities"))
            lines = []
            for row in reversed(list(activities.head(PARTNER_ACTIVITIES_SHOWN).itertuples())):
                facts = [format_period(row.start_date, row.end_date, lang), slides.one_paragraph(row.title, 160)]
                if row.status != "held":
                    facts.append(t(f"status.{row.status}"))
                lines.append("##### " + " · ".join(md(fact) for fact in facts))
            if len(activities) > PARTNER_ACTIVITIES_SHOWN:
                earlier = format_number(len(activities) - PARTNER_ACTIVITIES_SHOWN, lang)
                lines.insert(0, "##### " + say("partner.earlier", count=earlier))
            st.markdown("\n".join(lines), anchors=False)
    with figures_column:
        heading(3, say("partner.figures"))
        figures, previous, _to_date = read(queries.figures_with_comparison, own, today=context.today())
        figure_tiles(figures, previous, ("activities", "participants", "pupils"), across=False)


def timeline_slide() -> None:
    st.title(say("timeline.title"), anchor=False)
    period_line()
    events, total = read(queries.timeline_events, filters, limit=EVENT_LIMIT)
    if total > EVENT_LIMIT:
        heading(5, say("timeline.cut", shown=format_number(EVENT_LIMIT, lang), total=format_number(total, lang)))
    chart = charts.timeline_chart(events, context.chart_text, lane="organization")
    st.altair_chart(slides.projected(chart, rows=events["organization"].nunique()), width="stretch")


def chart_slide(kind: str) -> None:
    text = context.chart_text
    rows = None
    if kind == "organizations":
        st.title(say("charts.organizations"), anchor=False)
        period_line()
        by_organization = read(queries.activities_by_organization, filters)
        rows = by_organization["organization_id"].nunique()
        chart = charts.organization_chart(by_organization, text)
    elif kind == "months":
        all_years = filters.school_year is None
        st.title(say("charts.months_all_years" if all_years else "charts.months"), anchor=False)
        period_line()
        chart = charts.month_chart(read(queries.activities_by_month, filters), text, filters.school_year)
    else:
        st.title(say("charts.school_years"), anchor=False)
        heading(4, say("charts.school_years_note"))
        chart = charts.school_year_chart(read(queries.activities_by_school_year, filters.all_years()), text)
    st.altair_chart(slides.projected(chart, rows=rows), width="stretch")


# --- moving on -----------------------------------------------------------------------------------


def navigation(number: int, count: int, auto_seconds: int) -> None:
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.button(
            say("nav.previous"),
            key="presentation_previous",
            icon=":material/arrow_back:",
            on_click=go_to,
            args=(number - 1,),
            disabled=number <= 1,
            shortcut="ArrowLeft",
        )
        st.button(
            say("nav.next"),
            key="presentation_next",
            icon=":material/arrow_forward:",
            icon_position="right",
            on_click=go_to,
            args=(number + 1,),
            disabled=number >= count,
            shortcut="ArrowRight",
            type="primary",
        )
        heading(4, f"{number} / {count}")
        if auto_seconds and count > 1:
            st.caption(say("nav.auto", seconds=auto_seconds))


def auto_advance(seconds: int, number: int, count: int) -> None:
    """For an unattended screen: after `seconds` on one slide, the next one (the first after the last)."""

    def tick() -> None:
        shown = st.session_state.get(SHOWN_KEY)
        # A tick can come just before the full interval has passed; half a second is close enough.
        if shown is not None and shown[0] == number and time.monotonic() - shown[2] >= seconds - 0.5:
            go_to(slides.next_number(number, count))
            st.rerun()

    st.fragment(run_every=seconds)(tick)()


def remember(number: int, slide: Slide) -> None:
    shown = st.session_state.get(SHOWN_KEY)
    if shown is None or shown[:2] != (number, slide.key):
        st.session_state[SHOWN_KEY] = (number, slide.key, time.monotonic())


# --- the page ------------------------------------------------------------------------------------

if not context.has_records:
    views.period_page_header(context, say("page.title"))  # explains how to start, and stops the page

by_organization = read(queries.activities_by_organization, filters)
figures, previous, to_date = read(queries.figures_with_comparison, filters, today=context.today())
_events, event_total = read(queries.timeline_events, filters, limit=EVENT_LIMIT)
partners = slides.active_partners(by_organization)
choices = seed_choices(partners)
deck = slides.build_slides(figures=figures, partners=list(partners), events=event_total, choices=choices)

if figures["activities"] == 0 and event_total == 0:
    st.title(say("page.title"), anchor=False)
    st.caption(context.period_label())
    views.nothing_matches(context)
    st.stop()

if not deck:
    st.title(say("page.title"), anchor=False)
    st.info(say("deck.no_kinds"), icon=":material/slideshow:")
    settings(partners)
    for name, value in slides.choice_params(choices).items():
        publish(name, value)
    st.stop()

shown = st.session_state.get(SHOWN_KEY)
index = slides.current_index(
    deck, slides.parse_slide_number(st.query_params.get(SLIDE_PARAM)), None if shown is None else shown[:2]
)
number, slide = index + 1, deck[index]
remember(number, slide)

navigation(number, len(deck), choices.auto_seconds)
if slide.kind == "title":
    title_slide(slides.deck_partners(list(partners), choices.partner_order), partners)
elif slide.kind == "figures":
    figures_slide(figures, previous, to_date)
elif slide.kind == "partner":
    partner_slide(slide.partner)
elif slide.kind == "timeline":
    timeline_slide()
else:
    chart_slide(slide.kind)

st.divider()
settings(partners)
publish(SLIDE_PARAM, str(number))
for name, value in slides.choice_params(choices).items():
    publish(name, value)
if choices.auto_seconds and len(deck) > 1:
    auto_advance(choices.auto_seconds, number, len(deck))
