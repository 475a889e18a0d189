"""A network of schools (migration 0011): schools in the record, roles per school through every write path,
the school filter, and the network's figures counted from the per-school rollups.

With one school nothing changes for the user (the other tests run on one school); here a second
school, „СУ „Христо Ботев“ – Дупница“, gets a share of the demo activities and its own editor, who
must not be able to change the first school's records by form, import, delete, restore or command line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine, text

from db import queries, rollups
from db.access import COMMAND_LINE, Actor, PermissionDenied
from db.accounts import add_user, authenticate
from db.backup import restore
from db.filters import ActivityFilters
from db.queries import activity_for_editing
from db.schools import add_school
from db.transfer import import_activities
from db.validation import InvalidInput
from db.writes import create_activity, delete_activity, delete_partner, update_activity, update_partner
from tests.helpers import PASSWORD, ROOT, open_app, sign_in

DUPNITSA = {
    "name": "СУ „Христо Ботев“ – Дупница",
    "short_name": "СУ „Хр. Ботев“",
    "kind": "secondary",
    "city": "Дупница",
    "municipality": "Дупница",
    "region": "Кюстендил",
}


@pytest.fixture
def network(demo_engine: Engine) -> dict[str, int]:
    """The demo data, a second school holding every third demo activity, an editor of each school and a
    network admin. Returns the schools' ids."""
    second = add_school(engine=demo_engine, actor=COMMAND_LINE, data=DUPNITSA)
    with demo_engine.begin() as connection:
        connection.execute(text("UPDATE activities SET school_id = :s WHERE id % 3 = 0"), {"s": second})
    add_user(engine=demo_engine, actor=COMMAND_LINE, login="vazov", password=PASSWORD, role="editor", school_id=1)
    add_user(engine=demo_engine, actor=COMMAND_LINE, login="botev", password=PASSWORD, role="editor", school_id=second)
    add_user(engine=demo_engine, actor=COMMAND_LINE, login="network", password=PASSWORD, role="admin")
    return {"vazov": 1, "botev": second}


def _activity_of(engine: Engine, school_id: int) -> int:
    with engine.connect() as connection:
        return int(
            connection.scalar(text("SELECT min(id) FROM activities WHERE school_id = :s"), {"s": school_id}) or 0
        )


def test_a_fresh_install_has_the_seed_school_and_every_activity_is_its(demo_engine: Engine) -> None:
    schools = queries.school_list(demo_engine)
    assert schools[["slug", "name", "region"]].to_dict("records") == [
        {"slug": "ou-ivan-vazov-kyustendil", "name": "ОУ „Иван Вазов“ – Кюстендил", "region": "BG-10"}
    ]
    with demo_engine.connect() as connection:
        assert connection.scalar(text("SELECT count(DISTINCT school_id) FROM activities")) == 1


def test_a_school_account_signs_in_with_its_school(demo_engine: Engine, network: dict[str, int]) -> None:
    actor = authenticate(engine=demo_engine, login="botev", password=PASSWORD)
    assert actor == Actor("botev", "editor", network["botev"])
    assert authenticate(engine=demo_engine, login="network", password=PASSWORD) == Actor("network", "admin", None)


def test_an_editor_of_one_school_cannot_change_another_schools_activity(
    demo_engine: Engine, network: dict[str, int]
) -> None:
    botev = Actor("botev", "editor", network["botev"])
    theirs = _activity_of(demo_engine, network["vazov"])
    record = activity_for_editing(demo_engine, theirs)
    assert record is not None
    before = queries.activity_detail(demo_engine, theirs)
    data = {**record, "title": "Пренаписано от друго училище"}
    with pytest.raises(PermissionDenied) as refused:
        update_activity(engine=demo_engine, actor=botev, activity_id=theirs, expected_version=1, data=data)
    assert refused.value.school_id == network["vazov"]
    with pytest.raises(PermissionDenied):
        delete_activity(engine=demo_engine, actor=botev, activity_id=theirs, expected_version=1)
    # Nor move their own activity into the other school, nor add one there.
    own = _activity_of(demo_engine, network["botev"])
    mine = activity_for_editing(demo_engine, own)
    assert mine is not None
    with pytest.raises(PermissionDenied):
        update_activity(
            engine=demo_engine, actor=botev, activity_id=own, expected_version=1, data={**mine, "school": 1}
        )
    new = {**mine, "title": "Нова среща", "school": network["vazov"]}
    with pytest.raises(PermissionDenied):
        create_activity(engine=demo_engine, actor=botev, data=new)
    assert queries.activity_detail(demo_engine, theirs) == before
    # Their own school's records they change as before, and a new one is theirs without saying so.
    update_activity(engine=demo_engine, actor=botev, activity_id=own, expected_version=1, data={**mine, "title": "Ok"})
    added = create_activity(engine=demo_engine, actor=botev, data={**mine, "title": "Нова", "school": None})
    with demo_engine.connect() as connection:
        assert connection.scalar(text("SELECT school_id FROM activities WHERE id = :i"), {"i": added}) == 2
    assert list(rollups.differences(demo_engine)) == []


