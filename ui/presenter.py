"""The presenter's controls: the choices kept in the URL, the settings, moving between slides.

The URL holds the slide and the presenter's choices next to the shared filters, so that a
prepared presentation opens from a link; the widgets are seeded from it the first time.
"""

from __future__ import annotations

import time

import streamlit as st

from content.deck import current_index, next_number
from content.model import SLIDE_KINDS, STORY_KINDS, DeckChoices, Slide
from i18n import Translator
from ui import deck_links, url_values
from ui.deck_links import (
    AUTO_PARAM,
    KINDS_PARAM,
    MAX_AUTO_SECONDS,
    MIN_AUTO_SECONDS,
    ORDER_PARAM,
    PROJECTOR_VIEW,
    SLIDE_PARAM,
    VIEW_PARAM,
)

KINDS_KEY = "presentation_kinds"
ORDER_KEY = "presentation_order"
AUTO_KEY = "presentation_auto"
# (number, slide key, time.monotonic() when it came up) of the slide on the screen.
SHOWN_KEY = "_presentation_shown"


def publish(name: str, value: str | None) -> None:
    """Write one parameter of the presentation into the URL (None removes it); the others stay."""
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get_all(name) != [value]:
        st.query_params[name] = value


def publish_choices(choices: DeckChoices) -> None:
    for name, value in deck_links.choice_params(choices).items():
        publish(name, value)


def go_to(number: int) -> None:
    st.query_params[SLIDE_PARAM] = str(number)


def seed_choices(partners: dict[str, str]) -> DeckChoices:
    """The choices of this run, with the widgets' state seeded from the URL when they are new."""
    if KINDS_KEY not in st.session_state:
        url_kinds = url_values.every(KINDS_PARAM) if KINDS_PARAM in st.query_params else None
        st.session_state[KINDS_KEY] = list(deck_links.parse_kinds(url_kinds))
    if ORDER_KEY in st.session_state:
        # A partner without activities in a newly chosen period is no longer an option.
        st.session_state[ORDER_KEY] = [slug for slug in st.session_state[ORDER_KEY] if slug in partners]
    else:
        st.session_state[ORDER_KEY] = list(deck_links.parse_order(url_values.every(ORDER_PARAM), partners))
    if AUTO_KEY not in st.session_state:
        st.session_state[AUTO_KEY] = deck_links.parse_auto_seconds(url_values.last(AUTO_PARAM))
    chosen = set(st.session_state[KINDS_KEY] or ())
    return DeckChoices(
        kinds=tuple(kind for kind in SLIDE_KINDS if kind in chosen),
        partner_order=tuple(st.session_state[ORDER_KEY]),
        auto_seconds=deck_links.parse_auto_seconds(st.session_state[AUTO_KEY]),
    )


def _choose_kinds(kinds: tuple[str, ...]) -> None:
    """A preset of the slides (the story mode, or all of them), from the first slide."""
    st.session_state[KINDS_KEY] = list(kinds)
    go_to(1)


def story_mode(t: Translator) -> None:
    """The year as a story in one click, and back: presets of the same pills the settings hold."""
    story = tuple(st.session_state.get(KINDS_KEY) or ()) == STORY_KINDS
    st.button(
        t("slides.story.all") if story else t("slides.story.mode"),
        key="presentation_story",
        icon=":material/view_carousel:" if story else ":material/auto_stories:",
        on_click=_choose_kinds,
        args=(SLIDE_KINDS if story else STORY_KINDS,),
        help=None if story else t("slides.story.mode_help"),
    )


