"""The objects behind the rectification placeholders in tests/test_authorization_matrix.py: a
request registered by the agency's coordinator (on the team) about the agency's own entry, so
the agency decides it."""

from laget.core import clock
from laget.rectification.models import RectificationRequest, RequestedEntry
from laget.rectification.services import deadline_for


def rectification_objects(case, entry, memberships: dict) -> dict[str, object]:
    coordinator = memberships["coordinator"]
    now = clock.now()
    request = RectificationRequest.objects.create(
        kind="correction", person_id=case.person_id, case=case, agency=coordinator.agency,
        channel="staff", requested_by="self", registered_by=coordinator.user,
        registered_by_agency=coordinator.agency, what_is_wrong="Feil.", received_at=now,
        deadline=deadline_for(now))
    RequestedEntry.objects.create(request=request, entry_id=entry.pk)
    return {"RECTIFICATION": request.pk}