def test_a_school_editor_changes_a_shared_partner_only_while_no_other_school_works_with_it(
    demo_engine: Engine, network: dict[str, int]
) -> None:
    botev = Actor("botev", "editor", network["botev"])
    largo = queries.partner_profile(demo_engine, "largo")
    assert largo is not None
    with pytest.raises(PermissionDenied):
        update_partner(
            engine=demo_engine, actor=botev, partner_id=largo["id"], expected_version=1, data={"name": "Друго"}
        )
    with pytest.raises(PermissionDenied):
        delete_partner(engine=demo_engine, actor=botev, partner_id=largo["id"], expected_version=1, activities="delete")
    assert queries.partner_profile(demo_engine, "largo") == largo


def test_an_import_of_another_schools_activities_is_refused_row_by_row(
    demo_engine: Engine, network: dict[str, int]
) -> None:
    botev = Actor("botev", "editor", network["botev"])
    before = queries.record_counts(demo_engine)
    rows = (
        "училище;дата;заглавие;вид;организации\n"
        "СУ „Хр. Ботев“;10.10.2024;Среща с родители;среща;Ларго\n"
        "ОУ „Иван Вазов“;11.10.2024;Чужда среща;среща;Ларго\n"
        "Несъществуващо;12.10.2024;Трета среща;среща;Ларго\n"
    ).encode()
    result = import_activities(engine=demo_engine, actor=botev, data=rows, filename="a.csv")
    assert result.added == 0
    assert {(p.row, p.field, p.code) for p in result.problems} == {
        (3, "school", "school_not_allowed"),
        (4, "school", "unknown_choice"),
    }
    assert queries.record_counts(demo_engine) == before
    # Without the column the rows are the importing editor's school's.
    own = "дата;заглавие;вид;организации\n10.10.2024;Среща с родители;среща;Ларго\n".encode()
    assert import_activities(engine=demo_engine, actor=botev, data=own, filename="b.csv").added == 1
    compared = queries.schools_compared(demo_engine, ActivityFilters(school_year=2024))
    assert dict(zip(compared["slug"], compared["activities"], strict=True))["su-hr-botev"] >= 1


