"""Handover to another bydel (the team's answers), the team's contact persons, the guardians'
contact history, the 18-year warning and the timeline — with barnevern's involvement hidden
from those without a basis."""

import datetime as dt

import pytest

from laget.areas.models import District
from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases.guardians import guardian_contact_add, majority_day
from laget.cases.handover import case_handover, handover_confirm, receiving_coordinators
from laget.cases.models import HandoverConfirmation
from laget.cases.plan import task_create
from laget.cases.selectors import workflow_panel_for
from laget.cases.services import case_transition
from laget.cases.tests.conftest import actor_of
from laget.cases.timeline import timeline_for
from laget.core import clock
from laget.core.errors import DomainError
from laget.notify.models import Message
from laget.people.models import Person
from laget.people.tests.factories import GuardianFactory
from laget.records.models import Case, TeamMember
from laget.records.services import team_member_add

pytestmark = pytest.mark.django_db
PURPOSE = "forebygging"


@pytest.fixture
def other_district(scene):
    return District.objects.get(pk=scene.other_coordinator.agency.district_id)


def test_handover_moves_case_person_and_coordinator_and_asks_the_team(scene, other_district):
    to = scene.other_coordinator
    assert (to.user, to.agency) in receiving_coordinators(district=other_district)
    handover = case_handover(actor=scene.coordinator, case=scene.case, to_district=other_district,
                             to_coordinator=to.user, note="Flyttet i oktober. Skolen er varslet.")
    case = Case.objects.get(pk=scene.case.pk)
    assert case.district_id == other_district.pk == scene.case.district_id
    assert Person.objects.get(pk=case.person_id).district_id == other_district.pk
    new = TeamMember.objects.active().get(case=case, user=to.user)
    assert new.is_contact and new.agency == to.agency
    asked = {c.member.user_id for c in handover.confirmations.all()}
    assert asked == {scene.coordinator.user.pk, scene.police.user.pk}
    sent_to = set(Message.objects.values_list("recipient_user_id", flat=True))
    assert sent_to == {to.user.pk, scene.coordinator.user.pk, scene.police.user.pk}
    assert all("Flyttet" not in m.body for m in Message.objects.all())
    event = AuditEvent.objects.filter(action=Action.CASE_HANDOVER).get()
    assert "Flyttet" not in str(event.details)
    # both coordinators see it; only they see the note
    for actor in (scene.coordinator, actor_of(to.user)):
        panel = workflow_panel_for(actor=actor, case=case, purpose=PURPOSE)
        assert panel.handovers[0].shows_note
    police_panel = workflow_panel_for(actor=scene.police, case=case, purpose=PURPOSE)
    assert not police_panel.handovers[0].shows_note
    assert [q.member.user_id for q in police_panel.my_questions] == [scene.police.user.pk]
    # the old coordinator may no longer move the case; the new one may
    with pytest.raises(DomainError):
        case_transition(actor=scene.coordinator, case=case, to="active", reason="x")
    case_transition(actor=actor_of(to.user), case=case, to="active", reason="Overtatt.")


def test_answering_no_ends_membership_and_yes_keeps_it(scene, other_district):
    case_handover(actor=scene.coordinator, case=scene.case, to_district=other_district,
                  to_coordinator=scene.other_coordinator.user, note="Notat.")
    police_q = HandoverConfirmation.objects.get(member__user=scene.police.user)
    handover_confirm(actor=scene.police, confirmation=police_q, stays=True)
    with pytest.raises(DomainError) as error:
        handover_confirm(actor=scene.police, confirmation=police_q, stays=False)
    assert error.value.code == "answered"
    old_q = HandoverConfirmation.objects.get(member__user=scene.coordinator.user)
    with pytest.raises(DomainError) as error:
        handover_confirm(actor=scene.police, confirmation=old_q, stays=False)
    assert error.value.code == "not_allowed"
    handover_confirm(actor=scene.coordinator, confirmation=old_q, stays=False)
    active = set(TeamMember.objects.active().filter(case=scene.case)
                 .values_list("user_id", flat=True))
    assert active == {scene.police.user.pk, scene.other_coordinator.user.pk}


@pytest.mark.parametrize("bad, code", [
    ("same", "same_district"), ("note", "note"), ("who", "not_receiving_coordinator"),
    ("actor", "not_coordinator"),
])
def test_handover_refusals_write_nothing(scene, other_district, bad, code):
    kwargs = {"actor": scene.coordinator, "case": scene.case, "to_district": other_district,
              "to_coordinator": scene.other_coordinator.user, "note": "Notat."}
    if bad == "same":
        kwargs["to_district"] = District.objects.get(pk=scene.case.district_id)
    elif bad == "note":
        kwargs["note"] = "   "
    elif bad == "who":
        kwargs["to_coordinator"] = scene.caseworker.user
    else:
        kwargs["actor"] = scene.police
    with pytest.raises(DomainError) as error:
        case_handover(**kwargs)
    assert error.value.code == code
    assert Case.objects.get(pk=scene.case.pk).district_id == "030111"
    assert not HandoverConfirmation.objects.exists()


