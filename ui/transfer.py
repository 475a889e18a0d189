"""Import and export on the Data screen: an upload checked before anything is written, and downloads.

Every check and write is `db.transfer`; this module only hands it the file and shows the
result. The uploader's `type=` only filters the file dialog: the content is checked by
`db.transfer.read_table`, whatever the file is called.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from db.access import Actor, PermissionDenied
from db.filters import ActivityFilters
from db.transfer import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    TABLES,
    ImportResult,
    Table,
    export_activities,
    export_partners,
    import_activities,
    import_partners,
    template_bytes,
    to_csv_bytes,
    to_xlsx_bytes,
    whole_database,
)
from db.transfer.importing import ReadTable
from db.transfer.reading import MEGABYTE, read_table
from db.transfer.resolving import ADD
from i18n.formatting import format_number
from i18n.problems import describe_problem
from ui.context import PageContext
from ui.data import engine, forget_reads, write_engine
from ui.faults import DATABASE_ERRORS, fault_or_raise, say_fault
from ui.safe import md
from ui.schools import denial

MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
IMPORTERS: dict[Table, Callable[..., ImportResult]] = {"partners": import_partners, "activities": import_activities}
# UI state only: a new key empties the uploader after an import, so the same file is not offered again.
_GENERATION = "_import_generation"
_DONE = "_import_done"
# The file on screen as read: (its SHA-256, name and table, what read_table made of it). One per
# session, replaced by the next file: every click on the page reruns it, and reading is the costly part.
_READ = "_import_read"


def import_panel(context: PageContext, actor: Actor) -> None:
    """Choose the table, upload a file, see the rows read and every problem; then import all of it."""
    t = context.t
    st.subheader(t("transfer.import_title"))
    st.caption(t("transfer.import_help", rows=format_number(MAX_ROWS, context.lang), size=MAX_BYTES // MEGABYTE))
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(done, icon=":material/check_circle:")
    table: Table = st.radio(
        t("transfer.table"),
        TABLES,
        format_func=lambda name: t(f"transfer.table_{name}"),
        horizontal=True,
        key="import_table",
    )
    generation = int(st.session_state.get(_GENERATION, 0))
    upload = st.file_uploader(
        t("transfer.file"),
        type=["csv", "xlsx"],
        max_upload_size=MAX_BYTES // MEGABYTE,
        key=f"import_file_{generation}",
    )
    if upload is None:
        st.session_state.pop(_READ, None)
        return
    data, filename = upload.getvalue(), upload.name
    read = read_once(data, filename, table)

    def check(mapping: dict[tuple[str, str], Any]) -> ImportResult | None:
        # The check only reads, so it runs on the read engine and takes no write lock on every rerun.
        return _run(
            context,
            lambda: IMPORTERS[table](
                engine=engine(), actor=actor, data=data, filename=filename, dry_run=True, mapping=mapping, read=read
            ),
        )

    checked = check({})
    if checked is None:
        return
    result_area = st.container()  # the check's result above the choices, though it is known only after them
    mapping = _choices(context, checked, generation)
    if mapping:
        checked = check(mapping)
        if checked is None:
            return
    with result_area:
        _show_check(context, table, checked)
    if not checked.ok:
        return
    if st.button(
        t("transfer.import_button", count=checked.added),
        type="primary",
        icon=":material/upload:",
        key=f"import_go_{generation}",
    ):
        with st.spinner(t("transfer.importing")):
            result = _run(
                context,
                lambda: IMPORTERS[table](
                    engine=write_engine(), actor=actor, data=data, filename=filename, mapping=mapping, read=read
                ),
            )
        if result is None:
            return
        if not result.ok:  # someone changed the record since the check
            _show_problems(context, result)
            return
        forget_reads()
        st.session_state[_DONE] = t("transfer.imported", count=result.added)
        st.session_state[_GENERATION] = generation + 1
        st.rerun()


def read_once(data: bytes, filename: str, table: Table) -> ReadTable:
    """What read_table makes of the upload, read the first time the file is seen and kept while it stays."""
    key = (hashlib.sha256(data).hexdigest(), filename, table)
    kept = st.session_state.get(_READ)
    if kept is None or kept[0] != key:
        kept = (key, read_table(data, filename, table=table))
        st.session_state[_READ] = kept
    read: ReadTable = kept[1]
    return read


def _run(context: PageContext, action: Callable[[], ImportResult]) -> ImportResult | None:
    """The import's result, or None after telling the user they may not import."""
    try:
        return action()
    except PermissionDenied as error:
        st.error(denial(context.t, error), icon=":material/block:")
        return None
    except DATABASE_ERRORS as error:
        # A full disk or a read-only file: nothing was imported; the file and the choices stay for another try.
        say_fault(context.t, fault_or_raise(error), not_saved=True)
        return None


