"""Access hygiene (issue 12): a leaver loses access on their next request, and the agency leader's
quarterly access review lists who is on which cases, flags idle access and records the leader's
confirmation or removal."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from laget.accounts.actor import Actor
from laget.accounts.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY
from laget.accounts.models import AccessReview, AgencyType, Membership
from laget.accounts.services import membership_end
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.core.errors import DomainError
from laget.records.models import TeamMember
from laget.sharing import selectors as sharing_selectors
from laget.web.selectors.access_review import quarter_of
from laget.web.services.access_review import Decision, access_review_complete
from laget.web.tests.conftest import actor_of

pytestmark = pytest.mark.django_db

REVIEW_URL = "/konto/tilgangsgjennomgang/"


def _case_url(world) -> str:
    return reverse("web:case_detail", kwargs={"case_id": world.case.pk})


def actor_of_membership(user, agency) -> Actor:
    return Actor(user, Membership.objects.get(user=user, agency=agency))


def _end_yesterday(membership: Membership) -> None:
    yesterday = clock.today() - dt.timedelta(days=1)
    Membership.objects.filter(pk=membership.pk).update(
        valid_from=yesterday - dt.timedelta(days=30), valid_to=yesterday)


# --- leavers -------------------------------------------------------------------------------------

def test_a_leaver_is_refused_on_the_next_request(world, login):
    teacher = login(Client(), world.teacher)
    assert teacher.get(_case_url(world)).status_code == 200
    _end_yesterday(Membership.objects.get(user=world.teacher))

    # the same session, the next page load: no role, so no case page and no entries
    assert teacher.get(_case_url(world)).status_code == 403
    assert teacher.get(reverse("web:case_list")).status_code == 403
    start = teacher.get("/").content.decode()
    assert "Du har ingen aktiv rolle i noen virksomhet" in start
    # the team row still exists (history), but it gives no access without the agency role
    assert TeamMember.objects.active().filter(user=world.teacher, case=world.case).exists()


def test_a_membership_ending_today_is_already_gone_today(world, login):
    teacher = login(Client(), world.teacher)
    membership_end(membership=Membership.objects.get(user=world.teacher))
    assert teacher.get(_case_url(world)).status_code == 403


def test_a_leaver_with_another_role_acts_only_in_that_role(world, login):
    """The session chose the school role; the school role ends; the user's other role (a leisure
    club) takes over, and the school's team membership opens nothing from it."""
    club = AgencyFactory(type=AgencyType.FRITID, district_id="030111")
    MembershipFactory(user=world.teacher, agency=club, role="caseworker")
    school_role = Membership.objects.get(user=world.teacher, agency=world.school)
    teacher = login(Client(), world.teacher)
    session = teacher.session
    session[ACTIVE_MEMBERSHIP_SESSION_KEY] = str(school_role.pk)
    session.save()
    assert teacher.get(_case_url(world)).status_code == 200

    _end_yesterday(school_role)
    assert teacher.get(_case_url(world)).status_code == 404
    body = teacher.get("/").content.decode()
    assert club.name in body and world.school.name not in body
    club_actor = actor_of_membership(world.teacher, club)
    assert not sharing_selectors.is_team_member(actor=club_actor, case=world.case)
    # choosing the ended role again is ignored
    teacher.post(reverse("accounts:role_switch"), {"membership": str(school_role.pk)})
    assert teacher.get(_case_url(world)).status_code == 404
    denied = AuditEvent.objects.filter(action="case.access_denied", actor=world.teacher)
    assert denied.filter(agency=club).count() == 2


# --- the access review ---------------------------------------------------------------------------

def _school_staff(world, make_member):
    """The school's leader and an idle colleague who has had a role for 200 days."""
    leader = make_member("leader", agency=world.school, first_name="Lise", last_name="Leder")
    idle = make_member("caseworker", agency=world.school, first_name="Ivar", last_name="Inaktiv")
    Membership.objects.filter(user=idle).update(
        valid_from=clock.today() - dt.timedelta(days=200))
    return leader, idle


def test_the_review_lists_cases_and_flags_idle_access(world, login, make_member):
    leader, _idle = _school_staff(world, make_member)
    Membership.objects.filter(user=world.teacher).update(
        valid_from=clock.today() - dt.timedelta(days=200))
    client = login(Client(), leader)
    response = client.get(REVIEW_URL)
    assert response.status_code == 200
    body = response.content.decode()
    rows = body.split('data-testid="review-member"')[1:]
    assert len(rows) == 3
    by_name = {name: row for row in rows for name in ("Inaktiv", "Leder", world.teacher.last_name)
               if name in row.split("</th>")[0]}
    # the teacher is on one case; the school's leader may not open it: counted, not linked
    assert 'data-testid="team-cases">1:' in by_name[world.teacher.last_name]
    assert str(world.case.pk) not in body and world.person.family_name not in body
    assert 'data-testid="idle"' in by_name["Inaktiv"]
    assert 'data-testid="idle"' not in by_name[world.teacher.last_name]  # wrote an entry today
    assert 'data-testid="idle"' not in by_name["Leder"]  # logged in just now
    assert AuditEvent.objects.filter(action="access.review_view", actor=leader,
                                     details__members=3, details__idle=1).exists()


