"""Presentation: the deck of the current filters, one slide at a time, for a projector.

The deck model (`content`) is the one the PowerPoint file draws; `ui.slide_views` draws a
slide of it and `ui.presenter` holds the controls and the URL. No HTML anywhere on this page.
"""

import streamlit as st

from content.deck import with_choices
from content.prose import Prose
from ui import presenter, slide_views, styles, views
from ui.context import page_context
from ui.data import read_deck

context = page_context()
t = context.t
# A projector wants the whole width: the sidebar starts closed here (its arrow still opens it).
st.set_page_config(initial_sidebar_state="collapsed")

if not context.has_records:
    views.period_page_header(context, t("slides.page.title"))  # explains how to start, and stops the page

whole = read_deck(context.filters, today=context.today())
if whole.figures.current["activities"] == 0 and whole.events == 0:
    st.title(t("slides.page.title"), anchor=False)
    st.caption(context.period_label())
    views.nothing_matches(context)
    st.stop()

partners = {section.slug: section.short_name for section in whole.sections}
choices = presenter.seed_choices(partners)
deck = with_choices(whole, choices)
prose = Prose(deck, context.lang)

if not deck.slides:
    st.title(t("slides.page.title"), anchor=False)
    st.info(t("slides.deck.no_kinds"), icon=":material/slideshow:")
    presenter.settings(t, partners)
    presenter.publish_choices(choices)
    st.stop()

slides = list(deck.slides)
number, slide = presenter.current_slide(slides)
if presenter.projecting():
    # The room sees the slide alone; the presenter keeps ←/→, a small counter and Esc to come back.
    styles.projector_screen()
    with st.container(key=styles.PROJECTED_SLIDE_KEY):
        slide_views.draw_slide(prose, slide)
    presenter.projector_bar(t, number, len(slides))
else:
    presenter.publish(presenter.VIEW_PARAM, None)  # `view=` with anything but projector means nothing
    presenter.navigation(t, number, len(slides), choices.auto_seconds)
    slide_views.draw_slide(prose, slide)
    st.divider()
    presenter.settings(t, partners)
presenter.publish(presenter.SLIDE_PARAM, str(number))
presenter.publish_choices(choices)
if choices.auto_seconds and len(slides) > 1:
    presenter.auto_advance(choices.auto_seconds, number, len(slides))
