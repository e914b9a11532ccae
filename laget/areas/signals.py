"""Area reference data belongs with the schema: when a flush has emptied the tables (tests that
run in real transactions end with one; so does `manage.py flush`), load them again."""

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction


def reload_reference_data(*, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    from laget.areas.importer import default_data_dir, read_area_data, write_area_data
    from laget.areas.models import District

    if District._meta.db_table not in connections[using].introspection.table_names():
        return  # not migrated this far yet: the data migration will load them
    if District.objects.using(using).exists():
        return
    with transaction.atomic(using=using):
        write_area_data(data=_cached_data(read_area_data, default_data_dir()), using=using)


_DATA: dict[str, Any] = {}


def _cached_data(reader: Any, data_dir: Any) -> Any:
    # The files do not change while a process runs; parse them once.
    key = str(data_dir)
    if key not in _DATA:
        _DATA[key] = reader(data_dir=data_dir)
    return _DATA[key]