def _choices(context: PageContext, result: ImportResult, generation: int) -> dict[tuple[str, str], Any]:
    """A choice for each word of the file that names nothing known; returns the mapping the editor chose.

    Focus areas may stay new ones (the default, unless the import took one for an existing area);
    partners may not be added from here: a partner needs more than a name (its kind, city, …).
    """
    if not result.unknowns:
        return {}
    t = context.t
    taken = {(each.field, each.value): each.as_word for each in result.taken}
    mapping: dict[tuple[str, str], Any] = {}
    with st.expander(t("transfer.unknowns_title"), expanded=not result.ok, icon=":material/help:"):
        st.caption(t("transfer.unknowns_help"))
        for number, unknown in enumerate(result.unknowns):
            words = {target: word for word, target in unknown.suggestions}
            options: list[Any] = [ADD] if unknown.can_add else [None]
            options += list(words)
            # What the import does without a choice: a focus area is new, or the existing one it is taken for.
            did = taken.get((unknown.field, unknown.value))
            default = next((i for i, target in enumerate(options) if target in words and words[target] == did), 0)
            choice = st.selectbox(
                # The file's own text, in a label that Streamlit reads as Markdown: escaped.
                t("transfer.unknown_label", value=md(unknown.value), field=t(f"field.{unknown.field}"),
                  rows=", ".join(str(row) for row in unknown.rows)),
                options,
                index=default,
                format_func=_choice_label(t, words),
                key=f"import_map_{generation}_{number}_{unknown.field}",
            )  # fmt: skip
            if choice is not None and choice != options[default]:
                mapping[(unknown.field, unknown.value)] = choice
        if any(unknown.field == "organizations" for unknown in result.unknowns):
            st.caption(t("transfer.partners_not_added"))
    return mapping


def _choice_label(t: Callable[..., str], words: dict[Any, str]) -> Callable[[Any], str]:
    def label(target: Any) -> str:
        if target == ADD:
            return t("transfer.choice_add")
        return t("transfer.choice_none") if target is None else words[target]

    return label


def _show_check(context: PageContext, table: Table, result: ImportResult) -> None:
    t = context.t
    if result.rows:
        st.caption(t("transfer.rows_read", count=result.rows_read))
        st.dataframe(preview(result.rows, table, context.lang, row_label=t("transfer.row")), hide_index=True)
    if result.ok:
        st.success(t("transfer.ready", count=result.added), icon=":material/task_alt:")
        # What the file's words were read as, and the focus areas it adds: said before anything is written.
        if result.taken:
            pairs = ", ".join(t("transfer.pair", value=each.value, word=each.as_word) for each in result.taken)
            st.info(md(t("transfer.taken", pairs=pairs)), icon=":material/swap_horiz:")
        if result.new_tags:
            names = ", ".join(t("transfer.quoted", value=tag.name) for tag in result.new_tags)
            st.info(md(t("transfer.new_tags", names=names)), icon=":material/new_label:")
    else:
        _show_problems(context, result)


