"""The NAV advisor's readiness alerts: at each of `LAGET_REENTRY_ALERT_DAYS` before a release whose
checklist still has open items, one message to the plan's owner — without personal data, linking
to the plan — at most once per plan and threshold (the outbox's idempotency key)."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from laget.core import clock
from laget.notify.services import notify_user
from laget.reentry.models import ReentryPlan, ReleaseStatus
from laget.reentry.services import missing_items


def readiness_alerts_send() -> int:
    """Queue the alerts due today; returns how many plans were alerted."""
    thresholds = sorted(settings.LAGET_REENTRY_ALERT_DAYS)
    if not thresholds:
        return 0
    today = clock.today()
    sent = 0
    plans = (ReentryPlan.objects
             .filter(release__status=ReleaseStatus.HANDED_OVER,
                     release__expected_date__gte=today,
                     release__expected_date__lte=today + dt.timedelta(days=thresholds[-1]))
             .select_related("release", "owner"))
    for plan in plans:
        missing = missing_items(plan)
        if not missing:
            continue
        days_left = (plan.release.expected_date - today).days
        threshold = next(d for d in thresholds if days_left <= d)
        message = notify_user(
            user=plan.owner, key=f"reentry:ready:{plan.pk}:{threshold}",
            subject=_("Løslatelse nærmer seg: sjekklisten er ikke ferdig"),
            body=_("En løslatelse du følger opp er om %(days)s dager, og %(count)s punkter på "
                   "sjekklisten er ikke klare.") % {"days": days_left, "count": len(missing)},
            link=f"/loslatelse/plan/{plan.pk}/")
        sent += message is not None
    return sent