def test_first_member_of_an_agency_is_its_contact_and_the_role_can_move(scene, make_member):
    police = TeamMember.objects.get(case=scene.case, user=scene.police.user)
    assert police.is_contact
    second = actor_of(make_member("caseworker", agency=scene.police.agency))
    member = team_member_add(actor=scene.coordinator, case=scene.case, user=second.user,
                             agency=scene.police.agency)
    assert not member.is_contact
    third = actor_of(make_member("caseworker", agency=scene.police.agency))
    member = team_member_add(actor=scene.coordinator, case=scene.case, user=third.user,
                             agency=scene.police.agency, is_contact=True)
    contacts = TeamMember.objects.filter(case=scene.case, agency=scene.police.agency,
                                         is_contact=True)
    assert list(contacts) == [member]


def test_guardian_contacts_are_recorded_by_the_team_and_checked(scene):
    guardian = GuardianFactory(person=scene.case.person)
    contact = guardian_contact_add(actor=scene.police, case=scene.case, guardian=guardian,
                                   contacted_on=clock.today(), channel="phone",
                                   interpreter_used=True, note="Avtalte møte.")
    panel = workflow_panel_for(actor=scene.coordinator, case=scene.case, purpose=PURPOSE)
    assert panel.guardians.contacts == [contact] and panel.guardians.access
    assert AuditEvent.objects.filter(action=Action.GUARDIAN_CONTACT).count() == 1
    stranger = GuardianFactory()
    for kwargs, code in [({"guardian": stranger}, "guardian"),
                         ({"contacted_on": clock.today() + dt.timedelta(days=1)}, "future"),
                         ({"channel": "pigeon"}, "channel")]:
        args = {"actor": scene.police, "case": scene.case, "guardian": guardian,
                "contacted_on": clock.today(), "channel": "phone", **kwargs}
        with pytest.raises(DomainError) as error:
            guardian_contact_add(**args)
        assert error.value.code == code
    with pytest.raises(DomainError) as error:
        guardian_contact_add(actor=scene.other_coordinator, case=scene.case, guardian=guardian,
                             contacted_on=clock.today(), channel="phone")
    assert error.value.code == "not_on_team"


def test_majority_warning_shows_within_thirty_days_for_the_coordinator(scene, settings):
    settings.LAGET_CONSENT_LAPSE_WARNING_DAYS = 30
    person = scene.case.person
    turns = clock.today() + dt.timedelta(days=30)
    person.birth_date = turns.replace(year=turns.year - 18)
    person.save()
    case = Case.objects.select_related("person").get(pk=scene.case.pk)
    panel = workflow_panel_for(actor=scene.coordinator, case=case, purpose=PURPOSE)
    assert panel.majority_on == majority_day(person.birth_date)
    assert panel.majority_in_days == 30
    assert workflow_panel_for(actor=scene.police, case=case,
                              purpose=PURPOSE).majority_on is None
    person.birth_date = (turns + dt.timedelta(days=1)).replace(year=turns.year - 18)
    person.save()
    case = Case.objects.select_related("person").get(pk=scene.case.pk)
    assert workflow_panel_for(actor=scene.coordinator, case=case,
                              purpose=PURPOSE).majority_on is None


def test_guardians_lose_access_on_the_eighteenth_birthday(scene):
    person = scene.case.person
    person.birth_date = clock.today().replace(year=clock.today().year - 18)
    person.save()
    case = Case.objects.select_related("person").get(pk=scene.case.pk)
    panel = workflow_panel_for(actor=scene.coordinator, case=case, purpose=PURPOSE)
    assert not panel.guardians.access


def test_timeline_hides_barnevern_from_those_without_a_basis(scene, make_member):
    barnevern = actor_of(make_member("caseworker", agency_type="barnevern", district=None))
    team_member_add(actor=scene.coordinator, case=scene.case, user=barnevern.user,
                    agency=barnevern.agency)
    task_create(actor=scene.coordinator, case=scene.case, title="Hjemmebesøk",
                agency=barnevern.agency)
    task_create(actor=scene.coordinator, case=scene.case, title="Bekymringssamtale",
                agency=scene.police.agency)
    case_transition(actor=scene.coordinator, case=scene.case, to="active", reason="Behov.")

    def titles(actor):
        return [i.title for i in timeline_for(actor=actor, case=scene.case, purpose=PURPOSE)]

    police = " | ".join(titles(scene.police))
    assert "Bekymringssamtale" in police and "Status: Vurdering → Aktiv" in police
    assert "Hjemmebesøk" not in police and barnevern.agency.name not in police
    own = " | ".join(titles(barnevern))
    assert "Hjemmebesøk" in own
    # newest first
    items = timeline_for(actor=scene.coordinator, case=scene.case, purpose=PURPOSE)
    assert [i.at for i in items] == sorted((i.at for i in items), reverse=True)
    assert timeline_for(actor=scene.other_coordinator, case=scene.case, purpose=PURPOSE) == []
