"""SQL that differs between SQLite and PostgreSQL, written once for both."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class year_month(FunctionElement[str]):  # noqa: N801 - reads as a SQL function
    """`2014-04` for a date column."""

    type = String()
    name = "year_month"
    inherit_cache = True


@compiles(year_month, "sqlite")
def _year_month_sqlite(element: year_month, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(func.strftime("%Y-%m", *element.clauses), **kw))


@compiles(year_month)
def _year_month_default(element: year_month, compiler: Any, **kw: Any) -> str:
    # The format is written into the statement, not bound: PostgreSQL takes `to_char(d, $1)` in the
    # select list and `to_char(d, $2)` in GROUP BY for different expressions and refuses the query.
    return str(compiler.process(func.to_char(*element.clauses, literal_column("'YYYY-MM'")), **kw))
