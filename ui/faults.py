"""A bad day said in the page's language: a full disk, a read-only database, a server out of reach.

db/faults.py names the fault; here it becomes the catalog's words. A read that fails stops the page
with the message; a save that fails says so under its form, whose inputs keep what was typed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from db.faults import Fault, fault_of
from i18n import DEFAULT_LANGUAGE, Translator, translator
from ui.state import LANG_KEY

# What a read or a write may raise on a bad day; fault_of tells a fault from an error of the code.
DATABASE_ERRORS = (SQLAlchemyError, sqlite3.Error, OSError)
ICONS = {
    Fault.DISK_FULL: ":material/hard_drive:",
    Fault.DISK_ERROR: ":material/hard_drive:",
    Fault.READ_ONLY: ":material/lock:",
    Fault.CANNOT_OPEN: ":material/database:",
    Fault.UNREACHABLE: ":material/cloud_off:",
    Fault.BUSY: ":material/hourglass_top:",
}


def fault_or_raise(error: BaseException) -> Fault:
    """The fault behind `error`; anything else is raised again, as the bug it is."""
    fault = fault_of(error)
    if fault is None:
        raise error
    return fault


def say_fault(t: Translator, fault: Fault, *, not_saved: bool = False) -> None:
    """The fault's message; after a refused save, also that nothing was saved and the inputs stay."""
    message = t(f"fault.{fault}")
    if not_saved:
        message += "\n\n" + t("data.fault_not_saved")
    st.error(message, icon=ICONS[fault])


@contextmanager
def page_stops_on_fault() -> Iterator[None]:
    """Around a read: on a fault the page shows its message, in the page's language, and stops there."""
    try:
        yield
    except DATABASE_ERRORS as error:
        fault = fault_or_raise(error)
        # The language switch is drawn before any read, so its choice is already in the session.
        say_fault(translator(str(st.session_state.get(LANG_KEY, DEFAULT_LANGUAGE))), fault)
        st.stop()
