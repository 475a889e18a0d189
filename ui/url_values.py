"""Values from the address, read one way on every page: whatever a link holds, it is never an error.

A link is typed, pasted, cut short or made by someone else. Every page reads its parameters here:
a repeated parameter counts by its last value (as `st.query_params` reads it), a value longer
than any this app writes is no value at all, and a number is ASCII digits of sensible length.
What is not a value the page knows falls back to the page's default (tests/hostile/test_urls.py).
"""

from __future__ import annotations

import streamlit as st

# Longer than any value the app writes (a presentation's order of every partner is a few thousand
# characters at most): junk, not a name to look up, cache or write back into the address.
MAX_VALUE_CHARS = 10_000


def every(key: str) -> list[str]:
    """Every value of `key` in the address (a repeated parameter, in order); none that is too long."""
    return [value for value in st.query_params.get_all(key) if len(value) <= MAX_VALUE_CHARS]


def last(key: str) -> str | None:
    """The value of `key` (the last one, if repeated); None when there is none or it is too long."""
    values = st.query_params.get_all(key)
    return values[-1] if values and len(values[-1]) <= MAX_VALUE_CHARS else None


def whole_number(value: object, *, max_digits: int) -> int | None:
    """An ASCII whole number of at most `max_digits` digits (spaces around ignored); None for anything else.

    `str.isdigit` also says yes to `²`, `¹²³` and `٣`, which int() refuses, and a 5,000-digit
    number is work for nothing: both come from hand-edited or hostile links.
    """
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= max_digits else None
