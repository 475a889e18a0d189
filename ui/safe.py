"""Text from the database shown as text: Markdown characters are escaped, HTML is never rendered."""

from __future__ import annotations

import re

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md(text: object) -> str:
    """`text` escaped so that `st.markdown` shows it exactly as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text or ""))


def web_link(url: str) -> str | None:
    """The URL if it is an http(s) address that can be offered as a link, else None."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s<>\"']+$", url, flags=re.IGNORECASE) else None
