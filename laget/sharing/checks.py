"""`manage.py check --database default` warns when no rulebook is loaded: until one is, every
read of another agency's information is refused (deny by default)."""

from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError


@register(Tags.database)
def rulebook_loaded(app_configs: Any = None, databases: Any = None, **kwargs: Any) -> list[
        CheckMessage]:
    if not databases:
        return []
    from laget.sharing.models import RulebookVersion

    try:
        loaded = RulebookVersion.objects.exists()
    except DatabaseError:  # not migrated yet: migrate comes first
        return []
    if loaded:
        return []
    return [Warning(
        "No sharing rulebook is loaded: every read of another agency's entries is refused.",
        hint="Run `manage.py rules diff` and then `manage.py rules load`.",
        id="laget.sharing.W001",
    )]
