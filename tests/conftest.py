"""Each test gets its own SQLite file, set up through the real migrations; Streamlit's caches start empty."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.runtime.pages_manager import PagesManager

from db import migrate
from db.demo import load_demo
from db.engine import get_engine, get_write_engine
from tests import tally
from tests.helpers import DEMO_TODAY, ORIGINAL_PAGES_MANAGER_INIT
from ui.data import close_engines, forget_memos


def _navigation_only_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    ORIGINAL_PAGES_MANAGER_INIT(self, *args, **kwargs)
    # AppTest resets this flag before each run and, seeing a pages/ folder, takes the legacy
    # multipage path, which resets session state on every run. The app declares its pages with
    # st.navigation. See streamlit/runtime/pages_manager.py; tests/test_pages.py checks the quirk.
    PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def navigation_only_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PagesManager, "__init__", _navigation_only_init)


@pytest.fixture(autouse=True)
def empty_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    forget_memos()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    forget_memos()
    close_engines()  # the app's engines live for the process (ui/data.py): each test's database is its own


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file for this test, also handed to the app through DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'partnerships.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An empty database at the newest schema."""
    engine = get_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def writer(engine: Engine) -> Engine:
    """The same database through the write engine, as the app's forms and imports write to it."""
    return get_write_engine(str(engine.url))


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    """The database with the demo data as of DEMO_TODAY."""
    load_demo(engine, today=DEMO_TODAY)
    return engine


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The hostile and fault suites' counts (tests/tally.py), when any of them ran."""
    lines = tally.summary()
    if lines:
        terminalreporter.section("hostile inputs and faults")
        for line in lines:
            terminalreporter.write_line(line)