def _show_problems(context: PageContext, result: ImportResult) -> None:
    t = context.t
    # Problems quote the file's own text: escaped, so that a cell cannot add links or formatting.
    lines = "\n".join(f"- {md(describe_problem(t, problem))}" for problem in result.problems)
    st.error(f"{md(t('transfer.problems'))}\n\n{lines}", icon=":material/error:")


def preview(rows: list[dict[str, Any]], table: Table, lang: str, *, row_label: str) -> pd.DataFrame:
    """The rows as read, as text: the row number, then each column of the file under its header in `lang`."""
    columns = [c for c in COLUMNS[table] if any(c.field in row for row in rows)]
    records = [
        {row_label: str(row["_row"]), **{c.header(lang): _preview_cell(row.get(c.field)) for c in columns}}
        for row in rows
    ]
    return pd.DataFrame(records, columns=[row_label, *(c.header(lang) for c in columns)], dtype=object)


def _preview_cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return "" if value is None else str(value)


def export_panel(context: PageContext, actor: Actor) -> None:
    """Downloads in the page's language: the activities in the filters, the whole database, the import templates."""
    t = context.t
    st.subheader(t("transfer.export_title"))
    if not actor.can("editor"):
        st.error(t("data.denied"), icon=":material/block:")
        return
    source, lang, filters = engine(), context.lang, context.filters
    today = date.today().isoformat()

    st.markdown(f"**{md(t('transfer.export_filtered'))}** · {md(context.period_label())}")
    first, second, *_ = st.columns(4)
    with first:
        _download(
            t("transfer.xlsx"),
            lambda: to_xlsx_bytes({"activities": export_activities(source, filters, lang=lang)}, lang),
            f"activities-selection-{today}.xlsx",
        )
    with second:
        _download(
            t("transfer.csv"),
            lambda: to_csv_bytes(export_activities(source, filters, lang=lang), lang),
            f"activities-selection-{today}.csv",
        )

    st.markdown(f"**{md(t('transfer.export_all'))}**")
    st.caption(t("transfer.export_all_help"))
    columns = st.columns(4)
    with columns[0]:
        _download(
            t("transfer.xlsx"), lambda: to_xlsx_bytes(whole_database(source, lang), lang), f"partnerships-{today}.xlsx"
        )
    for column, table in zip(columns[1:], TABLES, strict=False):
        with column:
            _download(
                t(f"transfer.{table}_file", format=".csv"),
                _table_csv(source, table, lang),
                f"{table}-{today}.csv",
            )

    st.markdown(f"**{md(t('transfer.templates'))}**")
    st.caption(t("transfer.templates_help"))
    for column, (table, fmt) in zip(st.columns(4), [(tb, f) for tb in TABLES for f in ("xlsx", "csv")], strict=True):
        with column:
            _download(
                t(f"transfer.{table}_file", format=f".{fmt}"),
                _template(table, fmt, lang),
                f"template-{table}.{fmt}",
            )


def _table_csv(source: Any, table: Table, lang: str) -> Callable[[], bytes]:
    if table == "partners":
        return lambda: to_csv_bytes(export_partners(source, lang=lang), lang)
    return lambda: to_csv_bytes(export_activities(source, ActivityFilters(), lang=lang), lang)


def _template(table: Table, fmt: str, lang: str) -> Callable[[], bytes]:
    return lambda: template_bytes(table, "csv" if fmt == "csv" else "xlsx", lang)


def _download(label: str, data: Callable[[], bytes], file_name: str) -> None:
    # A callable is run only when the button is pressed (on its own thread), so building
    # a large export does not slow every rerun of the page; see st.download_button's `data`.
    st.download_button(
        label,
        data,
        file_name=file_name,
        mime=MIME[file_name.rpartition(".")[2]],
        icon=":material/download:",
        on_click="ignore",
        key=f"download_{file_name}",
    )
