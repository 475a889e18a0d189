"""The process-wide store of reads, decks and chart specs (ui/memo.py): copies, bounds, one computation per key."""

from __future__ import annotations

import threading
import time
from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine

from content.model import Deck
from db.filters import ActivityFilters
from tests.helpers import count_queries, open_app
from ui.memo import Memo, private_copy


def test_a_page_changing_its_frame_changes_nothing_for_the_next_reader() -> None:
    memo = Memo(max_entries=10, max_bytes=10**8)
    frame = pd.DataFrame({"name": ["Амалипе", "Ларго"], "count": [3, 4]})
    first = memo.get("k", lambda: frame)
    first["count"] += 100  # what a careless page might do
    first.loc[0, "name"] = "x"
    first["extra"] = 1
    again = memo.get("k", lambda: pytest.fail("computed twice"))
    assert again["count"].tolist() == [3, 4]
    assert again["name"].tolist() == ["Амалипе", "Ларго"]
    assert "extra" not in again.columns


def test_nested_results_come_back_as_private_copies() -> None:
    memo = Memo(max_entries=10, max_bytes=10**8)
    stored = {"partners": [{"slug": "amalipe", "years": [2023]}], "frame": (pd.DataFrame({"a": [1]}), 5)}
    first = memo.get("k", lambda: stored)
    first["partners"][0]["years"].append(1999)
    first["frame"][0]["a"] = 7
    again = memo.get("k", lambda: {})
    assert again["partners"] == [{"slug": "amalipe", "years": [2023]}]
    assert again["frame"][0]["a"].tolist() == [1]
    assert again["frame"][1] == 5


def test_a_frozen_deck_shares_what_cannot_change_and_copies_its_charts(demo_engine: Engine) -> None:
    from charts.registry import direct
    from content.gather import gather_deck

    deck = gather_deck(direct(demo_engine), ActivityFilters(school_year=2023), today=date(2024, 6, 1))
    copied = private_copy(deck)
    assert isinstance(copied, Deck)
    # Frozen records of plain values are shared, not copied; a dict inside one is copied.
    assert copied.sections[0].latest is deck.sections[0].latest
    copied.sections[0].figures.current["activities"] = -1
    assert deck.sections[0].figures.current["activities"] > 0
    assert copied.charts is not deck.charts
    name = next(iter(deck.charts))
    if isinstance(deck.charts[name], pd.DataFrame):
        copied.charts[name]["changed"] = 1
        assert "changed" not in deck.charts[name].columns


def test_the_store_keeps_at_most_its_entries_and_bytes() -> None:
    memo = Memo(max_entries=3, max_bytes=10**8)
    for n in range(10):
        memo.get(n, lambda n=n: n)
    assert len(memo) == 3
    big = Memo(max_entries=100, max_bytes=50_000)
    for n in range(20):
        big.get(n, lambda: pd.DataFrame({"x": range(1000)}))  # ~8 kB each
    assert big.bytes_held <= 50_000
    assert 1 <= len(big) <= 6
    big.get("huge", lambda: pd.DataFrame({"x": range(100_000)}))  # larger than the whole store: not kept
    assert big.bytes_held <= 50_000


def test_the_least_recently_used_goes_first() -> None:
    memo = Memo(max_entries=2, max_bytes=10**8)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: pytest.fail("a was dropped"))
    memo.get("c", lambda: 3)
    assert memo.get("a", lambda: -1) == 1
    assert memo.get("b", lambda: -2) == -2  # b was the oldest


def test_a_room_opening_the_same_view_at_once_computes_it_once() -> None:
    memo = Memo(max_entries=10, max_bytes=10**8)
    calls = []

    def slow() -> pd.DataFrame:
        calls.append(1)
        time.sleep(0.2)
        return pd.DataFrame({"a": [1]})

    results = []
    threads = [threading.Thread(target=lambda: results.append(memo.get("view", slow))) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 30


def test_a_result_computed_across_a_clear_is_not_kept() -> None:
    """A write clears the store while a slow read runs: that read's (older) result must not stay."""
    memo = Memo(max_entries=10, max_bytes=10**8)
    started, release = threading.Event(), threading.Event()

    def slow() -> str:
        started.set()
        release.wait(5)
        return "before the write"

    thread = threading.Thread(target=lambda: memo.get("view", slow))
    thread.start()
    started.wait(5)
    memo.clear()
    release.set()
    thread.join()
    assert memo.get("view", lambda: "after the write") == "after the write"


def test_a_failed_computation_leaves_nothing_and_can_be_tried_again() -> None:
    memo = Memo(max_entries=10, max_bytes=10**8)

    def failing() -> int:
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        memo.get("k", failing)
    assert memo.get("k", lambda: 7) == 7


def test_a_warm_rerun_reads_nothing_from_the_database(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Overview's second run finds every read in the store: only the data revision is asked for."""
    app = open_app(page="pages/overview.py", year="all")
    asked = count_queries(
        monkeypatch, "activity_list", "figures_with_comparison", "activities_by_organization", "record_counts"
    )
    app.run()
    assert not app.exception
    assert asked == []
