"""One catalog per language, the same keys in each, and dates and numbers as each language writes them."""

import io
import re
import string
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import Engine, insert
from streamlit.testing.v1 import AppTest

from charts.registry import ALL_CHARTS, direct
from content.gather import gather_report
from content.model import SLIDE_KINDS
from content.prose import Prose
from db import queries
from db.filters import ActivityFilters
from db.models import ROLES, STATUSES, USER_ROLES, VocabularyName
from i18n import CATALOGS, DEFAULT_LANGUAGE, LANGUAGES, languages, translator
from i18n.chart_locale import chart_locale
from i18n.formatting import (
    format_date,
    format_date_long,
    format_month_short,
    format_number,
    format_period,
    month_name,
    table_date_format,
)
from reports.document import build_report_docx
from reports.pdf import build_report_pdf
from tests.factories import add_activity, add_partner
from tests.helpers import ROOT
from ui.context import vocabulary_names

SOURCES = [
    *ROOT.glob("*.py"),
    *ROOT.glob("pages/*.py"),
    *ROOT.glob("ui/*.py"),
    *ROOT.glob("db/*.py"),
    *ROOT.glob("i18n/*.py"),
    *ROOT.glob("reports/*.py"),
    *ROOT.glob("content/*.py"),
    *ROOT.glob("charts/*.py"),
    *ROOT.glob("cli/*.py"),
]
LITERAL_KEY = re.compile(r"""\bt\(\s*f?["']([a-z_]+(?:\.[a-z_]+)+)["']""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_registered_language_has_a_catalog_with_exactly_the_default_keys() -> None:
    default = languages.language(DEFAULT_LANGUAGE).catalog
    assert len(languages.REGISTRY) >= 2
    for entry in languages.REGISTRY.values():
        assert set(entry.catalog) == set(default), entry.code
        assert CATALOGS[entry.code] is entry.catalog


def test_every_catalog_fills_in_the_same_values() -> None:
    default = languages.language(DEFAULT_LANGUAGE).catalog
    different = {
        (entry.code, key)
        for entry in languages.REGISTRY.values()
        for key in default
        if _placeholders(entry.catalog[key]) != _placeholders(default[key])
    }
    assert different == set()


def test_the_registry_is_where_languages_come_from() -> None:
    assert LANGUAGES == ("bg", "en") == languages.language_codes()
    assert DEFAULT_LANGUAGE == "bg"
    assert [languages.language(code).label for code in LANGUAGES] == ["Български", "English"]
    assert [languages.language(code).document_tag for code in LANGUAGES] == ["bg-BG", "en-GB"]
    assert chart_locale("bg")["time"]["months"][3] == "април"
    assert chart_locale("en")["number"]["thousands"] == ","
    # No silent English (or Bulgarian) for a code nobody registered: only the translator falls back.
    for unknown in (lambda: chart_locale("de"), lambda: format_date(date(2014, 4, 8), "de")):
        with pytest.raises(languages.UnknownLanguage):
            unknown()


@pytest.fixture
def third_language(monkeypatch: pytest.MonkeyPatch) -> languages.Language:
    """English again under the code `xx`: what adding a language is, a catalog and one registry entry."""
    entry = replace(languages.ENGLISH, code="xx", label="Xx", document_tag="en-US")
    monkeypatch.setitem(languages.REGISTRY, "xx", entry)
    return entry


def test_adding_a_language_is_a_catalog_and_one_registry_entry(
    third_language: languages.Language, engine: Engine
) -> None:
    english = languages.ENGLISH.catalog
    assert translator("xx")("nav.overview") == english["nav.overview"]
    assert format_date(date(2014, 4, 8), "xx") == "8 Apr 2014"
    assert format_date_long(date(2014, 4, 8), "xx") == "8 April 2014"
    assert format_number(1234567, "xx") == "1,234,567"
    assert table_date_format("xx") == "D MMM YYYY"
    assert chart_locale("xx") == chart_locale("en")

    # Its vocabulary names are rows, not columns: until someone writes them, terms show in Bulgarian.
    largo = add_partner(engine, slug="largo", name="Сдружение „Ларго“", short_name="Ларго")
    add_activity(engine, title="Среща", type="meeting", start=date(2024, 1, 10), partners=((largo, "partner"),))
    assert vocabulary_names(queries.activity_types(engine), "xx")["meeting"] == "среща"
    with engine.begin() as connection:
        connection.execute(
            insert(VocabularyName).values(vocabulary="activity_types", code="meeting", lang="xx", name="mtg")
        )
    assert vocabulary_names(queries.activity_types(engine), "xx")["meeting"] == "mtg"

    report = gather_report(direct(engine), ActivityFilters(2023), today=date(2024, 6, 1))
    assert report.deck.type_names["xx"]["meeting"] == "mtg"
    prose = Prose(report.deck, "xx")
    assert Document(io.BytesIO(build_report_docx(report, prose, []))).core_properties.language == "en-US"
    assert PdfReader(io.BytesIO(build_report_pdf(report, prose, []))).trailer["/Root"]["/Lang"] == "en-US"

    switch = AppTest.from_function(_language_switch).run()
    assert switch.sidebar.radio[0].options == ["Български", "English", "Xx"]
    switch.sidebar.radio[0].set_value("xx").run()
    assert switch.session_state["lang"] == "xx"
    assert switch.query_params["lang"] == "xx"


def _language_switch() -> None:
    from ui.state import language_switch

    language_switch()


def test_every_key_the_code_asks_for_exists() -> None:
    used = {key for path in SOURCES for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 50
    assert used - set(CATALOGS["bg"]) == set()


def test_every_key_is_asked_for() -> None:
    """A word nobody shows any more goes from the catalogs, so that translators never keep it up."""
    code = "\n".join(path.read_text(encoding="utf-8") for path in SOURCES if path.name not in ("bg.py", "en.py"))
    asked = set(LITERAL_KEY.findall(code)) | set(re.findall(r"""["']([a-z_]+(?:\.[a-z_]+)+)["']""", code))
    # Keys built from values (`f"status.{status}"`, `f"count.{noun}_{form}"`) are asked for by their stem.
    stems = set(re.findall(r"""f["']([a-z_.]+)\{""", code)) | set(re.findall(r"""["']([a-z_]+\.)["']\s*\+""", code))
    unasked = {key for key in CATALOGS["bg"] if key not in asked and not any(key.startswith(s) for s in stems)}
    assert unasked == set()


def test_keys_built_from_values_exist() -> None:
    built = {f"status.{s}" for s in STATUSES} | {f"role.{r}" for r in ROLES}
    built |= {"timeline.lane_organization", "timeline.lane_type"}
    built |= {f"slides.kind.{kind}" for kind in SLIDE_KINDS}
    nouns = ("activities", "partners", "participants", "pupils", "events")
    built |= {f"count.{noun}_{form}" for noun in nouns for form in ("one", "other")}
    built |= {key for spec in ALL_CHARTS for key in (spec.title, spec.title_all_years, spec.note) if key}
    built |= {f"figures.{key}" for key in ("activities", "partners", "participants", "pupils")}
    built |= {f"data.partners_as_{role}" for role in ROLES} | {"data.activities_unlink", "data.activities_delete"}
    built |= {f"user_role.{role}" for role in USER_ROLES}
    built |= {f"audit.entity_{e}" for e in ("partner", "activity", "user", "database")}
    built |= {f"audit.action_{a}" for a in ("create", "update", "delete", "import", "restore")}
    built |= {
        f"data.tab_{tab}" for tab in ("partners", "activities", "import", "export", "audit", "accounts", "backup")
    }
    assert built - set(CATALOGS["bg"]) == set()


def test_english_has_no_bulgarian_words() -> None:
    cyrillic = {key for key, text in CATALOGS["en"].items() if re.search("[а-яА-Я]", text)}
    assert cyrillic == set()


def test_translator_fills_in_values_and_falls_back_to_bulgarian() -> None:
    assert translator("en")("cli.demo_done", count=3) == "Demo data loaded: 3 activities."
    assert translator("de")("nav.overview") == "Обзор"
    with pytest.raises(KeyError):
        translator("bg")("no.such_key")


@pytest.mark.parametrize(
    ("lang", "short", "long", "month"),
    [
        ("bg", "08.04.2014", "8 април 2014 г.", "апр 2014"),
        ("en", "8 Apr 2014", "8 April 2014", "Apr 2014"),
    ],
)
def test_dates(lang: str, short: str, long: str, month: str) -> None:
    roma_day = date(2014, 4, 8)
    assert format_date(roma_day, lang) == short
    assert format_date_long(roma_day, lang) == long
    assert format_month_short(roma_day, lang) == month
    assert month_name(4, lang) == {"bg": "април", "en": "April"}[lang]
    assert format_date(None, lang) == ""


def test_periods() -> None:
    assert format_period(date(2014, 4, 8), None, "bg") == "08.04.2014"
    assert format_period(date(2014, 4, 8), date(2014, 4, 8), "bg") == "08.04.2014"
    assert format_period(date(2014, 4, 8), date(2014, 4, 10), "bg") == "08.04.2014 – 10.04.2014"


def test_numbers() -> None:
    assert format_number(1234567, "bg") == "1\u00a0234\u00a0567"
    assert format_number(1234567, "en") == "1,234,567"


def test_every_problem_the_checks_can_report_has_a_message() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.glob("db/*.py"))
    codes = set(re.findall(r"""Problem\(\s*"[a-z_]+",\s*"([a-z_]+)\"""", source))
    codes |= set(re.findall(r"""\.problem\(\s*(?:"[a-z_]+"|name),\s*"([a-z_]+)\"""", source))
    codes |= {"negative", "not_a_number", "not_a_whole_number", "too_large"}  # parse_count's
    assert len(codes) > 10
    assert {f"problem.{code}" for code in codes} - set(CATALOGS["bg"]) == set()


def test_every_field_a_check_names_has_a_label() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.glob("db/*.py"))
    fields = set(re.findall(r"""Problem\(\s*"([a-z_]+)\"""", source))
    fields |= set(re.findall(r"""check\.(?:text|long_text|choice|date|count|pattern)\(\s*"([a-z_]+)\"""", source))
    fields |= set(re.findall(r"""Field\(\s*"([a-z_]+)\"""", source))  # the declared fields (db/fields.py)
    assert len(fields) > 15
    assert {f"field.{name}" for name in fields} - set(CATALOGS["bg"]) == set()
