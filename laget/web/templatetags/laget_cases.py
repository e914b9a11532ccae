"""Labels for the sharing vocabularies' codes (a consent stores codes; pages show names)."""

from collections.abc import Iterable

from django import template
from django.utils.translation import gettext as _

from laget.accounts.models import AgencyType
from laget.records.vocabulary import FAMILIE_RECIPIENT, InfoCategory, SharingPurpose
from laget.sharing.models import Effect

register = template.Library()


def _recipients() -> dict[str, str]:
    return {**dict(AgencyType.choices),
            FAMILIE_RECIPIENT: _("Familien (den unge og foresatte)")}


_VOCABULARIES = {
    "category": lambda: dict(InfoCategory.choices),
    "recipient": _recipients,
    "purpose": lambda: dict(SharingPurpose.choices),
    "effect": lambda: dict(Effect.choices),
}


@register.filter
def code_labels(codes: Iterable[str] | str, vocabulary: str) -> str:
    """`consent.categories|code_labels:"category"` → "Skole, Politi"."""
    names = _VOCABULARIES[vocabulary]()
    if isinstance(codes, str):
        codes = [codes]
    return ", ".join(str(names.get(code, code)) for code in codes)
