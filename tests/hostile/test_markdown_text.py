"""ui.safe.md without a browser: what Streamlit's frontend would find in the text it parsed.

The browser test (test_text_in_the_browser.py) is the proof; this one is fast and runs everywhere.
After CommonMark has taken the escapes away, Streamlit's plugins search the text nodes with these
patterns (from `StreamlitMarkdown` in streamlit/static, 1.67, and mdast-util-gfm-autolink-literal):
none may match what `md()` leaves, and the text less its invisible word joiners is what was typed.
"""

from __future__ import annotations

import re

import pytest

from tests import tally
from ui.safe import WORD_JOINER, md

FOUND_AFTER_PARSING = {
    "material icon": re.compile(r":material[_/](\w+):"),
    "Streamlit logo": re.compile(r":streamlit:"),
    "emoji": re.compile(r":(?!material/|streamlit:)[\w+-][\w_+-]*:"),
    "colour or other directive": re.compile(r":[a-z][a-z0-9-]*\["),
    "bare link": re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE),
    "e-mail link": re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)"),
    "arrow or dash": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
}
# A backslash before ASCII punctuation is an escape; a backslash before a line break is a hard break.
ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")

TYPED = [
    ":material/lock:",
    ":material_lock:",
    ":red[x]",
    ":blue-background[y]",
    ":green-badge[z]",
    ":smile:",
    ":+1:",
    ":streamlit:",
    "$x^2$",
    "$$x$$",
    "www.evil.example",
    "WWW.EVIL.EXAMPLE",
    "http://evil.example",
    "https://evil.example/a?b=c",
    "x@evil.example",
    "<b>x</b>",
    "<img src=x onerror=alert(1)>",
    "[a](javascript:alert(1))",
    "![i](http://evil.example/i.png)",
    "**b** _i_ ~~s~~ `c`",
    "a -> b <- c <-> d -- e >= f <= g ~= h",
    "# Заглавие",
    "Заглавие\n===",
    "| a | b |\n|---|---|",
    "- точка\n1. номер",
    "> цитат",
    "&amp; &copy; &#58;",
    "Бележка[^1]",
    "Ред 1\nРед 2\n\nРед 4",
    "Ред\\",
    "    отстъп",
]


def text_nodes(markdown: str) -> str:
    """Roughly what the parser leaves in the text of a paragraph: escapes and hard breaks resolved."""
    return ESCAPE.sub(r"\1", markdown.replace("\\\n", "\n"))


@pytest.mark.parametrize("typed", TYPED)
def test_md_leaves_nothing_for_streamlit_to_turn_into_something_else(typed: str) -> None:
    shown = text_nodes(md(typed))
    assert shown.replace(WORD_JOINER, "").replace("\u00a0", " ") == typed
    found = {name for name, pattern in FOUND_AFTER_PARSING.items() if pattern.search(shown)}
    assert found == set(), shown
    tally.inputs(1)