def test_only_the_networks_admins_restore_a_backup_or_add_schools_and_network_accounts(
    demo_engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    school_admin = Actor("director", "admin", network["vazov"])
    saved = tmp_path / "copy.db"
    saved.write_bytes(Path(demo_engine.url.database or "").read_bytes())
    before = queries.record_counts(demo_engine)
    with pytest.raises(PermissionDenied) as refused:
        restore(demo_engine, saved, actor=school_admin, keep_current_in=tmp_path)
    assert refused.value.network
    assert queries.record_counts(demo_engine) == before
    with pytest.raises(PermissionDenied):
        add_school(engine=demo_engine, actor=school_admin, data={"name": "Друго училище"})
    with pytest.raises(PermissionDenied):
        add_user(engine=demo_engine, actor=school_admin, login="x", password=PASSWORD, role="admin")
    with pytest.raises(PermissionDenied):
        add_user(
            engine=demo_engine, actor=school_admin, login="y", password=PASSWORD, role="editor",
            school_id=network["botev"],
        )  # fmt: skip
    # Their own school's accounts they may add.
    add_user(engine=demo_engine, actor=school_admin, login="zornitsa", password=PASSWORD, role="viewer", school_id=1)


def test_a_school_is_checked_before_it_is_added(demo_engine: Engine) -> None:
    before = queries.school_list(demo_engine)
    for data, field in (
        ({"name": ""}, "name"),
        ({"name": "Ново училище", "region": "Марс"}, "region"),
        ({"name": "ОУ „Иван Вазов“ – Кюстендил"}, "name"),
        ({"name": "Х" * 301}, "name"),
        ({"name": "Ново", "website": "javascript:alert(1)"}, "website"),
        ({"name": "Ново", "kind": "university"}, "kind"),
    ):
        with pytest.raises(InvalidInput) as refused:
            add_school(engine=demo_engine, actor=COMMAND_LINE, data=data)
        assert [p.field for p in refused.value.problems] == [field]
    pd.testing.assert_frame_equal(queries.school_list(demo_engine), before)


def test_the_network_is_counted_from_the_rollups_as_from_the_records(
    demo_engine: Engine, network: dict[str, int]
) -> None:
    """Every figure per school equals what its own activities say, and the schools add up to the network."""
    for filters in (ActivityFilters(), ActivityFilters(school_year=2023), ActivityFilters(type_codes=("meeting",))):
        compared = queries.schools_compared(demo_engine, filters)
        whole = queries.headline_figures(demo_engine, filters)
        assert int(compared["activities"].sum()) == whole["activities"]
        for school_id in network.values():
            alone = queries.headline_figures(demo_engine, filters.with_schools(school_id))
            row = compared[compared["school_id"] == school_id].iloc[0]
            assert (int(row["activities"]), int(row["partners"]), int(row["pupils"])) == (
                alone["activities"],
                alone["partners"],
                alone["pupils"],
            )
    reach = queries.partner_reach(demo_engine, ActivityFilters())
    assert set(reach["schools"]) <= {1, 2} and reach["schools"].max() == 2
    regions = queries.regions_summary(demo_engine, ActivityFilters())
    assert regions[["region", "schools"]].to_dict("records") == [{"region": "BG-10", "schools": 2}]


def test_with_one_school_the_network_stays_out_of_sight(demo_engine: Engine) -> None:
    app = open_app()
    assert not app.exception
    assert [m.label for m in app.sidebar.multiselect] == ["Партньори", "Видове дейности"]
    assert "ОУ „Иван Вазов“ – Кюстендил" in app.sidebar.markdown[0].value


def test_the_school_filter_is_shared_and_kept_in_the_url(demo_engine: Engine, network: dict[str, int]) -> None:
    app = open_app(school="su-hr-botev", year="all")
    assert not app.exception
    (schools,) = [m for m in app.sidebar.multiselect if m.label == "Училища"]
    assert schools.value == ["su-hr-botev"]
    assert "СУ „Христо Ботев“ – Дупница" in app.sidebar.markdown[0].value
    botev = queries.headline_figures(demo_engine, ActivityFilters(school_ids=(network["botev"],)))
    assert [m.value for m in app.metric][0] == str(botev["activities"])
    schools.set_value([]).run()
    assert "Мрежата: 2 училища" in app.sidebar.markdown[0].value
    assert "school" not in app.query_params


def test_the_network_page_compares_the_schools(demo_engine: Engine, network: dict[str, int]) -> None:
    app = open_app(page="pages/network.py", year="all")
    assert not app.exception
    assert app.title[0].value == "Мрежата от училища"
    (table,) = app.dataframe
    assert list(table.value["school"]) == ["ОУ „Иван Вазов“", "СУ „Хр. Ботев“"]
    assert [s.value for s in app.main.subheader] == [
        "Училищата едно до друго",
        "Дейности по училища",
        "С колко училища работи всеки партньор",
        "Училища, дейности и партньори по области",
    ]


def test_a_school_editor_sees_and_saves_only_their_schools_activities(
    demo_engine: Engine, network: dict[str, int]
) -> None:
    app = sign_in(open_app(page="pages/data.py"), "botev")
    assert not app.exception
    (tab,) = [t for t in app.tabs if t.label == "Дейности"]
    (choose,) = [s for s in tab.selectbox if s.label == "Дейност"]
    with demo_engine.connect() as connection:
        theirs = set(connection.scalars(text("SELECT id FROM activities WHERE school_id = 1")))
    assert not set(choose.options) & {str(i) for i in theirs}
    (school,) = [s for s in tab.selectbox if s.label == "Училище"]
    assert school.options == ["СУ „Хр. Ботев“"]


def test_the_command_line_adds_schools_and_school_accounts(database_url: str, engine: Engine) -> None:
    def db(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "db", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, check=False
        )

    added = db("school", "add", DUPNITSA["name"], "--short-name", "СУ „Хр. Ботев“", "--region", "kyustendil")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Училището „СУ „Христо Ботев“ – Дупница“ е добавено."
    refused = db("school", "add", "Друго", "--region", "Марс")
    assert refused.returncode == 2 and "„Област“: няма такава стойност – „Марс“." in refused.stderr
    listed = db("school", "list").stdout.splitlines()
    assert [line.split("\t")[:3] for line in listed] == [
        ["ou-ivan-vazov-kyustendil", "ОУ „Иван Вазов“", "BG-10"],
        ["su-hr-botev", "СУ „Хр. Ботев“", "BG-10"],
    ]
    user = db("user", "add", "ana", "--school", "su-hr-botev", "--password-stdin", stdin=PASSWORD + "\n")
    assert user.returncode == 0, user.stderr
    assert db("user", "list").stdout.splitlines() == ["ana\teditor\tsu-hr-botev\tactive"]
    missing = db("user", "add", "bob", "--school", "nowhere", "--password-stdin", stdin=PASSWORD + "\n")
    assert missing.returncode == 2 and "Няма училище „nowhere“" in missing.stderr


def test_export_names_the_school_only_in_a_network(demo_engine: Engine, network: dict[str, int]) -> None:
    from db.transfer import export_activities, to_csv_bytes

    header = to_csv_bytes(export_activities(demo_engine, ActivityFilters()), "bg").decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Училище;Дата;")
    first_school_only = export_activities(demo_engine, ActivityFilters(school_ids=(1,)))
    assert set(first_school_only["school"]) == {"ОУ „Иван Вазов“"}


def test_two_schools_of_one_name_in_two_towns_get_a_bar_each() -> None:
    """„ОУ „Христо Смирненски““ is a school in many towns: their bars must not merge into one."""
    from charts.builders import ChartText
    from charts.network import schools_chart
    from i18n import translator

    compared = pd.DataFrame(
        {
            "school_id": [1, 2, 3],
            "short_name": ["ОУ „Хр. Смирненски“", "ОУ „Хр. Смирненски“", "СУ „Н. Рилски“"],
            "name": ["ОУ „Христо Смирненски“ – Пловдив", "ОУ „Христо Смирненски“ – Бургас", "СУ „Неофит Рилски“"],
            "city": ["Пловдив", "Бургас", "Добрич"],
            "activities": [12, 9, 4],
            "partners": [3, 2, 1],
            "pupils": [100, 80, 20],
        }
    )
    spec = schools_chart(compared, ChartText(translator("bg"), "bg", {})).to_dict()
    (rows,) = [values for values in spec["datasets"].values()]
    assert [row["label"] for row in rows] == [
        "ОУ „Хр. Смирненски“ · Пловдив",
        "ОУ „Хр. Смирненски“ · Бургас",
        "СУ „Н. Рилски“",
    ]


def test_a_schools_name_keeps_no_control_characters_and_its_slug_is_plain(demo_engine: Engine) -> None:
    school_id = add_school(
        engine=demo_engine,
        actor=COMMAND_LINE,
        data={"name": "ОУ \u202e„Отец\x00 Паисий“\t– Пловдив", "region": "BG-16\x07", "city": "<script>Пловдив"},
    )
    (school,) = queries.school_list(demo_engine).query(f"id == {school_id}").to_dict("records")
    assert (school["name"], school["region"], school["city"]) == (
        "ОУ \u202e„Отец Паисий“ – Пловдив",  # format characters stay, as in partners' names (shown isolated)
        "BG-16",
        "<script>Пловдив",  # kept as typed: every page writes it through ui.safe.md
    )
    assert school["slug"].isascii() and "<" not in school["slug"]


def test_two_partners_of_one_short_name_get_a_bar_each(demo_engine: Engine, network: dict[str, int]) -> None:
    """„Община“ of two towns: the partner charts and their numbers name each by its full name."""
    from charts.registry import chart_spec, direct

    with demo_engine.begin() as connection:
        connection.execute(
            text("UPDATE organizations SET short_name = 'Община' WHERE slug IN ('largo', 'obshtina-kyustendil')")
        )
    spec = chart_spec("by_organization")
    data = spec.load(direct(demo_engine), ActivityFilters())
    named = dict(zip(data["organization_id"], data["short_name"], strict=False))
    largo = queries.partner_profile(demo_engine, "largo")
    assert largo is not None and named[largo["id"]] == largo["name"]
    assert len(set(named.values())) == len(named)


def test_the_partners_of_a_year_up_to_a_day_are_counted_from_the_rollup_as_from_the_records(
    demo_engine: Engine,
) -> None:
    """The year in progress is compared with the last one up to the same day: the partners by then are the
    partner rollup's whose first day is not after it, exactly the records' count, on every day of a year."""
    from datetime import date, timedelta

    from db.queries.activities import _partners_from_records

    def by_records(filters: ActivityFilters, day: date) -> int:
        with demo_engine.connect() as connection:
            return int(connection.scalar(_partners_from_records(filters, day)) or 0)

    for filters in (ActivityFilters(school_year=2023), ActivityFilters(school_year=2023, type_codes=("meeting",))):
        day = date(2023, 9, 1)
        while day < date(2024, 9, 15):
            assert queries.headline_figures(demo_engine, filters, on_or_before=day)["partners"] == by_records(
                filters, day
            ), day
            day += timedelta(days=9)


def test_an_editor_of_one_school_imports_on_the_command_line_only_into_their_school(
    database_url: str, demo_engine: Engine, network: dict[str, int], tmp_path: Path
) -> None:
    """`python -m db import activities FILE --as LOGIN`: the account's role and school decide, as on the screen."""

    def db(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "db", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, check=False
        )

    theirs = tmp_path / "theirs.csv"
    theirs.write_text("училище;дата;заглавие;вид;организации\nОУ „Иван Вазов“;11.10.2024;Чужда;среща;Ларго\n")
    before = queries.record_counts(demo_engine)
    refused = db("import", "activities", str(theirs), "--as", "botev", "--password-stdin", stdin=PASSWORD + "\n")
    assert refused.returncode == 2
    assert "нямате права да записвате дейности на „ОУ „Иван Вазов““" in refused.stderr
    wrong = db("import", "activities", str(theirs), "--as", "botev", "--password-stdin", stdin="грешна\n")
    assert (wrong.returncode, wrong.stderr.strip()) == (1, "Грешно потребителско име или парола.")
    assert queries.record_counts(demo_engine) == before
    # The same file as the editor of that school goes in.
    done = db("import", "activities", str(theirs), "--as", "vazov", "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert queries.record_counts(demo_engine)["activities"] == before["activities"] + 1


def test_a_schools_admin_sees_their_schools_log_and_accounts_and_no_backups(
    demo_engine: Engine, network: dict[str, int]
) -> None:
    add_user(
        engine=demo_engine, actor=COMMAND_LINE, login="director", password=PASSWORD, role="admin",
        school_id=network["botev"],
    )  # fmt: skip
    botev = Actor("botev", "editor", network["botev"])
    own = _activity_of(demo_engine, network["botev"])
    record = activity_for_editing(demo_engine, own)
    assert record is not None
    update_activity(engine=demo_engine, actor=botev, activity_id=own, expected_version=1, data={**record, "title": "Б"})
    vazov = Actor("vazov", "editor", network["vazov"])
    theirs = _activity_of(demo_engine, network["vazov"])
    other = activity_for_editing(demo_engine, theirs)
    assert other is not None
    update_activity(
        engine=demo_engine, actor=vazov, activity_id=theirs, expected_version=1, data={**other, "title": "В"}
    )

    app = sign_in(open_app(page="pages/data.py"), "director")
    assert not app.exception
    assert [tab.label for tab in app.tabs] == [
        "Партньори", "Дейности", "Импорт", "Експорт", "Журнал", "Профили", "Резултати"
    ]  # fmt: skip
    (log, accounts) = app.dataframe[-2:]
    assert set(log.value["actor"]) == {"botev", "command-line"}  # not vazov, of the other school
    assert list(accounts.value["login"]) == ["botev", "director"]
