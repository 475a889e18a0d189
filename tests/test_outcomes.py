"""Outcomes per school year: the migration, the write and its checks, the roles, the import and export,
the Outcomes page, the small-number rule for viewers, and the demo's outcomes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from db import migrate
from db.access import COMMAND_LINE, Actor, PermissionDenied
from db.backup import backup, restore
from db.indicators import INDICATORS
from db.models import AuditEntry, SchoolOutcome
from db.outcomes import save_outcomes
from db.schools import add_school
from db.validation import InvalidInput
from i18n import translator
from i18n.problems import describe_problem

EDITOR = Actor("maria", "editor")
TODAY = date(2026, 11, 25)


def stored(engine: Engine) -> list[tuple[int, int, str, float, float | None]]:
    with Session(engine) as session:
        rows = session.execute(
            select(
                SchoolOutcome.school_id,
                SchoolOutcome.school_year,
                SchoolOutcome.indicator,
                SchoolOutcome.value,
                SchoolOutcome.target,
            ).order_by(SchoolOutcome.school_year, SchoolOutcome.indicator)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def save(engine: Engine, figures: dict[str, object], *, year: object = 2024, actor: Actor = EDITOR, school: int = 1):  # type: ignore[no-untyped-def]
    save_outcomes(engine=engine, actor=actor, school_id=school, school_year=year, figures=figures, today=TODAY)  # type: ignore[arg-type]


def messages(error: InvalidInput, lang: str = "bg") -> list[str]:
    t = translator(lang)
    return [describe_problem(t, problem) for problem in error.problems]


# ---- the migration ---------------------------------------------------------------------------


def test_the_migration_adds_the_table_and_the_stage_columns_and_goes_back(engine: Engine) -> None:
    save(engine, {"enrolled": (120, 125)})
    columns = {column["name"] for column in inspect(engine).get_columns("activities")}
    assert {"pupils_primary", "pupils_secondary", "parents", "teachers"} <= columns
    with engine.connect() as connection:
        triggers = {row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))}
    assert {f"data_revision_school_outcomes_{e}" for e in ("insert", "update", "delete")} <= triggers

    migrate.downgrade(engine, "0011")

    assert migrate.current_revision(engine) == "0011"
    inspector = inspect(engine)
    assert "school_outcomes" not in inspector.get_table_names()
    assert "pupils_primary" not in {column["name"] for column in inspector.get_columns("activities")}
    migrate.upgrade(engine)
    assert stored(engine) == []


def test_a_saved_figure_ends_the_cached_reads(engine: Engine) -> None:
    with engine.connect() as connection:
        before = connection.scalar(text("SELECT revision FROM data_revision"))
    save(engine, {"attendance": ("94,5", None)})
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT revision FROM data_revision")) != before


# ---- the write -------------------------------------------------------------------------------


def test_a_school_year_is_saved_whole_and_audited(engine: Engine) -> None:
    save(engine, {"enrolled": ("120", "125"), "attendance": ("94,5", 95), "dropped_out": (3, 0)})
    assert stored(engine) == [
        (1, 2024, "attendance", 94.5, 95.0),
        (1, 2024, "dropped_out", 3.0, 0.0),
        (1, 2024, "enrolled", 120.0, 125.0),
    ]
    # None deletes a figure; an indicator left out stays.
    save(engine, {"dropped_out": (None, None), "enrolled": (118, None)})
    assert stored(engine) == [(1, 2024, "attendance", 94.5, 95.0), (1, 2024, "enrolled", 118.0, None)]
    with Session(engine) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "outcomes")).all()
    assert [(e.actor, e.action, e.entity_id, e.school_id, e.summary) for e in entries] == [
        ("maria", "update", 2024, 1, "2024/2025"),
        ("maria", "update", 2024, 1, "2024/2025"),
    ]
    assert '"dropped_out": 3.0' in (entries[1].before or "") and "dropped_out" not in (entries[1].after or "")


@pytest.mark.parametrize(
    ("figures", "year", "bg"),
    [
        ({"enrolled": (-3, None)}, 2024, "„Записани ученици“ не може да е отрицателно число (-3)."),
        ({"attendance": (104, None)}, 2024, "„Посещаемост“: 104 е повече от 100 %."),
        ({"enrolled": ("много", None)}, 2024, "„Записани ученици“: „много“ не е число."),
        ({"enrolled": (12.5, None)}, 2024, "„Записани ученици“: „12.5“ не е цяло число."),
        ({"enrolled": (100, "сто")}, 2024, "„Цел: Записани ученици“: „сто“ не е число."),
        (
            {"enrolled": (20, None), "dropped_out": (21, None)},
            2024,
            "„Отпаднали ученици“ (21) е повече от записаните ученици (20).",
        ),
        ({"continuing": (None, 30)}, 2024, "„Продължили в следващия етап“ е задължително."),
        ({"enrolled": (20, None)}, 1989, "Учебната година трябва да е между 1990 и 2027."),
        ({"enrolled": (20, None)}, 2028, "Учебната година трябва да е между 1990 и 2027."),
        ({"enrolled": (20, None)}, "2024", "Учебната година трябва да е между 1990 и 2027."),
        ({"pupils": (20, None)}, 2024, "„Показател“: няма такава стойност – „pupils“."),
    ],
)
def test_a_bad_figure_is_refused_with_a_message_and_nothing_is_written(
    engine: Engine, figures: dict[str, object], year: object, bg: str
) -> None:
    save(engine, {"enrolled": (100, None), "attendance": (90, None)}, year=2024)
    before = stored(engine)
    with pytest.raises(InvalidInput) as refused:
        save(engine, {**figures, "parents_involved": (40, None)}, year=year)
    assert messages(refused.value) == [bg]
    assert messages(refused.value, "en")[0] != bg
    assert stored(engine) == before


def test_a_part_of_the_pupils_is_compared_with_the_enrolled_on_record(engine: Engine) -> None:
    save(engine, {"enrolled": (20, None)})
    with pytest.raises(InvalidInput) as refused:
        save(engine, {"extracurricular": (25, None)})
    assert messages(refused.value, "en") == [
        "“Pupils in extracurricular activities” (25) is more than the pupils enrolled (20)."
    ]
    save(engine, {"extracurricular": (20, None)})


def test_a_viewer_and_another_schools_editor_are_refused(engine: Engine) -> None:
    other = add_school(engine=engine, actor=COMMAND_LINE, data={"name": "СУ „Христо Ботев“ – Дупница"})
    with pytest.raises(PermissionDenied):
        save(engine, {"enrolled": (100, None)}, actor=Actor("viewer", "viewer"))
    with pytest.raises(PermissionDenied):
        save(engine, {"enrolled": (100, None)}, actor=Actor("botev", "editor", other))
    assert stored(engine) == []
    save(engine, {"enrolled": (100, None)}, actor=Actor("botev", "editor", other), school=other)
    assert stored(engine) == [(other, 2024, "enrolled", 100.0, None)]


def test_every_indicator_has_words_in_both_languages() -> None:
    for lang in ("bg", "en"):
        t = translator(lang)
        for item in INDICATORS:
            assert t(f"indicator.{item.key}") and t(f"indicator_unit.{item.unit}")


def test_a_backup_and_its_restore_carry_the_outcomes(engine: Engine, tmp_path: Path) -> None:
    save(engine, {"enrolled": (120, 125), "attendance": (94.5, None)})
    copy = backup(engine, tmp_path / "copy.db")
    save(engine, {"enrolled": (None, None)})
    restore(engine, copy, actor=COMMAND_LINE, keep_current_in=tmp_path)
    assert stored(engine) == [(1, 2024, "attendance", 94.5, None), (1, 2024, "enrolled", 120.0, 125.0)]


# ---- an activity's reach by stage --------------------------------------------------------------


def test_an_activitys_stages_cannot_be_more_than_the_pupils_reached(engine: Engine, writer: Engine) -> None:
    from db.writes import create_activity
    from tests.factories import add_partner

    partner = add_partner(engine, slug="ros", name="Ромски общностен съвет", short_name="РОС")
    data = {
        "title": "Ден на ромите",
        "type": "round_table",
        "start_date": date(2024, 4, 8),
        "organizations": [(partner, "organizer")],
        "pupils_reached": 30,
        "pupils_primary": "20",
        "pupils_secondary": 12,
        "parents": 8,
        "teachers": 4,
    }
    with pytest.raises(InvalidInput) as refused:
        create_activity(engine=writer, actor=EDITOR, data=data, today=TODAY)
    assert messages(refused.value) == ["Учениците от I–IV и от V–VII клас (32) са повече от обхванатите ученици (30)."]
    activity = create_activity(engine=writer, actor=EDITOR, data={**data, "pupils_secondary": 10}, today=TODAY)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT pupils_primary, pupils_secondary, parents, teachers FROM activities WHERE id = :id"),
            {"id": activity},
        ).one()
    assert tuple(row) == (20, 10, 8, 4)


# ---- the Outcomes page -----------------------------------------------------------------------


def _page_texts(app) -> str:  # type: ignore[no-untyped-def]
    parts = [str(e.value) for kind in ("title", "subheader", "caption", "markdown", "info") for e in app.get(kind)]
    parts += [frame.value.to_csv() for frame in app.dataframe]
    parts += [str(metric.value) for metric in app.metric]
    return "\n".join(parts)


def _chart_data(app) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    """Every row of every dataset the page's charts carry (Streamlit sends them as Arrow)."""
    import json

    import pyarrow as pa

    rows: list[dict[str, object]] = []
    for chart in app.get("vega_lite_chart"):
        proto = chart.proto
        for dataset in proto.datasets:
            rows += pa.ipc.open_stream(dataset.data.data).read_all().to_pylist()
        spec = json.loads(proto.spec)
        rows += spec.get("data", {}).get("values", []) if isinstance(spec.get("data"), dict) else []
    return rows


