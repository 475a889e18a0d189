"""The pages' door to `db.queries`: one engine per database, results cached for a few minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from charts.registry import direct
from content.gather import gather_deck
from content.model import Deck
from db import migrate, queries
from db.engine import database_url, get_engine, get_write_engine
from db.filters import ActivityFilters
from ui.faults import page_stops_on_fault

T = TypeVar("T")
CACHE_SECONDS = 300


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    engine = get_engine(url)
    # A fresh database gets its schema on first use, so that the app never meets missing tables.
    migrate.upgrade(engine)
    return engine


def engine() -> Engine:
    """The engine for `DATABASE_URL`, shared by every session."""
    return _engine(database_url())


@st.cache_resource(show_spinner=False)
def _write_engine(url: str) -> Engine:
    _engine(url)  # the schema first
    return get_write_engine(url)


def write_engine() -> Engine:
    """The engine for changes: on SQLite each transaction takes the write lock when it begins."""
    return _write_engine(database_url())


def forget_reads() -> None:
    """After a change: every cached read may now be stale."""
    _cached.clear()
    _deck.clear()


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=2000)
def _cached(
    url: str, query_name: str, _query: Callable[..., Any], args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]
) -> Any:
    # st.cache_data cannot hash a function: the key holds its name, and `_query` (not hashed) is called.
    return _query(_engine(url), *args, **dict(kwargs))


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
    """`query(engine, *args, **kwargs)` for a function of `db.queries`, cached for a few minutes."""
    key = tuple(sorted(kwargs.items()))
    checked = _checked(query)
    # A database that cannot be read (a full disk, a server out of reach) stops the page with its message.
    with page_stops_on_fault():
        return _cached(database_url(), query.__name__, checked, args, key)  # type: ignore[no-any-return]


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=200)
def _deck(url: str, filters: ActivityFilters, today: date) -> Deck:
    return gather_deck(direct(_engine(url)), filters, today=today)


def read_deck(filters: ActivityFilters, *, today: date) -> Deck:
    """The deck model for `filters` as of `today`, gathered once and cached like the reads.

    One entry for the whole deck: a warm rerun of the Presentation page looks up one key
    rather than the dozens of queries the deck is gathered from.
    """
    with page_stops_on_fault():
        return _deck(database_url(), filters, today)
