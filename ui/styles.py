"""The app's only CSS: for what Streamlit 1.67 offers no parameter for. Fixed rules and catalog words, never data.

Each rule names one Streamlit test id or one keyed container (`st.container(key=…)` gives the class
`st-key-<key>`), and tests/test_browser_projector.py looks at every one of them in Chromium, so a
Streamlit upgrade that renames a test id fails a test instead of quietly showing the old page.
A `<style>`-only `st.html` goes to Streamlit's event container and takes no room on the page.
"""

from __future__ import annotations

import re

import streamlit as st

from i18n import Translator

# What the date field shows in an empty segment. Streamlit 1.67 draws the field with the locale
# fixed at en-US ("dd", "mm", "yyyy") whatever the format or the browser's language.
_DATE_SEGMENTS = ("day", "month", "year")
_PLAIN_WORD = re.compile(r"^\w{1,8}$")

# Keyed containers that the projector view lays out (`st-key-<key>` classes).
PROJECTED_SLIDE_KEY = "projected_slide"
TITLE_SLIDE_KEY = "title_slide"

# An activity card (`ui.views.activity_cards`): its keyed container's class begins with this.
ACTIVITY_CARD_KEY = "activity_card_"

# Every page: a card's facts, written small under its title, faded like a caption.
PAGE_CSS = f"""
[class*="st-key-{ACTIVITY_CARD_KEY}"] [data-testid="stMarkdownContainer"] p > span {{ opacity: 0.7; }}
"""

PROJECTOR_CSS = """
/* The slide alone: Streamlit has no way to hide a sidebar that holds widgets, nor its button. */
[data-testid="stSidebar"], [data-testid="stExpandSidebarButton"], [data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 2rem; padding-bottom: 0.5rem; }
/* The slide takes the screen, so the small controls under it stay at the bottom. */
.st-key-projected_slide { min-height: calc(100vh - 6rem); }
/* The title slide in the middle of the screen, in larger type. */
.st-key-title_slide { min-height: calc(100vh - 7rem); justify-content: center; }
.st-key-title_slide h1 { font-size: 4.5rem; }
.st-key-title_slide h2 { font-size: 2.75rem; }
.st-key-title_slide h3 { font-size: 2rem; }
"""


def date_placeholders_css(t: Translator) -> str:
    """Rules that write the language's `дд.мм.гггг` over Streamlit's English `dd/mm/yyyy` in empty date fields."""
    rules = []
    for segment in _DATE_SEGMENTS:
        word = t(f"widget.date.{segment}")
        if not _PLAIN_WORD.match(word):  # a catalog value, but a CSS string must stay a plain word
            raise ValueError(f"widget.date.{segment} must be one short word, not {word!r}")
        field = f'[data-testid="stDateInputField"] [data-placeholder][data-type="{segment}"]'
        rules.append(f"{field} {{ font-size: 0; }}")
        rules.append(f'{field}::before {{ content: "{word}"; font-size: 1rem; }}')
    return "\n".join(rules)


def language_styles(t: Translator) -> None:
    """Every page: the words Streamlit draws in English that only CSS can change."""
    st.html(f"<style>{date_placeholders_css(t)}\n{PAGE_CSS}</style>")


def projector_screen() -> None:
    """The Presentation page's projector view: the slide alone on the screen."""
    st.html(f"<style>{PROJECTOR_CSS}</style>")
