"""How a referral shows on the SaLTo plan: the measure kind «tilbud» in the measures registry
(`laget.cases.measures`), named by the offer with the referral's status and attendance — «8 av 10
oppmøter, siste 12.11» — so that what the provider records flows back to the case as outcomes."""

import uuid

from django.db.models import Count, Max, Q
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laget.accounts.actor import Actor
from laget.cases import measures
from laget.pathways.access import may_refer
from laget.pathways.models import Referral, ReferralStatus
from laget.records.models import Case

MEASURE_KIND = "tilbud"


def outcome_text(referral: Referral, attended: int, total: int, last: object) -> str:
    """The referral's status and attendance in a few words."""
    parts = [str(ReferralStatus(referral.status).label)]
    if total:
        text = _("%(n)s av %(total)s oppmøter") % {"n": attended, "total": total}
        if last is not None:
            text += ", " + _("siste %(date)s") % {"date": formats.date_format(last, "d.m.")}
        parts.append(text)
    if referral.placement_start is not None:
        parts.append(_("jobb fra %(date)s, %(hours)s t/uke") % {
            "date": formats.date_format(referral.placement_start, "SHORT_DATE_FORMAT"),
            "hours": formats.number_format(referral.placement_hours or 0, 1)})
    if referral.status == ReferralStatus.DROPPED_OUT and referral.ended_on:
        parts.append(_("avbrutt %(date)s") % {
            "date": formats.date_format(referral.ended_on, "SHORT_DATE_FORMAT")})
    return " · ".join(parts)


def _resolve(ref: uuid.UUID) -> measures.Resolved | None:
    referral = (Referral.objects.filter(pk=ref).select_related("offer")
                .annotate(total=Count("attendance"),
                          came=Count("attendance", filter=Q(attendance__attended=True)),
                          last=Max("attendance__on", filter=Q(attendance__attended=True)))
                .first())
    if referral is None:
        return None
    return measures.Resolved(
        f"{referral.offer.name}: "
        + outcome_text(referral, referral.came, referral.total, referral.last), None)


def _may_link(actor: Actor, case: Case) -> bool:
    # whoever may refer from the case links the referral to its plan
    return may_refer(actor, case)


def register_measure() -> None:
    measures.register(MEASURE_KIND, gettext_lazy("Tilbud (henvisning)"), resolve=_resolve,
                      family_visible=True, may_link=_may_link)
