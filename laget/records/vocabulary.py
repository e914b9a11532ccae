"""The fixed vocabularies of the shared record: information categories with their GDPR
sensitivity, the purposes information is shared for, recipients, and case programmes.

The codes are a contract: the rulebook, the API and the tests use them; only labels are translated.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from laget.accounts.models import AgencyType
from laget.audit.actions import Purpose


class InfoCategory(models.TextChoices):
    IDENTITET = "identitet", _("Identitet og kontakt")
    PLAN = "plan", _("Koordinert plan")
    SKOLE = "skole", _("Skole")
    BARNEVERN = "barnevern", _("Barnevern")
    POLITI = "politi", _("Politi")
    HELSE = "helse", _("Helse")
    FAMILIE = "familie", _("Familie")
    NAV = "nav", _("NAV")
    KRIMINALOMSORG = "kriminalomsorg", _("Kriminalomsorg")
    KONFLIKTRAAD = "konfliktraad", _("Konfliktråd")
    AKTIVITET = "aktivitet", _("Aktivitet og fritid")


class Sensitivity(models.TextChoices):
    ORDINARY = "ordinary", _("Alminnelige personopplysninger")
    SPECIAL = "special", _("Særlige kategorier (GDPR art. 9)")
    CRIMINAL = "criminal", _("Straffbare forhold (GDPR art. 10)")


#: GDPR sensitivity per category.
SENSITIVITY: dict[str, Sensitivity] = {
    InfoCategory.IDENTITET: Sensitivity.ORDINARY,
    InfoCategory.PLAN: Sensitivity.ORDINARY,
    InfoCategory.SKOLE: Sensitivity.ORDINARY,
    InfoCategory.BARNEVERN: Sensitivity.SPECIAL,
    InfoCategory.POLITI: Sensitivity.CRIMINAL,
    InfoCategory.HELSE: Sensitivity.SPECIAL,
    InfoCategory.FAMILIE: Sensitivity.ORDINARY,
    InfoCategory.NAV: Sensitivity.ORDINARY,
    InfoCategory.KRIMINALOMSORG: Sensitivity.CRIMINAL,
    InfoCategory.KONFLIKTRAAD: Sensitivity.CRIMINAL,
    InfoCategory.AKTIVITET: Sensitivity.ORDINARY,
}

#: Categories whose mere existence is confidential (bvl. § 13-1, hpl. § 21): never hinted at —
#: no count, no source name, no team-list line — to those without a basis.
EXISTENCE_CONFIDENTIAL: frozenset[str] = frozenset({InfoCategory.BARNEVERN, InfoCategory.HELSE})

#: The agency types whose membership of a team reveals such a category.
AGENCY_TYPE_REVEALS: dict[str, str] = {
    AgencyType.BARNEVERN: InfoCategory.BARNEVERN,
    AgencyType.HELSE: InfoCategory.HELSE,
}


class SharingPurpose(models.TextChoices):
    """The purposes information is shared for; a subset of the audit purposes, same codes."""

    FOREBYGGING = Purpose.FOREBYGGING.value, Purpose.FOREBYGGING.label
    OPPFOLGING = Purpose.OPPFOLGING.value, Purpose.OPPFOLGING.label
    MELDING_BARNEVERN = Purpose.MELDING_BARNEVERN.value, Purpose.MELDING_BARNEVERN.label
    STRAFFESAK = Purpose.STRAFFESAK.value, Purpose.STRAFFESAK.label
    FARE_LIV_HELSE = Purpose.FARE_LIV_HELSE.value, Purpose.FARE_LIV_HELSE.label


#: Who may receive: every agency type, and the family itself (the family portal).
FAMILIE_RECIPIENT = "familie"
RECIPIENTS: tuple[str, ...] = (*AgencyType.values, FAMILIE_RECIPIENT)


class Programme(models.TextChoices):
    """Programmes a case can be enrolled in; rules may depend on them."""

    INTENSIV_OPPFOLGING = "intensiv_oppfolging", _("Intensiv oppfølging («aktive gutter»)")
    UNGDOMSOPPFOLGING = "ungdomsoppfolging", _("Ungdomsoppfølging (konfliktrådet)")
    UNGDOMSSTRAFF = "ungdomsstraff", _("Ungdomsstraff (konfliktrådet)")
    HURTIGSPOR = "hurtigspor", _("Hurtigspor for ungdomssaker")
    REENTRY = "tilbakeforing", _("Oppfølging etter løslatelse")


class ConsentState(models.TextChoices):
    """Who has given consent, as the guide and the rulebook name it."""

    NONE = "none", _("Ikke gitt")
    GUARDIAN = "guardian", _("Foresatte")
    YOUTH = "youth", _("Den unge")
    BOTH = "both", _("Både foresatte og den unge")