def settings(t: Translator, partners: dict[str, str]) -> None:
    with st.expander(t("slides.settings.title"), icon=":material/tune:"):
        st.pills(
            t("slides.settings.kinds"),
            SLIDE_KINDS,
            selection_mode="multi",
            format_func=lambda kind: t(f"slides.kind.{kind}"),
            key=KINDS_KEY,
            help=t("slides.settings.kinds_help"),
            persist_state="session",
        )
        st.multiselect(
            t("slides.settings.order"),
            list(partners),
            format_func=lambda slug: partners.get(slug, slug),
            key=ORDER_KEY,
            placeholder=t("slides.settings.order_all"),
            select_all=False,  # English only; and the order is chosen one partner at a time
            help=t("slides.settings.order_help"),
            persist_state="session",
        )
        st.number_input(
            t("slides.settings.auto"),
            min_value=0,
            max_value=MAX_AUTO_SECONDS,
            step=5,
            key=AUTO_KEY,
            help=t("slides.settings.auto_help", minimum=MIN_AUTO_SECONDS),
            persist_state="session",
        )
        st.caption(t("slides.settings.keys"))
        st.caption(t("slides.settings.link"))
        st.caption(t("slides.settings.screen"))


def current_slide(deck: list[Slide]) -> tuple[int, Slide]:
    """The slide to show (its number from 1) from the URL, or the one on the screen; remembered."""
    shown = st.session_state.get(SHOWN_KEY)
    index = current_index(
        deck, deck_links.parse_slide_number(url_values.last(SLIDE_PARAM)), None if shown is None else shown[:2]
    )
    number, slide = index + 1, deck[index]
    if shown is None or shown[:2] != (number, slide.key):
        st.session_state[SHOWN_KEY] = (number, slide.key, time.monotonic())
    return number, slide


def projecting() -> bool:
    """Whether the URL asks for the projector view: the slide alone, without the page around it."""
    return deck_links.is_projector_view(url_values.last(VIEW_PARAM))


def _project() -> None:
    st.query_params[VIEW_PARAM] = PROJECTOR_VIEW


def _stop_projecting() -> None:
    publish(VIEW_PARAM, None)


def _move_buttons(t: Translator, number: int, count: int, *, kind: str) -> None:
    """← and → as buttons and keys. No icon: Streamlit already shows the shortcut's arrow on the button."""
    st.button(
        t("slides.nav.previous"),
        key="presentation_previous",
        on_click=go_to,
        args=(number - 1,),
        disabled=number <= 1,
        shortcut="ArrowLeft",
        type="tertiary" if kind == "tertiary" else "secondary",
    )
    st.button(
        t("slides.nav.next"),
        key="presentation_next",
        on_click=go_to,
        args=(number + 1,),
        disabled=number >= count,
        shortcut="ArrowRight",
        type="tertiary" if kind == "tertiary" else "primary",
    )


def navigation(t: Translator, number: int, count: int, auto_seconds: int) -> None:
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        _move_buttons(t, number, count, kind="page")
        st.markdown(f"#### {number} / {count}", anchors=False)
        if auto_seconds and count > 1:
            st.caption(t("slides.nav.auto", seconds=auto_seconds))
        st.space("stretch")
        story_mode(t)
        st.button(
            t("slides.projector.open"),
            key="presentation_project",
            icon=":material/slideshow:",
            on_click=_project,
            help=t("slides.projector.open_help"),
        )


def projector_bar(t: Translator, number: int, count: int) -> None:
    """Under the slide in the projector view: small ← and →, the counter, and the way back (Esc)."""
    with st.container(horizontal=True, vertical_alignment="center", gap="small", key="projector_bar"):
        _move_buttons(t, number, count, kind="tertiary")
        st.caption(f"{number} / {count}")
        st.space("stretch")
        st.button(
            t("slides.projector.exit"),
            key="presentation_exit",
            icon=":material/close_fullscreen:",
            on_click=_stop_projecting,
            shortcut="Esc",
            type="tertiary",
            help=t("slides.projector.exit_help"),
        )


def auto_advance(seconds: int, number: int, count: int) -> None:
    """For an unattended screen: after `seconds` on one slide, the next one (the first after the last)."""

    def tick() -> None:
        shown = st.session_state.get(SHOWN_KEY)
        # A tick can come just before the full interval has passed; half a second is close enough.
        if shown is not None and shown[0] == number and time.monotonic() - shown[2] >= seconds - 0.5:
            go_to(next_number(number, count))
            st.rerun()

    st.fragment(run_every=seconds)(tick)()
