"""Alembic environment: runs on the connection that `db.migrate` hands over."""

from alembic import context

from db.models import Base
from db.search import in_the_models

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode copies the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=in_the_models,
)
with context.begin_transaction():
    context.run_migrations()
