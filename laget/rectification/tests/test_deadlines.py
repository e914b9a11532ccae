"""The deadline of a request: extended once by two months within the first month (GDPR art.
12(3)), with its reason shown to the family, and the deciding agency reminded a week before and
once more after it has passed."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.models import Message
from laget.rectification import services
from laget.rectification.models import RectificationRequest
from laget.rectification.tests.test_services import _register

OSLO = clock.OSLO


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
       st.integers(min_value=-1200, max_value=1200))
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months):
    later = clock.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + dt.timedelta(days=1)).day == 1)


@pytest.mark.django_db
def test_the_owner_extends_once_within_the_first_month_with_a_reason(scene):
    request = _register(scene)
    first = request.deadline
    with pytest.raises(DomainError) as refused:
        services.request_extend(actor=scene.school, request=request, reason="  ")
    assert refused.value.code == "reason"
    with pytest.raises(DomainError) as refused:
        services.request_extend(actor=scene.barnevern, request=request, reason="Mange krav.")
    assert refused.value.code == "forbidden"
    extended = services.request_extend(actor=scene.school, request=request,
                                       reason="Kravet gjelder mange notater.")
    assert extended.extended_from == first
    assert extended.deadline == clock.add_months(first, 2)
    assert extended.extended_by == scene.school.user
    event = AuditEvent.objects.get(action="rectification.extend")
    assert event.details == {"kind": "correction", "from": first.isoformat(),
                             "to": extended.deadline.isoformat()}
    # whoever registered it is asked to tell the person, without personal data
    told = Message.objects.get(idempotency_key=f"rectification-extended:{request.pk}")
    assert told.recipient_user_id == scene.barnevern.user.pk
    assert "Sara" not in told.body
    with pytest.raises(DomainError) as refused:
        services.request_extend(actor=scene.school, request=extended, reason="Igjen.")
    assert refused.value.code == "extended"
    assert RectificationRequest.objects.get(pk=request.pk).deadline == extended.deadline


@pytest.mark.django_db
def test_no_extension_after_the_first_month_or_a_decision(scene):
    request = _register(scene)
    late = dt.datetime.combine(request.deadline + dt.timedelta(days=1), dt.time(9), tzinfo=OSLO)
    with clock.frozen(late), pytest.raises(DomainError) as refused:
        services.request_extend(actor=scene.school, request=request, reason="For sent.")
    assert refused.value.code == "too_late"
    services.request_decide(actor=scene.school, request=request, decision="rejected",
                            reason="Fraværet er riktig.")
    with pytest.raises(DomainError) as refused:
        services.request_extend(actor=scene.school, request=request, reason="Etter avgjørelse.")
    assert refused.value.code == "decided"
    assert not AuditEvent.objects.filter(action="rectification.extend").exists()


def _reminders():
    return Message.objects.filter(idempotency_key__regex=r"^rectification-(soon|overdue):")


@pytest.mark.django_db
def test_the_deciding_agency_is_reminded_before_and_after_the_deadline_once_each(scene):
    request = _register(scene)
    deadline = request.deadline
    assert services.remind_due(today=deadline - dt.timedelta(days=8)) == 0
    assert services.remind_due(today=deadline - dt.timedelta(days=7)) == 1
    assert services.remind_due(today=deadline - dt.timedelta(days=3)) == 0  # already reminded
    soon = _reminders().get()
    assert soon.recipient_user_id == scene.school.user.pk
    assert soon.subject == "Et krav om retting skal avgjøres snart"
    assert "Sara" not in soon.body and str(request.pk) in soon.body
    assert services.remind_due(today=deadline) == 0
    assert services.remind_due(today=deadline + dt.timedelta(days=1)) == 1
    assert services.remind_due(today=deadline + dt.timedelta(days=2)) == 0
    assert _reminders().filter(subject="Et krav om retting har passert fristen").count() == 1
    services.request_decide(actor=scene.school, request=request, decision="rejected",
                            reason="Fraværet er riktig.")
    assert services.remind_due(today=deadline + dt.timedelta(days=30)) == 0


@pytest.mark.django_db
def test_an_extended_deadline_is_reminded_afresh(scene):
    request = _register(scene)
    assert services.remind_due(today=request.deadline - dt.timedelta(days=2)) == 1
    extended = services.request_extend(actor=scene.school, request=request, reason="Mange krav.")
    assert services.remind_due(today=request.deadline) == 0  # not due for two months now
    assert services.remind_due(today=extended.deadline - dt.timedelta(days=6)) == 1
    assert _reminders().count() == 2
