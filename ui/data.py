"""The pages' door to `db.queries`: one pair of engines per database, results cached until the data changes.

Every cached read is keyed on the database's data revision (migration 0008), read once at the start of
each run (`note_data_revision`, one small query): a change saved by anyone, in this process or another
(the command line, a second server), is seen on the next run, and a run without a change reads nothing
else. Entries of an old revision are never asked for again and leave with `max_entries`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, NamedTuple, TypeVar

import streamlit as st
from sqlalchemy import Engine

from charts.registry import direct
from content.gather import gather_deck
from content.model import Deck
from db import migrate, queries
from db.engine import database_url, get_engine, get_write_engine
from db.filters import ActivityFilters
from ui.chart_specs import forget_specs
from ui.faults import page_stops_on_fault
from ui.memo import Memo
from ui.turns import begin_without_turn

T = TypeVar("T")
_REVISION = "data_revision"  # in session_state: this run's revision


class _Engines(NamedTuple):
    read: Engine
    write: Engine


# One pair of engines per database for the whole process, made under a lock. Not st.cache_resource:
# any browser can send Streamlit's `clear_cache` message, which empties st.cache_resource for every
# session; engines made again would rerun the migrations and leave the old pools' connections open.
_ENGINES: dict[str, _Engines] = {}
_ENGINES_LOCK = threading.Lock()


def _engines(url: str) -> _Engines:
    engines = _ENGINES.get(url)
    if engines is None:
        with _ENGINES_LOCK:
            engines = _ENGINES.get(url)
            if engines is None:
                read_engine = get_engine(url)
                # A fresh database gets its schema on first use, so that the app never meets missing tables.
                migrate.upgrade(read_engine)
                # A write waiting for SQLite's lock (another writer) holds up no viewer's page meanwhile.
                writer = get_write_engine(url, before_begin=begin_without_turn)
                engines = _ENGINES[url] = _Engines(read_engine, writer)
    return engines


def _engine(url: str) -> Engine:
    return _engines(url).read


def engine() -> Engine:
    """The engine for `DATABASE_URL`, shared by every session."""
    return _engine(database_url())


def write_engine() -> Engine:
    """The engine for changes: on SQLite each transaction takes the write lock when it begins."""
    return _engines(database_url()).write


def close_engines() -> None:
    """Close every engine's connections; the next use makes them again (after a restore, and between tests)."""
    with _ENGINES_LOCK:
        for engines in _ENGINES.values():
            engines.read.dispose()
            engines.write.dispose()
        _ENGINES.clear()


def note_data_revision() -> None:
    """At the start of a run (dashboard.py): the data revision now, which every cached read of the run keys on."""
    with page_stops_on_fault():
        st.session_state[_REVISION] = queries.data_revision(engine())


def _revision() -> int:
    if _REVISION not in st.session_state:
        note_data_revision()
    return int(st.session_state[_REVISION])


def data_source(*names: Hashable) -> tuple[Hashable, ...]:
    """`names` (what a result was read as) at this database and data revision: a key for what is made from it."""
    return (database_url(), _revision(), *names)


def forget_reads() -> None:
    """After this session's change: the rest of the run reads the new revision; the old entries are dropped."""
    forget_memos()
    note_data_revision()


def forget_memos() -> None:
    """Drop every stored read, deck and chart spec (after a write, a restore, and between tests)."""
    _READS.clear()
    _DECKS.clear()
    forget_specs()


# Every read of every view: at most 2,000 results and about 256 MB (a million activities' widest
# views are a few MB each). Not st.cache_data: see ui/memo.py for what a hit there cost.
_READS = Memo(max_entries=2000, max_bytes=256 * 2**20)
# Decks: each holds its charts' data; a Presentation page's run looks one up.
_DECKS = Memo(max_entries=200, max_bytes=128 * 2**20)


def _checked(query: Callable[..., T]) -> Callable[..., T]:
    """`query` if it is a function of db.queries: the only reads a page may make."""
    if getattr(queries, query.__name__, None) is not query:
        raise ValueError(f"{query.__name__} is not a query of db.queries")
    return query


def fresh(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`query(engine, *args, **kwargs)` read now, past the cache: for a form that must show the record as it is."""
    checked = _checked(query)
    with page_stops_on_fault():
        return checked(engine(), *args, **kwargs)


def read(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`query(engine, *args, **kwargs)` for a function of `db.queries`, kept until the data changes.

    The caller gets its own copy (ui/memo.py): changing it changes nothing for anyone else.
    """
    checked = _checked(query)
    url = database_url()
    # A database that cannot be read (a full disk, a server out of reach) stops the page with its message.
    with page_stops_on_fault():
        key = (url, _revision(), query.__name__, args, tuple(sorted(kwargs.items())))
        return _READS.get(key, lambda: checked(_engine(url), *args, **kwargs))


def read_deck(filters: ActivityFilters, *, today: date) -> Deck:
    """The deck model for `filters` as of `today`, gathered once and kept like the reads.

    One entry for the whole deck: a warm rerun of the Presentation page looks up one key
    rather than the dozens of queries the deck is gathered from.
    """
    url = database_url()
    with page_stops_on_fault():
        key = (url, _revision(), filters, today)
        return _DECKS.get(key, lambda: gather_deck(direct(_engine(url)), filters, today=today))
