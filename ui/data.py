"""The pages' door to `db.queries`: one engine per database, results cached for a few minutes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from sqlalchemy import Engine

from db import migrate, queries
from db.engine import database_url, get_engine, get_write_engine

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


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=2000)
def _cached(url: str, query_name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> Any:
    return getattr(queries, query_name)(_engine(url), *args, **dict(kwargs))


def fresh(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`query(engine, *args, **kwargs)` read now, past the cache: for a form that must show the record as it is."""
    if getattr(queries, query.__name__, None) is not query:
        raise ValueError(f"{query.__name__} is not a query of db.queries")
    return query(engine(), *args, **kwargs)


def read(query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`query(engine, *args, **kwargs)` for a function of `db.queries`, cached for a few minutes."""
    # Functions cannot be hashed by st.cache_data; their names in db.queries can.
    if getattr(queries, query.__name__, None) is not query:
        raise ValueError(f"{query.__name__} is not a query of db.queries")
    return _cached(database_url(), query.__name__, args, tuple(sorted(kwargs.items())))  # type: ignore[no-any-return]