def test_idle_after_the_setting_days(world, login, make_member, settings):
    leader, _idle = _school_staff(world, make_member)
    settings.LAGET_ACCESS_REVIEW_IDLE_DAYS = 300
    body = login(Client(), leader).get(REVIEW_URL).content.decode()
    assert 'data-testid="idle"' not in body


def test_a_bydel_leader_gets_links_to_the_cases(world, login, make_member):
    leader = make_member("leader", agency=world.bydel)
    body = login(Client(), leader).get(REVIEW_URL).content.decode()
    assert reverse("web:case_detail", kwargs={"case_id": world.case.pk}) in body


def test_the_leader_confirms_and_removes(world, login, make_member):
    leader, idle = _school_staff(world, make_member)
    idle_client = login(Client(), idle)
    teacher = login(Client(), world.teacher)
    client = login(Client(), leader)
    response = client.post(REVIEW_URL, {
        f"decision-{leader.pk}": "confirmed",
        f"decision-{world.teacher.pk}": "confirmed", f"note-{world.teacher.pk}": "Kontaktlærer",
        f"decision-{idle.pk}": "removed", f"note-{idle.pk}": "Sluttet i august",
    })
    assert response.status_code == 302
    review = AccessReview.objects.get(agency=world.school)
    assert review.period == quarter_of(clock.today()) and review.leader == leader
    assert {(line.member_id, line.decision) for line in review.lines.all()} == {
        (leader.pk, "confirmed"), (world.teacher.pk, "confirmed"), (idle.pk, "removed")}
    ended = Membership.objects.get(user=idle)
    assert ended.valid_to == clock.today()
    assert not Membership.objects.active().filter(user=idle).exists()
    assert idle_client.get("/personer/").status_code == 403
    assert teacher.get(_case_url(world)).status_code == 200
    assert AuditEvent.objects.filter(action="access.membership_end", actor=leader,
                                     details__member=idle.pk).count() == 1
    event = AuditEvent.objects.get(action="access.review", actor=leader)
    assert event.details["confirmed"] == 2 and event.details["removed"] == 1
    body = client.get(REVIEW_URL).content.decode()
    assert 'data-testid="review-done"' in body and "Sluttet i august" in body
    assert 'name="decision-' not in body
    # the reminder on the leader's start page is gone once the quarter is reviewed
    assert "mangler" not in client.get("/").content.decode()


def test_removal_ends_the_members_team_memberships_for_the_agency(world, login, make_member):
    leader, idle = _school_staff(world, make_member)
    teacher = login(Client(), world.teacher)
    access_review_complete(actor=actor_of_membership(leader, world.school), decisions={
        leader.pk: Decision("confirmed"), idle.pk: Decision("confirmed"),
        world.teacher.pk: Decision("removed", "Permisjon"),
    })
    member = TeamMember.objects.get(user=world.teacher, case=world.case)
    assert member.left_on == clock.today()
    assert AuditEvent.objects.filter(action="team.member_end", actor=leader,
                                     object_id=str(member.pk)).exists()
    assert teacher.get(_case_url(world)).status_code == 403


def test_the_review_refuses_gaps_self_removal_and_a_second_time(world, login, make_member):
    leader, idle = _school_staff(world, make_member)
    actor = actor_of_membership(leader, world.school)
    with pytest.raises(DomainError) as gap:
        access_review_complete(actor=actor, decisions={leader.pk: Decision("confirmed")})
    assert gap.value.code == "incomplete"
    everyone = {leader.pk: Decision("confirmed"), idle.pk: Decision("confirmed"),
                world.teacher.pk: Decision("confirmed")}
    with pytest.raises(DomainError) as self_removal:
        access_review_complete(actor=actor, decisions={**everyone,
                                                       leader.pk: Decision("removed")})
    assert self_removal.value.code == "self"
    with pytest.raises(DomainError) as teacher_review:
        access_review_complete(actor=actor_of(world.teacher), decisions=everyone)
    assert teacher_review.value.code == "not_leader"
    access_review_complete(actor=actor, decisions=everyone)
    with pytest.raises(DomainError) as again:
        access_review_complete(actor=actor, decisions=everyone)
    assert again.value.code == "done"
    assert AccessReview.objects.count() == 1


def test_a_missing_decision_is_shown_on_the_page(world, login, make_member):
    leader, _idle = _school_staff(world, make_member)
    response = login(Client(), leader).post(REVIEW_URL, {f"decision-{leader.pk}": "confirmed"})
    assert response.status_code == 200
    assert "Velg «bekreft» eller «fjern»." in response.content.decode()
    assert not AccessReview.objects.exists()


def test_the_start_page_reminds_the_leader_of_a_missing_review(world, login, make_member):
    leader, _idle = _school_staff(world, make_member)
    body = login(Client(), leader).get("/").content.decode()
    assert f"Tilgangsgjennomgangen for {quarter_of(clock.today())} mangler" in body
    assert REVIEW_URL in body
