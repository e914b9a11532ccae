"""The persons an actor may see: the selectors live in `laget.sharing.persons` (the JSON API uses
them too); the web views import them from here."""

from laget.sharing.persons import (
    PAGE_SIZE,
    PERSON_ROLES,
    can_work_with_persons,
    person_find_by_number_for,
    person_get_for,
    person_list_for,
)

__all__ = ["PAGE_SIZE", "PERSON_ROLES", "can_work_with_persons", "person_find_by_number_for",
           "person_get_for", "person_list_for"]
