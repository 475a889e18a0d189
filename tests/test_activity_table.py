"""The activity table is formatted by its columns in the browser (no pandas Styler): dates, counts, empty cells."""

import json

import pytest
from sqlalchemy import Engine

from i18n.formatting import table_date_format
from tests.helpers import open_app


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_dates_and_counts_are_formatted_by_the_columns(demo_engine: Engine, lang: str) -> None:
    app = open_app(page="pages/activities.py", year="2013-2014", lang=lang)
    table = app.dataframe[0]
    columns = json.loads(table.proto.columns)
    day = {"bg": "DD.MM.YYYY", "en": "D MMM YYYY"}[lang]
    assert day == table_date_format(lang)
    assert columns["start_date"]["type_config"] == {"type": "date", "format": day}
    assert columns["end_date"]["type_config"] == {"type": "date", "format": day}
    assert columns["participants"]["type_config"] == {"type": "number", "format": "%d"}
    # Text, so that a small number of children reads `< 5` (db.privacy), aligned as a number.
    assert columns["pupils_reached"]["type_config"] == {"type": "text"}
    assert columns["pupils_reached"]["alignment"] == "right"
    assert table.proto.HasField("placeholder") and table.proto.placeholder == ""


def test_a_missing_end_date_or_count_stays_missing(demo_engine: Engine) -> None:
    """Not the start date again nor -1 behind an empty cell: what is missing sorts as missing."""
    rows = open_app(page="pages/activities.py", year="2013-2014").dataframe[0].value
    (round_table,) = rows[rows["title"].str.startswith("Кръгла маса „Предизвикателства")].itertuples()
    assert round_table.start_date.date().isoformat() == "2014-04-08"
    assert rows["end_date"].dtype.kind == "M" and str(round_table.end_date) == "NaT"
    assert str(round_table.participants) == "<NA>" and round_table.pupils_reached == ""
    assert rows["participants"].dtype.name == "Int64"
