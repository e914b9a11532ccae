"""The demo's family support: a completed parent-support referral, one protected relocation
application partly paid, interpreter bookings in two pilot bydeler — written once."""

import random

import pytest

from laget.familysupport import access
from laget.familysupport.models import (
    InterpreterBooking,
    ParentSupportReferral,
    RelocationApplication,
)


def build() -> None:
    """The demo's persons, cases and workflow, then the family support (the other apps' demo
    parts are theirs to test)."""
    from laget.demo import builder
    from laget.demo.cases import build_cases
    from laget.demo.familysupport import build_familysupport
    from laget.demo.workflow import build_workflow

    summary = builder.DemoSummary()
    agencies = builder._agencies()
    builder._staff(7, agencies, summary)
    builder._persons(random.Random(7), 30, agencies, summary)
    build_cases(rng=random.Random(8), districts=builder.PILOT_DISTRICTS)
    build_workflow(rng=random.Random(9), districts=builder.PILOT_DISTRICTS)
    build_familysupport(districts=builder.PILOT_DISTRICTS)


@pytest.mark.django_db
def test_demo_family_support_once():
    # no `rulebook` fixture: build_cases loads the rulebook a year back, as the demo does, and
    # the history written with the clock turned back is decided under it
    build()
    referral = ParentSupportReferral.objects.get()
    assert referral.outcome == "completed" and referral.sessions.count() == 3
    application = RelocationApplication.objects.get()
    assert application.protected and access.destination_protected(application)
    assert 0 < sum(p.amount for p in application.payments.all()) <= application.granted_amount
    bookings = InterpreterBooking.objects.all()
    assert bookings.count() == 6
    assert bookings.values("district_id").distinct().count() == 2
    build()
    assert InterpreterBooking.objects.count() == 6
    assert ParentSupportReferral.objects.count() == 1
