"""The demo's intensive follow-up (laget.demo.intensive) on a small world: an active case whose
team has the bydel, the school and the youth club is enrolled with a week plan that shows gaps,
once."""

import pytest

from laget.demo.intensive import build_intensive
from laget.intensive import selectors
from laget.intensive.models import Enrolment
from laget.intensive.tests.conftest import STOVNER
from laget.records.models import Case, CaseStatus


@pytest.mark.django_db
def test_demo_enrols_a_youth_with_a_visible_gap_once(scene):
    Case.objects.filter(pk=scene.case.pk).update(status=CaseStatus.ACTIVE)
    assert build_intensive(districts={STOVNER: "stovner"}) == 1
    enrolment = Enrolment.objects.get()
    assert {m.team_member.agency.type for m in enrolment.members.all()} == {"skole", "fritid"}
    found = selectors.plan_gaps(list(enrolment.slots.all()))
    assert found[4] and found[5] and found[6]  # Friday evening and the weekend are open
    assert not found[0] and not found[2]
    assert build_intensive(districts={STOVNER: "stovner"}) == 0
    assert Enrolment.objects.count() == 1
