"""The Data screen's outcomes tab: an editor enters a school year's figures and targets, or imports and exports
them as a wide table. Each save is one call to db/outcomes.py (db/transfer/outcomes.py for a file)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from db.access import Actor, PermissionDenied
from db.filters import ActivityFilters
from db.indicators import indicators
from db.outcomes import last_school_year, save_outcomes
from db.queries.outcomes import outcomes
from db.school_year import school_year_label, school_year_of
from db.transfer import to_csv_bytes, to_xlsx_bytes
from db.transfer.outcomes import SHEET, export_outcomes, import_outcomes
from db.validation import InvalidInput
from i18n.problems import describe_problem
from ui.context import PageContext
from ui.data import engine, forget_reads, fresh, write_engine
from ui.faults import DATABASE_ERRORS, fault_or_raise, say_fault
from ui.safe import md
from ui.schools import denial, is_network, school_names

FIRST_OFFERED = 2000  # the form offers the years back to this one; a file may bring older ones (from 1990)


def outcome_editor(context: PageContext, actor: Actor) -> None:
    """Choose a school (in a network) and a school year; enter each indicator's value and target; save."""
    t = context.t
    st.subheader(t("outcomes.form.heading"))
    st.caption(t("outcomes.form.intro"))
    school_id = _school(context, actor)
    years = list(range(last_school_year(), FIRST_OFFERED - 1, -1))
    current = school_year_of(date.today())
    year = st.selectbox(
        t("outcomes.form.year"), years, index=years.index(current), format_func=school_year_label, key="outcome_year"
    )
    stored = fresh(outcomes, ActivityFilters(school_year=year, school_ids=(school_id,)))
    values = {str(row.indicator): (row.value, row.target) for row in stored.itertuples()}
    prefix = f"outcome-{school_id}-{year}-{st.session_state.get('_outcomes_saved', 0)}"
    with st.form(key=f"{prefix}-form", enter_to_submit=False):
        typed: dict[str, tuple[str, str]] = {}
        for item in indicators():
            name, value_place, target_place = st.columns([2, 1, 1], vertical_alignment="bottom")
            name.markdown(f"**{t(f'indicator.{item.key}')}**  \n{t(f'indicator_unit.{item.unit}')}")
            value, target = values.get(item.key, (None, None))
            typed[item.key] = (
                value_place.text_input(
                    t("outcomes.form.value"), _shown(value, context.lang), key=f"{prefix}-{item.key}-value"
                ),
                target_place.text_input(
                    t("outcomes.form.target"), _shown(target, context.lang), key=f"{prefix}-{item.key}-target"
                ),
            )
        saved = st.form_submit_button(t("outcomes.form.save"), type="primary", icon=":material/save:")
    if saved:
        figures = {key: (value.strip() or None, target.strip() or None) for key, (value, target) in typed.items()}
        if _save(context, lambda: save_outcomes(
            engine=write_engine(), actor=actor, school_id=school_id, school_year=year, figures=figures
        )):  # fmt: skip
            st.session_state["_outcomes_saved"] = st.session_state.get("_outcomes_saved", 0) + 1
            st.session_state["_outcomes_done"] = t("outcomes.form.saved", year=school_year_label(year))
            st.rerun()
    done = st.session_state.pop("_outcomes_done", None)
    if done:
        st.success(done, icon=":material/check_circle:")
    st.divider()
    _transfer(context, actor)


def _shown(value: Any, lang: str) -> str:
    """A stored figure as the input shows it (`94,5` in Bulgarian, `94.5` in English), which the save reads back."""
    if value is None or value != value:
        return ""
    number = float(value)
    text = str(int(number)) if number.is_integer() else f"{number:g}"
    return text.replace(".", ",") if lang == "bg" else text


def _school(context: PageContext, actor: Actor) -> int:
    """The school whose figures are entered: asked only in a network, among those the editor may write in."""
    names = school_names()
    allowed = {i: n for i, n in names.items() if actor.school_id is None or actor.school_id == i}
    if not is_network() or not allowed:
        return actor.school_id or min(names)
    options = list(allowed)
    return st.selectbox(  # type: ignore[no-any-return]
        context.t("field.school"), options, format_func=allowed.get, key="outcome_school"
    )


def _save(context: PageContext, action: Any) -> bool:
    t = context.t
    try:
        action()
    except PermissionDenied as error:
        st.error(denial(t, error), icon=":material/block:")
        return False
    except InvalidInput as invalid:
        st.error(
            t("data.not_saved") + "\n\n" + "\n".join(f"- {md(describe_problem(t, p))}" for p in invalid.problems),
            icon=":material/error:",
        )
        return False
    except DATABASE_ERRORS as error:
        say_fault(t, fault_or_raise(error), not_saved=True)
        return False
    forget_reads()
    return True


def _transfer(context: PageContext, actor: Actor) -> None:
    """Download every school year's outcomes as .xlsx (or .csv); upload a file of them."""
    t, lang = context.t, context.lang
    st.subheader(t("outcomes.transfer.heading"))
    source = engine()
    filters = ActivityFilters(school_ids=() if actor.school_id is None else (actor.school_id,))
    sheet = SHEET["bg" if lang == "bg" else "en"]
    first, second, *_ = st.columns(4)
    first.download_button(
        t("outcomes.transfer.export"),
        lambda: to_xlsx_bytes({sheet: export_outcomes(source, filters, lang=lang)}, lang),
        file_name="outcomes.xlsx",
        icon=":material/download:",
        on_click="ignore",
        key="download_outcomes_xlsx",
    )
    second.download_button(
        t("transfer.csv"),
        lambda: to_csv_bytes(export_outcomes(source, filters, lang=lang), lang),
        file_name="outcomes.csv",
        icon=":material/download:",
        on_click="ignore",
        key="download_outcomes_csv",
    )
    upload = st.file_uploader(t("outcomes.transfer.upload"), type=["xlsx", "csv"], key="outcomes_upload")
    if upload is None:
        return
    digest = f"{upload.name}-{upload.size}-{upload.file_id}"
    if st.session_state.get("_outcomes_imported") == digest:
        return
    try:
        result = import_outcomes(engine=write_engine(), actor=actor, data=upload.getvalue(), filename=upload.name)
    except PermissionDenied as error:
        st.error(denial(t, error), icon=":material/block:")
        return
    except DATABASE_ERRORS as error:
        say_fault(t, fault_or_raise(error), not_saved=True)
        return
    if result.problems:
        st.error(
            t("data.not_saved") + "\n\n" + "\n".join(f"- {md(describe_problem(t, p))}" for p in result.problems[:50]),
            icon=":material/error:",
        )
        return
    st.session_state["_outcomes_imported"] = digest
    forget_reads()
    st.success(t("outcomes.transfer.imported", count=result.years), icon=":material/check_circle:")
