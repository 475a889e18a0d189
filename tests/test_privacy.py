"""The small-number rule (db/privacy.py) and its words: what a viewer reads for a count of pupils."""

from __future__ import annotations

import pytest

from db.privacy import DEFAULT_THRESHOLD, Hidden, masked, small_number_threshold
from i18n.formatting import format_count


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, DEFAULT_THRESHOLD), ("", 5), ("10", 10), (" 3 ", 3), ("0", 0), ("-1", 5), ("x", 5), ("99999", 5)],
)
def test_threshold_from_environment(monkeypatch: pytest.MonkeyPatch, raw: str | None, expected: int) -> None:
    if raw is None:
        monkeypatch.delenv("DASHBOARD_SMALL_NUMBERS", raising=False)
    else:
        monkeypatch.setenv("DASHBOARD_SMALL_NUMBERS", raw)
    assert small_number_threshold() == expected


def test_small_counts_are_hidden_zero_and_larger_are_shown() -> None:
    assert masked(0, 5) == 0
    assert masked(1, 5) == Hidden(5)
    assert masked(4, 5) == Hidden(5)
    assert masked(5, 5) == 5
    assert masked(None, 5) is None
    assert masked(2, 0) == 2  # the rule turned off


def test_a_viewer_reads_less_than_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_SMALL_NUMBERS", "10")
    assert format_count(7, "bg") == "<\u00a010"
    assert format_count(3, "en", threshold=5) == "<\u00a05"
    assert format_count(1234, "bg", threshold=5) == "1\u00a0234"
    assert format_count(None, "en") == ""