@pytest.fixture
def small_figures(writer: Engine) -> Engine:
    """Two school years of a school where few pupils left: 6, then 3 (hidden from viewers); one activity."""
    from tests.factories import add_activity, add_partner

    partner = add_partner(writer, slug="ros", name="РОС", short_name="РОС")
    add_activity(writer, title="Среща", type="meeting", start=date(2024, 10, 8), partners=((partner, "organizer"),))
    save(writer, {"enrolled": (180, 200), "dropped_out": (6, 3), "attendance": (88.5, 92)}, year=2023)
    save(writer, {"enrolled": (186, 200), "dropped_out": (3, 3), "attendance": ("90,4", 92)}, year=2024)
    return writer


@pytest.mark.parametrize(
    ("lang", "title", "caption"),
    [
        ("bg", "Резултати по учебни години", "графиката не твърди, че едното е причина за другото"),
        ("en", "Outcomes by school year", "the chart does not claim that one causes the other"),
    ],
)
def test_the_page_shows_each_indicator_and_the_years_table(
    demo_engine: Engine, lang: str, title: str, caption: str
) -> None:
    from tests.helpers import open_app

    app = open_app(page="pages/outcomes.py", lang=lang, year="2024-2025")
    texts = _page_texts(app)
    assert title in texts and caption in texts
    t = translator(lang)
    headings = [str(h.value) for h in app.main.subheader]
    assert headings[0] == t("outcomes.year_table", year="2024/2025")
    assert headings[1:] == [t(f"indicator.{item.key}") for item in INDICATORS]
    assert len(app.get("vega_lite_chart")) == len(INDICATORS)
    table = app.dataframe[0].value
    assert list(table[t("outcomes.column.indicator")]) == [t(f"indicator.{item.key}") for item in INDICATORS]
    enrolled = table.iloc[0]
    assert (enrolled[t("outcomes.column.value")], enrolled[t("outcomes.column.target")]) == ("204", "215")
    assert enrolled[t("outcomes.column.change")] == "▲ +6"  # 198 in 2023/2024


