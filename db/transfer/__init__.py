"""Import and export of partners and activities as .csv and .xlsx files.

`reading` turns the bytes of a file into rows and problems (pure), `importing` checks
the rows against the database and writes all of them or none, `exporting` writes the
record (or a filtered view of it) as files that the import reads back.
"""

from db.transfer.exporting import (
    export_activities,
    export_partners,
    listed_activities,
    template_bytes,
    to_csv_bytes,
    to_xlsx_bytes,
    whole_database,
)
from db.transfer.importing import ImportResult, import_activities, import_partners
from db.transfer.reading import COLUMNS, MAX_BYTES, MAX_ROWS, TABLES, Table, read_table

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "TABLES",
    "ImportResult",
    "Table",
    "export_activities",
    "export_partners",
    "import_activities",
    "import_partners",
    "listed_activities",
    "read_table",
    "template_bytes",
    "to_csv_bytes",
    "to_xlsx_bytes",
    "whole_database",
]
