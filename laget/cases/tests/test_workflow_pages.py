"""The handover pages, the team's answers, the guardians' contact form and the timeline page:
forms that keep bad input with a message, and nothing for those who may not see the case."""

import pytest
from django.urls import reverse

from laget.cases.models import GuardianContact, Handover, HandoverConfirmation
from laget.people.tests.factories import GuardianFactory
from laget.records.models import Case, TeamMember

pytestmark = pytest.mark.django_db


def url(name, case, **kwargs):
    return reverse(f"web:{name}", kwargs={"case_id": case.pk, **kwargs})


def test_coordinator_hands_the_case_over_in_two_steps(client, login, scene):
    login(client, scene.coordinator.user)
    page = client.get(url("case_detail", scene.case)).content.decode()
    assert 'data-testid="handover-link"' in page
    target = scene.other_coordinator.agency.district_id
    step = client.get(url("case_handover", scene.case), {"bydel": target})
    assert step.status_code == 200
    assert scene.other_coordinator.user.get_full_name() in step.content.decode()
    bad = client.post(url("case_handover", scene.case),
                      {"bydel": target, "coordinator": scene.other_coordinator.user.pk,
                       "note": ""})
    assert bad.status_code == 200 and not Handover.objects.exists()
    done = client.post(url("case_handover", scene.case),
                       {"bydel": target, "coordinator": scene.other_coordinator.user.pk,
                        "note": "Flyttet."})
    assert done.status_code == 302
    assert Case.objects.get(pk=scene.case.pk).district_id == target


def test_team_member_answers_the_handover_question_on_the_case_page(client, login, scene):
    from laget.areas.models import District
    from laget.cases.handover import case_handover
    case_handover(actor=scene.coordinator, case=scene.case,
                  to_district=District.objects.get(pk=scene.other_coordinator.agency.district_id),
                  to_coordinator=scene.other_coordinator.user, note="Notat som er hemmelig.")
    login(client, scene.police.user)
    page = client.get(url("case_detail", scene.case)).content.decode()
    assert 'data-testid="handover-question"' in page
    assert "Notat som er hemmelig." not in page
    question = HandoverConfirmation.objects.get(member__user=scene.police.user)
    answer = client.post(url("handover_answer", scene.case, confirmation_id=question.pk),
                         {"blir": "nei"})
    assert answer.status_code == 302
    assert not TeamMember.objects.active().filter(case=scene.case,
                                                  user=scene.police.user).exists()
    assert client.get(url("case_detail", scene.case)).status_code == 404


def test_handover_page_is_not_there_for_team_members(client, login, scene):
    login(client, scene.police.user)
    assert client.get(url("case_handover", scene.case)).status_code == 404


def test_guardian_contact_form_and_timeline(client, login, scene):
    guardian = GuardianFactory(person=scene.case.person)
    login(client, scene.police.user)
    bad = client.post(url("guardian_contact_create", scene.case),
                      {"guardian": guardian.pk, "contacted_on": "2099-01-01", "channel": "phone"})
    assert bad.status_code == 200 and "fram i tid" in bad.content.decode()
    assert not GuardianContact.objects.exists()
    ok = client.post(url("guardian_contact_create", scene.case),
                     {"guardian": guardian.pk, "contacted_on": "", "channel": "phone"})
    assert ok.status_code == 200  # the date is required
    from laget.core import clock
    ok = client.post(url("guardian_contact_create", scene.case),
                     {"guardian": guardian.pk, "contacted_on": clock.today().isoformat(),
                      "channel": "phone", "note": "Ringte mor."})
    assert ok.status_code == 302 and ok.url.endswith("#foresatte")
    page = client.get(url("case_detail", scene.case)).content.decode()
    assert "Ringte mor." in page and 'data-testid="recent-timeline"' in page
    timeline = client.get(url("case_timeline", scene.case)).content.decode()
    assert "Kontakt med" in timeline and "Sak åpnet" in timeline
    login(client, scene.other_coordinator.user)
    assert client.get(url("case_timeline", scene.case)).status_code == 404
