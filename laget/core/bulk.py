"""Bulk inserts for seed commands: COPY on PostgreSQL (several times faster than multi-row
INSERTs: no statement text to build and parse), bulk_create elsewhere. Rows are model instances;
as bulk_create, no save(), no signals. An auto-numbered primary key left empty is left to the
database (and not read back: callers that need the ids use bulk_create)."""

from collections.abc import Sequence

from django.db import connection, models


def copy_insert(model: type[models.Model], rows: Sequence[models.Model], *,
                batch_size: int = 5000) -> int:
    """Insert `rows` of `model`; returns how many."""
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=batch_size)
        return len(rows)
    pk = model._meta.pk
    fields = [
        field for field in model._meta.concrete_fields
        if not getattr(field, "generated", False)
        and not (field is pk and isinstance(field, models.AutoField) and rows[0].pk is None)
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    # Only the model's own (quoted) table and column names are put into the statement.
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([field.get_db_prep_save(field.pre_save(row, True), connection)
                            for field in fields])
    return len(rows)
