"""Text from the database shown as text: exactly as typed, never as formatting, links, icons or HTML.

Streamlit reads every text it shows (markdown, captions, titles, alerts, widget labels, help) as
Markdown, and its frontend (react-markdown with remark-gfm, remark-math, remark-directive,
remark-emoji and plugins of its own, `StreamlitMarkdown` in streamlit/static) does more than
CommonMark: `:material/lock:` becomes an icon, `:streamlit:` a logo, `:red[x]` colour, `:smile:`
an emoji, `$x$` maths, `www.x`, `http://x` and `a@b.cc` links, and ` -> `, ` -- `, ` <= ` arrows and
dashes. Escaping with backslashes stops what the parser reads, but the icons, emoji, bare links and
arrows are found afterwards in the parsed text, where the escapes are gone. So `md()` escapes
every Markdown character *and* puts an invisible WORD JOINER (U+2060) where those later passes look:
after each `:`, after `@`, inside `www.` and between the two characters of an arrow. The joiner
has no width, does not break a line and does not join emoji, so the page shows what was typed.
"""

from __future__ import annotations

import re

from db.validation import is_plain_web_address

WORD_JOINER = "\u2060"

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=^@])")
# Where Streamlit's frontend looks after parsing (see the module docstring), with the joiner put
# after the escaped character; `\\.` is an escaped character, as _MARKDOWN_SPECIALS writes it.
_AFTER_PARSING = [
    (re.compile(r"(\\[:@])"), rf"\1{WORD_JOINER}"),  # icons, logo, emoji, colours, http://, e-mail
    (re.compile(r"(www)(?=\\\.)", re.IGNORECASE), rf"\1{WORD_JOINER}"),  # www.
    (re.compile(r"(\\[-<>~])(?=\\[-<>=])"), rf"\1{WORD_JOINER}"),  # -> <- <-> -- >= <= ~=
]
_LEADING_SPACES = re.compile(r"^[ \t]+", re.MULTILINE)


def md(text: object) -> str:
    """`text` for `st.markdown`, a caption, a title or a label: shown exactly as typed.

    Line breaks stay line breaks (a Markdown hard break), and a line's leading spaces stay
    spaces rather than making a code block.
    """
    value = str(text or "").replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
    value = _MARKDOWN_SPECIALS.sub(r"\\\1", value)
    for pattern, replacement in _AFTER_PARSING:
        value = pattern.sub(replacement, value)
    value = _LEADING_SPACES.sub(lambda found: "\u00a0" * len(found.group()), value)
    # A backslash at the end of a line is a hard line break; an empty line would end the paragraph.
    return "\\\n".join(value.split("\n"))


def web_link(url: str | None) -> str | None:
    """The URL if it is a plain http(s) address (the check of db.validation) to offer as a link, else None.

    Addresses stored before that check was tightened are not offered.
    """
    url = (url or "").strip()
    return url if is_plain_web_address(url) else None