def test_a_viewer_never_gets_a_count_below_the_threshold(small_figures: Engine) -> None:
    from tests.helpers import open_app

    app = open_app(page="pages/outcomes.py", year="2024-2025")
    table = app.dataframe[0].value.set_index("Показател")
    assert table.loc["Отпаднали ученици", "Стойност"] == "<\u00a05"
    # The change would give the hidden figure away (6 → 3): not told.
    assert table.loc["Отпаднали ученици", "Промяна спрямо предходната година"] == ""
    assert table.loc["Посещаемост", "Стойност"] == "90,4 %"
    assert table.loc["Посещаемост", "Промяна спрямо предходната година"] == "▲ +1,9"
    assert "Брой под 5 се показва като „< 5“" in _page_texts(app)
    dropped = [row for row in _chart_data(app) if row.get("series") == "Постигнато" and row.get("figure") == 3.0]
    assert dropped == []
    figures = {(row.get("year_label"), row.get("series")): row.get("figure") for row in _chart_data(app)}
    assert figures[("2023/2024", "Постигнато")] is not None  # the other points are drawn
    assert 3.0 not in {value for (year, series), value in figures.items() if series == "Постигнато"}


def test_an_editor_sees_the_exact_figure(small_figures: Engine) -> None:
    from db.accounts import add_user
    from tests.helpers import PASSWORD, open_app, sign_in

    add_user(engine=small_figures, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    app = open_app(year="2024-2025")
    sign_in(app, "maria")
    app.switch_page("pages/outcomes.py").run()
    assert not app.exception
    table = app.dataframe[0].value.set_index("Показател")
    assert table.loc["Отпаднали ученици", "Стойност"] == "3"
    assert table.loc["Отпаднали ученици", "Промяна спрямо предходната година"] == "▼ \u22123"
    assert any(row.get("figure") == 3.0 and row.get("series") == "Постигнато" for row in _chart_data(app))


def test_the_page_says_when_there_are_no_outcomes(engine: Engine) -> None:
    from tests.factories import add_activity, add_partner
    from tests.helpers import open_app

    partner = add_partner(engine, slug="ros", name="РОС", short_name="РОС")
    add_activity(engine, title="Среща", type="meeting", start=date(2024, 4, 8), partners=((partner, "organizer"),))
    app = open_app(page="pages/outcomes.py")
    assert [str(i.value) for i in app.info] == [translator("bg")("outcomes.none")]


def test_the_overview_shows_the_years_outcome_cards_masked_for_viewers(small_figures: Engine) -> None:
    from tests.helpers import open_app

    app = open_app(year="2024-2025")
    cards = {str(metric.label): str(metric.value) for metric in app.metric}
    assert cards["Записани ученици"] == "186"
    assert cards["Отпаднали ученици"] == "<\u00a05"
    assert cards["Посещаемост"] == "90,4 %"
    assert "Резултати за 2024/2025" in [str(h.value) for h in app.main.subheader]
    dropped = next(metric for metric in app.metric if metric.label == "Отпаднали ученици")
    assert not dropped.proto.delta  # 6 → 3 would give the 3 away
    targets = [str(c.value) for c in app.main.caption if str(c.value).startswith("Цел")]
    assert targets == ["Цел: 200", "Цел: 3", "Цел: 92 %"]


def test_the_partner_profile_shows_the_outcomes_of_its_years(small_figures: Engine) -> None:
    from tests.helpers import open_app

    app = open_app(page="pages/partners.py", partner="ros", lang="en", year="all")
    assert "The school's outcomes in the years of the activities with this partner" in [
        str(h.value) for h in app.main.subheader
    ]
    table = next(frame.value for frame in app.dataframe if "Indicator" in frame.value.columns)
    # Only 2024/2025 has an activity with the partner; 2023/2024 is not its year.
    assert table.to_dict("records") == [
        {"Indicator": "Pupils enrolled", "2024/2025": "186"},
        {"Indicator": "Pupils who dropped out", "2024/2025": "<\u00a05"},
        {"Indicator": "Attendance", "2024/2025": "90.4%"},
    ]


# ---- the form on the Data screen ----------------------------------------------------------------


def test_an_editor_enters_a_years_figures_in_the_form(writer: Engine) -> None:
    from db.accounts import add_user
    from tests.factories import add_activity, add_partner
    from tests.helpers import PASSWORD, open_app, sign_in

    partner = add_partner(writer, slug="ros", name="РОС", short_name="РОС")
    add_activity(writer, title="Среща", type="meeting", start=date(2024, 10, 8), partners=((partner, "organizer"),))
    add_user(engine=writer, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    app = sign_in(open_app(page="pages/data.py"), "maria")
    app.selectbox(key="outcome_year").set_value(2024).run()
    prefix = "outcome-1-2024-0"
    app.text_input(key=f"{prefix}-enrolled-value").input("186")
    app.text_input(key=f"{prefix}-enrolled-target").input("200")
    app.text_input(key=f"{prefix}-attendance-value").input("104")
    next(b for b in app.button if b.label == "Запазване на резултатите").click().run()
    # Said through ui.safe.md (escaped Markdown), under the form.
    assert any("104 е повече от 100" in str(e.value) for e in app.error)
    assert stored(writer) == []
    app.text_input(key=f"{prefix}-attendance-value").input("90,4")
    next(b for b in app.button if b.label == "Запазване на резултатите").click().run()
    assert not app.exception
    assert [str(s.value) for s in app.success] == ["Резултатите за 2024/2025 са запазени."]
    assert stored(writer) == [(1, 2024, "attendance", 90.4, None), (1, 2024, "enrolled", 186.0, 200.0)]
    # The form opens again with what is stored, as the save reads it back.
    assert app.text_input(key="outcome-1-2024-1-attendance-value").value == "90,4"


# ---- import and export ------------------------------------------------------------------------


BG_FILE = (
    "Учебна година;Записани ученици;Цел: записани ученици;Отпаднали;Посещаемост;цел: посещаемост\r\n"
    "2023/2024;180;200;6;88,5;92\r\n"
    "2024/2025;186;200;3;90,4;92\r\n"
)
EN_FILE = (
    "school year;enrolled;target: enrolled;dropped out;attendance\r\n2023-2024;180;200;6;88.5\r\n2024;186;;3;90.4\r\n"
)


@pytest.mark.parametrize("content", [BG_FILE, EN_FILE], ids=["bg", "en"])
def test_a_file_of_outcomes_is_imported_with_bulgarian_or_english_headers(engine: Engine, content: str) -> None:
    from db.transfer.outcomes import import_outcomes

    result = import_outcomes(engine=engine, actor=EDITOR, data=content.encode("utf-8-sig"), filename="o.csv")
    assert (result.years, result.problems) == (2, [])
    target = 200.0 if content is BG_FILE else None
    assert [row for row in stored(engine) if row[2] == "enrolled"] == [
        (1, 2023, "enrolled", 180.0, 200.0),
        (1, 2024, "enrolled", 186.0, target),
    ]
    assert (1, 2024, "attendance", 90.4, 92.0 if content is BG_FILE else None) in stored(engine)


@pytest.mark.parametrize(
    ("line", "bg"),
    [
        ("2024/2025;186;200;300;90", "Ред 3: „Отпаднали ученици“ (300) е повече от записаните ученици (186)."),
        ("2024/2026;186;200;3;90", "Ред 3: Учебната година трябва да е между 1990 и 2027."),
        ("2023/2024;186;200;3;90", "Ред 3: Учебната година „2023/2024“ се повтаря във файла (вече е на ред 2)."),
        ("2024/2025;186;200;3;сто", "Ред 3: „Посещаемост“: „сто“ не е число."),
        ("2024/2025;186;200;3;90;x", "Ред 3: Стойност „x“ в колона F, която няма заглавие."),
    ],
)
def test_a_bad_row_refuses_the_whole_file(engine: Engine, line: str, bg: str) -> None:
    from db.transfer.outcomes import import_outcomes

    header = "Учебна година;Записани ученици;Цел: записани ученици;Отпаднали;Посещаемост"
    content = f"{header}\r\n2023/2024;180;200;6;88\r\n{line}\r\n"
    result = import_outcomes(engine=engine, actor=EDITOR, data=content.encode(), filename="o.csv")
    t = translator("bg")
    assert result.years == 0
    assert [describe_problem(t, problem) for problem in result.problems] == [bg]
    assert stored(engine) == []


def test_an_unknown_column_and_a_viewer_are_refused(engine: Engine) -> None:
    from db.transfer.outcomes import import_outcomes

    content = "Учебна година;Записани ученици;Оценки\r\n2024;186;5,50\r\n".encode()
    result = import_outcomes(engine=engine, actor=EDITOR, data=content, filename="o.csv")
    assert [describe_problem(translator("en"), p) for p in result.problems] == [
        "Row 1: Unknown column “Оценки”. Rename it as in the template, or delete it."
    ]
    with pytest.raises(PermissionDenied):
        import_outcomes(engine=engine, actor=Actor("v", "viewer"), data=content, filename="o.csv")
    assert stored(engine) == []


def test_another_schools_rows_are_refused_to_a_schools_editor(engine: Engine) -> None:
    from db.transfer.outcomes import import_outcomes

    other = add_school(engine=engine, actor=COMMAND_LINE, data={"name": "СУ „Христо Ботев“ – Дупница"})
    content = "Училище;Учебна година;Записани ученици\r\nСУ „Христо Ботев“ – Дупница;2024;300\r\n".encode()
    result = import_outcomes(engine=engine, actor=Actor("vazov", "editor", 1), data=content, filename="o.csv")
    assert [describe_problem(translator("bg"), p) for p in result.problems] == [
        "Ред 2: „Училище“: нямате права да записвате резултати на „СУ „Христо Ботев“ – Дупница“."
    ]
    result = import_outcomes(engine=engine, actor=Actor("botev", "editor", other), data=content, filename="o.csv")
    assert result.problems == [] and stored(engine) == [(other, 2024, "enrolled", 300.0, None)]


@pytest.mark.parametrize("lang", ["bg", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_is_read_back_by_the_import(demo_engine: Engine, tmp_path: Path, lang: str, fmt: str) -> None:
    from db.filters import ActivityFilters
    from db.transfer import to_csv_bytes, to_xlsx_bytes
    from db.transfer.outcomes import SHEET, export_outcomes, import_outcomes

    frame = export_outcomes(demo_engine, ActivityFilters(), lang=lang)
    assert list(frame.columns)[:3] == (
        ["Учебна година", "Записани ученици", "Цел: записани ученици"]
        if lang == "bg"
        else ["School year", "Enrolled", "Target: enrolled"]
    )
    assert frame.iloc[0, 0] == "2013/2014"
    data = to_xlsx_bytes({SHEET[lang]: frame}, lang) if fmt == "xlsx" else to_csv_bytes(frame, lang)
    before = stored(demo_engine)
    with demo_engine.begin() as connection:
        connection.execute(text("DELETE FROM school_outcomes"))
    result = import_outcomes(engine=demo_engine, actor=EDITOR, data=data, filename=f"outcomes.{fmt}")
    assert result.problems == []
    assert stored(demo_engine) == before


# ---- the demo ---------------------------------------------------------------------------------


def test_the_demo_has_outcomes_for_every_school_year_and_some_stage_splits(demo_engine: Engine) -> None:
    from db.school_year import school_year_of
    from tests.helpers import DEMO_TODAY

    with demo_engine.connect() as connection:
        years = [
            row[0] for row in connection.execute(text("SELECT DISTINCT school_year FROM school_outcomes ORDER BY 1"))
        ]
        demo = connection.scalar(text("SELECT min(is_demo) FROM school_outcomes"))
        split = connection.scalar(text("SELECT count(*) FROM activities WHERE pupils_primary IS NOT NULL"))
        wrong = connection.scalar(
            text("SELECT count(*) FROM activities WHERE pupils_primary + pupils_secondary > pupils_reached")
        )
    assert years == list(range(2013, school_year_of(DEMO_TODAY) + 1))
    assert demo == 1 and split > 20 and wrong == 0
    # Every demo figure passes the checks an editor's would.
    from db.outcomes import check_outcomes

    for year in years:
        with demo_engine.connect() as connection:
            figures = dict(
                connection.execute(
                    text("SELECT indicator, value FROM school_outcomes WHERE school_year = :y"), {"y": year}
                ).all()
            )
        assert check_outcomes({k: (v, None) for k, v in figures.items()}, school_year=year, today=DEMO_TODAY)[1] == []


# ---- the command line -------------------------------------------------------------------------


def test_the_command_line_imports_exports_and_lists_outcomes(database_url: str, engine: Engine, tmp_path: Path) -> None:
    from tests.helpers import run_db

    source = tmp_path / "outcomes.csv"
    source.write_bytes(BG_FILE.encode("utf-8-sig"))
    checked = run_db(database_url, "import", "outcomes", str(source), "--dry-run")
    assert (checked.returncode, stored(engine)) == (0, [])
    done = run_db(database_url, "import", "outcomes", str(source))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Внесени записи от „outcomes.csv“: 2."
    listed = run_db(database_url, "--lang", "en", "outcomes", "list")
    assert listed.stdout.splitlines() == [
        "School year\tPupils enrolled\tPupils who dropped out\tAttendance",
        "2023/2024\t180 / 200\t6\t88.5 / 92",
        "2024/2025\t186 / 200\t3\t90.4 / 92",
    ]
    target = tmp_path / "again.csv"
    assert run_db(database_url, "export", str(target), "--table", "outcomes").returncode == 0
    assert target.read_text(encoding="utf-8-sig").splitlines()[1].startswith("2023/2024;180;200;")
    bad = tmp_path / "bad.csv"
    bad.write_text("Учебна година;Посещаемост\r\n2024;140\r\n", encoding="utf-8")
    refused = run_db(database_url, "import", "outcomes", str(bad))
    assert refused.returncode == 2 and "„Посещаемост“: 140 е повече от 100 %." in refused.stderr
    assert len(stored(engine)) == 6


def test_an_activitys_reach_by_stage_is_masked_for_viewers_in_its_details(writer: Engine) -> None:
    from db.accounts import add_user
    from tests.factories import add_activity, add_partner
    from tests.helpers import PASSWORD, open_app, sign_in

    partner = add_partner(writer, slug="ros", name="РОС", short_name="РОС")
    activity = add_activity(
        writer, title="Среща с родители", type="meeting", start=date(2024, 10, 8), partners=((partner, "organizer"),),
        pupils=13, pupils_primary=3, pupils_secondary=10, parents=2, teachers=2,
    )  # fmt: skip
    app = open_app(activity=str(activity), year="2024-2025")
    captions = [str(c.value) for c in app.caption]
    assert "Ученици I–IV клас: <\u00a05 · Ученици V–VII клас: 10 · Родители: <\u00a05 · Учители: 2" in captions
    add_user(engine=writer, actor=COMMAND_LINE, login="maria", password=PASSWORD, role="editor")
    app = sign_in(open_app(year="2024-2025"), "maria")
    app.query_params["activity"] = str(activity)
    app.run()
    captions = [str(c.value) for c in app.caption]
    assert "Ученици I–IV клас: 3 · Ученици V–VII клас: 10 · Родители: 2 · Учители: 2" in captions


def test_on_postgresql_the_migration_goes_down_and_up_and_a_save_ends_the_cached_reads() -> None:
    import os

    from db.engine import get_engine
    from tests.helpers import emptied

    url = os.environ.get("TEST_POSTGRESQL_URL", "")
    if not url:
        pytest.skip("TEST_POSTGRESQL_URL is not set")
    server = get_engine(url)
    try:
        emptied(server)
        migrate.upgrade(server)
        with server.connect() as connection:
            before = connection.scalar(text("SELECT revision FROM data_revision"))
        save(server, {"enrolled": (120, 125), "attendance": ("94,5", None)})
        with server.connect() as connection:
            assert connection.scalar(text("SELECT revision FROM data_revision")) != before
        assert stored(server) == [(1, 2024, "attendance", 94.5, None), (1, 2024, "enrolled", 120.0, 125.0)]
        with pytest.raises(InvalidInput):
            save(server, {"dropped_out": (121, None)})
        migrate.downgrade(server, "0011")
        assert "school_outcomes" not in inspect(server).get_table_names()
        assert "teachers" not in {c["name"] for c in inspect(server).get_columns("activities")}
        migrate.upgrade(server)
        assert stored(server) == []
    finally:
        emptied(server)
        server.dispose()


# ---- the deck and the reports -------------------------------------------------------------------


def test_the_deck_holds_the_years_outcomes_masked_and_every_file_shows_them(small_figures: Engine) -> None:
    import io

    from docx import Document
    from pptx import Presentation
    from pypdf import PdfReader

    from charts.registry import direct
    from content.gather import gather_deck
    from content.model import OutcomeFigure, Slide
    from db.filters import ActivityFilters
    from reports import generate

    deck = gather_deck(direct(small_figures), ActivityFilters(2024), today=TODAY)
    # After the charts, before the story of the year (tests/test_story.py).
    assert [s for s in deck.slides if s.kind != "story"][-1] == Slide("outcomes") and deck.outcomes_year == 2024
    assert deck.outcomes == (
        OutcomeFigure("enrolled", 186.0, False, 200.0, 180.0),
        OutcomeFigure("dropped_out", None, True, 3.0, None),  # 3: hidden, and so is the change from 6
        OutcomeFigure("attendance", 90.4, False, 92.0, 88.5),
    )

    slides = list(Presentation(io.BytesIO(generate(small_figures, school_year=2024, fmt="pptx", today=TODAY))).slides)
    (last,) = [slide for slide in slides if slide.shapes.title.text == "Резултати за 2024/2025"]
    table = next(shape for shape in last.shapes if shape.name == "outcomes").table
    rows = [[table.cell(r, c).text for c in range(4)] for r in range(len(table.rows))]
    assert rows == [
        ["Показател", "Стойност", "Цел", "Промяна"],
        ["Записани ученици", "186 ученици", "200", "▲ +6"],
        ["Отпаднали ученици", "<\u00a05 ученици", "3", ""],
        ["Посещаемост", "90,4 %", "92 %", "▲ +1,9"],
    ]
    assert "Отпаднали ученици: <\u00a05 (3)" in last.notes_slide.notes_text_frame.text

    document = Document(io.BytesIO(generate(small_figures, school_year=2024, fmt="docx", today=TODAY, lang="en")))
    outcomes_table = document.tables[1]
    assert [cell.text for cell in outcomes_table.rows[2].cells] == [
        "Pupils who dropped out",
        "<\u00a05 pupils",
        "3",
        "",
    ]
    pdf = PdfReader(io.BytesIO(generate(small_figures, school_year=2024, fmt="pdf", today=TODAY)))
    flat = " ".join(page.extract_text() for page in pdf.pages)
    assert "Резултати за 2024/2025" in flat and "Отпаднали ученици" in flat
    assert "Брой под 5 се показва като" in flat


def test_the_presentation_page_draws_the_outcomes_slide(small_figures: Engine) -> None:
    from tests.helpers import open_app

    app = open_app(page="pages/presentation.py", year="2024-2025", slides="outcomes")
    assert app.main.title[0].value == "Резултати за 2024/2025"
    table = next(str(m.value) for m in app.main.markdown if str(m.value).startswith("| "))
    assert "| Отпаднали ученици | \\<\u00a05 ученици | 3 |  |" in table
    assert "| Записани ученици | 186 ученици | 200 | ▲ +6 |" in table


@pytest.mark.parametrize(
    ("make", "filename"),
    [
        ("xfd_wide", "outcomes.xlsx"),
        ("zip_bomb", "outcomes.xlsx"),
        ("password_protected_xlsx", "outcomes.xlsx"),
        ("old_xls", "outcomes.xlsx"),
        ("utf16_csv", "outcomes.csv"),
        ("nul_byte_csv", "outcomes.csv"),
        ("wide_csv_header", "outcomes.csv"),
        ("long_cell_csv", "outcomes.csv"),
        ("unclosed_quote_csv", "outcomes.csv"),
        ("utf8_bom", "outcomes.csv"),
    ],
)
def test_a_hostile_file_of_outcomes_is_refused_with_a_message_and_nothing_is_written(
    engine: Engine, make: str, filename: str
) -> None:
    """The outcomes' import reads files through the same guarded reader as the other imports."""
    from db.transfer.outcomes import import_outcomes
    from tests.hostile import files

    result = import_outcomes(engine=engine, actor=EDITOR, data=getattr(files, make)(), filename=filename)
    assert result.years == 0 and result.problems
    for lang in ("bg", "en"):
        said = [describe_problem(translator(lang), problem) for problem in result.problems]
        assert all(text and "{" not in text for text in said)
    assert stored(engine) == []


def test_in_a_network_a_schools_editor_enters_only_their_schools_figures(writer: Engine) -> None:
    from db.accounts import add_user
    from tests.factories import add_activity, add_partner
    from tests.helpers import PASSWORD, open_app, sign_in

    other = add_school(engine=writer, actor=COMMAND_LINE, data={"name": "СУ „Христо Ботев“ – Дупница"})
    partner = add_partner(writer, slug="ros", name="РОС", short_name="РОС")
    add_activity(writer, title="Среща", type="meeting", start=date(2024, 10, 8), partners=((partner, "organizer"),))
    add_user(engine=writer, actor=COMMAND_LINE, login="botev", password=PASSWORD, role="editor", school_id=other)
    app = sign_in(open_app(page="pages/data.py"), "botev")
    assert app.selectbox(key="outcome_school").options == ["СУ „Христо Ботев“ – Дупница"]
    app.selectbox(key="outcome_year").set_value(2024).run()
    prefix = f"outcome-{other}-2024-0"
    app.text_input(key=f"{prefix}-enrolled-value").input("300")
    next(b for b in app.button if b.label == "Запазване на резултатите").click().run()
    assert not app.exception
    assert stored(writer) == [(other, 2024, "enrolled", 300.0, None)]
