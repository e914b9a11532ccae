"""The meeting pages: the coordinator schedules, changes and cancels a meeting and writes the
minutes, whose decisions become tasks in one step; the team reads them; bad input is a form error
that keeps what was typed and writes nothing; the case page shows the next meeting; the meeting
on paper in bokmål and English."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from laget.audit.models import AuditEvent
from laget.cases import meetings
from laget.cases.models import Meeting, MeetingDecision, MeetingStatus, Task
from laget.core import clock
from laget.notify.models import Message
from laget.records.models import TeamMember
from laget.web.tests.conftest import actor_of
from tests.pdf import pdf_text as text_of_pdf

pytestmark = pytest.mark.django_db

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def coordinator(world, login) -> Client:
    return login(Client(), world.coordinator)


@pytest.fixture
def teacher(world, login) -> Client:
    return login(Client(), world.teacher)


def _url(world, name, **kwargs):
    return reverse(name, kwargs={"case_id": world.case.pk, **kwargs})


def _member(world, user):
    return TeamMember.objects.active().get(case=world.case, user=user)


def _form(world, **overrides):
    day = clock.today() + dt.timedelta(days=3)
    data = {
        "date": day.isoformat(), "time": "14:00", "place": "Stovner bydelshus, rom 2",
        "team": [str(_member(world, u).pk) for u in (world.coordinator, world.teacher,
                                                      world.officer)],
        "family": ["ung", str(world.guardians[0].pk)],
        "others": "Ola Hansen, trener", "interpreter_needed": "", "interpreter_language": "",
        "agenda_extra": "Sommerjobb",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _meeting(world, *, at=None, **kwargs) -> Meeting:
    invite = meetings.Invite(team_member_ids=[_member(world, u).pk for u in (
        world.coordinator, world.teacher, world.officer)], young_person=True)
    return meetings.meeting_schedule(
        actor=actor_of(world.coordinator), case=world.case,
        starts_at=at or clock.now() + dt.timedelta(days=2), place="Haugen skole",
        invite=invite, **kwargs)


def _pdf_text(content: bytes) -> str:
    return text_of_pdf(content)


def test_the_coordinator_schedules_a_meeting(world, coordinator):
    form = coordinator.get(_url(world, "web:meeting_create"))
    assert form.status_code == 200
    page = form.content.decode()
    for expected in ("Planlegg møte", "Haugen skole", "Oslo politidistrikt", "Mor Syntetisk",
                     "Sara Syntetisk (den unge)"):
        assert expected in page, expected
    # barnevern is on the team; the coordinator, who put the team together, may invite them
    assert "Barneverntjenesten" in page
    response = coordinator.post(_url(world, "web:meeting_create"), _form(world))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url(world, "web:meeting_detail", meeting_id=meeting.pk)
    assert meeting.starts_at.astimezone(clock.OSLO).strftime("%H:%M") == "14:00"
    assert meeting.participants.count() == 6
    assert {m.recipient_user_id for m in Message.objects.all()} == {world.teacher.pk,
                                                                    world.officer.pk}
    detail = coordinator.get(response["Location"]).content.decode()
    for expected in ("Stovner bydelshus, rom 2", "Åpne oppgaver i planen", "Sommerjobb",
                     "Ola Hansen, trener", "Mor Syntetisk", "Avlys møtet", "Endre møtet"):
        assert expected in detail, expected


@pytest.mark.parametrize(("overrides", "message"), [
    ({"date": (dt.date.today() - dt.timedelta(days=2)).isoformat()},
     "Møtet kan ikke være tilbake i tid"),
    ({"date": "i morgen"}, "Skriv en gyldig dato"),
    ({"team": [], "family": [], "others": ""},
     "Inviter minst én deltaker"),
    ({"team": ["00000000-0000-0000-0000-000000000000"]}, "ikke med i teamet"),
    ({"interpreter_needed": "on", "interpreter_language": ""}, "Velg språk for tolken"),
])
def test_bad_input_keeps_what_was_typed_and_writes_nothing(world, coordinator, overrides,
                                                           message):
    response = coordinator.post(_url(world, "web:meeting_create"), _form(world, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'value="Stovner bydelshus, rom 2"' in page
    assert "Ola Hansen, trener" in page
    assert not Meeting.objects.exists() and not Message.objects.exists()
    assert not AuditEvent.objects.filter(action="meeting.change").exists()


def test_a_team_member_reads_meetings_but_cannot_schedule(world, teacher):
    meeting = _meeting(world)
    page = teacher.get(_url(world, "web:meeting_create"))
    assert page.status_code == 200
    assert 'data-testid="meeting-not-allowed"' in page.content.decode()
    assert 'data-testid="meeting-form"' not in page.content.decode()
    teacher.post(_url(world, "web:meeting_create"), _form(world))
    assert Meeting.objects.count() == 1
    detail = teacher.get(_url(world, "web:meeting_detail", meeting_id=meeting.pk))
    assert detail.status_code == 200
    assert "Avlys møtet" not in detail.content.decode()
    listed = teacher.get(_url(world, "web:meeting_list")).content.decode()
    assert _url(world, "web:meeting_detail", meeting_id=meeting.pk) in listed
    assert "Planlegg møte" not in listed
    teacher.post(_url(world, "web:meeting_cancel", meeting_id=meeting.pk))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_someone_not_on_the_team_gets_404(world, login, make_member):
    meeting = _meeting(world)
    outsider = login(Client(), make_member("caseworker", agency=world.police))
    for name in ("web:meeting_detail", "web:meeting_edit", "web:meeting_minutes",
                 "web:meeting_pdf"):
        assert outsider.get(_url(world, name, meeting_id=meeting.pk)).status_code == 404
    assert outsider.get(_url(world, "web:meeting_list")).status_code == 404


def test_the_case_page_shows_the_next_meeting(world, coordinator, teacher):
    page = coordinator.get(_url(world, "web:case_detail")).content.decode()
    assert 'data-testid="next-meeting"' in page and "Ingen møte er planlagt." in page
    assert _url(world, "web:meeting_create") in page
    meeting = _meeting(world)
    page = teacher.get(_url(world, "web:case_detail")).content.decode()
    assert _url(world, "web:meeting_detail", meeting_id=meeting.pk) in page
    assert "Haugen skole" in page
    assert _url(world, "web:meeting_create") not in page


def test_edit_and_cancel(world, coordinator):
    meeting = _meeting(world)
    url = _url(world, "web:meeting_edit", meeting_id=meeting.pk)
    form = coordinator.get(url).content.decode()
    assert 'value="Haugen skole"' in form and "Lag dagsordenen på nytt" in form
    local = meeting.starts_at.astimezone(clock.OSLO)
    data = _form(world, date=local.date().isoformat(), time="09:30", place="Nytt sted",
                 agenda="Punkt 1", agenda_extra=None, family=[])
    response = coordinator.post(url, data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.place, meeting.agenda) == ("Nytt sted", "Punkt 1")
    assert meeting.starts_at.astimezone(clock.OSLO).strftime("%H:%M") == "09:30"
    assert not meeting.participants.filter(kind="young_person").exists()
    response = coordinator.post(_url(world, "web:meeting_cancel", meeting_id=meeting.pk))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "Bare planlagte møter kan endres" in coordinator.get(url).content.decode()


def _minutes_data(meeting, **overrides):
    teacher = meeting.participants.get(user__memberships__agency__type="skole")
    young = meeting.participants.get(kind="young_person")
    data = {
        "minutes": "Teamet gikk gjennom planen.",
        f"oppmote_{teacher.pk}": "ja",
        f"oppmote_{young.pk}": "nei",
        "beslutning-TOTAL_FORMS": "2", "beslutning-INITIAL_FORMS": "2",
        "beslutning-MIN_NUM_FORMS": "0", "beslutning-MAX_NUM_FORMS": "30",
        "beslutning-0-text": "Politiet tar en samtale med Sara",
        "beslutning-0-responsible": "", "beslutning-0-task_title": "",
        "beslutning-0-due_on": "",
        "beslutning-1-text": "", "beslutning-1-responsible": "",
        "beslutning-1-task_title": "", "beslutning-1-due_on": "",
    }
    data.update(overrides)
    return data


def test_minutes_with_a_decision_that_becomes_a_task(world, coordinator, teacher):
    meeting = _meeting(world)
    url = _url(world, "web:meeting_minutes", meeting_id=meeting.pk)
    assert 'data-testid="minutes-not-started"' in coordinator.get(url).content.decode()
    with clock.frozen(meeting.starts_at + HOUR):
        form = coordinator.get(url).content.decode()
        assert 'data-testid="minutes-form"' in form and "Oslo politidistrikt" in form
        due = clock.today() + dt.timedelta(days=14)
        officer = f"{world.police.pk}:{world.officer.pk}"
        response = coordinator.post(url, _minutes_data(meeting, **{
            "beslutning-0-responsible": officer, "beslutning-0-due_on": due.isoformat()}))
        assert response.status_code == 302
        detail = teacher.get(response["Location"]).content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    task = Task.objects.get()
    assert (task.title, task.agency, task.assignee, task.due_on) == (
        "Politiet tar en samtale med Sara", world.police, world.officer, due)
    assert MeetingDecision.objects.get().task == task
    assert "Teamet gikk gjennom planen." in detail and "Oppgave:" in detail
    assert "møtte ikke" in detail


@pytest.mark.parametrize(("overrides", "message"), [
    ({"beslutning-0-due_on": "2000-01-01"}, "Fristen kan ikke være før i dag"),
    ({"beslutning-0-responsible": "00000000-0000-0000-0000-000000000000"},
     "Velg en ansvarlig fra teamet i listen"),
    ({"minutes": ""}, "Skriv referatet"),
    ({"beslutning-1-due_on": "2030-01-01"}, "Skriv hva som ble bestemt"),
])
def test_bad_minutes_keep_the_input_and_write_nothing(world, coordinator, overrides, message):
    meeting = _meeting(world)
    url = _url(world, "web:meeting_minutes", meeting_id=meeting.pk)
    data = _minutes_data(meeting, **{"beslutning-0-responsible": str(world.police.pk),
                                     **overrides})
    with clock.frozen(meeting.starts_at + HOUR):
        response = coordinator.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Politiet tar en samtale med Sara" in page
    assert not Task.objects.exists() and not MeetingDecision.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.minutes == ""


def test_another_decision_line_keeps_what_is_typed(world, coordinator):
    meeting = _meeting(world)
    url = _url(world, "web:meeting_minutes", meeting_id=meeting.pk)
    data = _minutes_data(meeting, minutes="", ny_linje="1")
    with clock.frozen(meeting.starts_at + HOUR):
        page = coordinator.post(url, data).content.decode()
        partial = coordinator.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "Skriv referatet" not in page  # nothing is judged yet
    assert "Politiet tar en samtale med Sara" in page
    assert 'name="beslutning-2-text"' in page and 'name="beslutning-3-text"' not in page
    assert 'value="3"' in page  # TOTAL_FORMS
    assert "<html" not in partial and 'id="beslutninger"' in partial
    assert 'name="beslutning-2-text"' in partial
    assert not MeetingDecision.objects.exists()


def test_the_meeting_on_paper_in_bokmal_and_english(world, coordinator):
    meeting = _meeting(world)
    with clock.frozen(meeting.starts_at + HOUR):
        meetings.meeting_minutes_record(
            actor=actor_of(world.coordinator), meeting=meeting, minutes="Gode framskritt.",
            attendance={meeting.participants.get(user=world.teacher).pk: True},
            decisions=[meetings.DecisionInput(text="Skolen melder fravær ukentlig",
                                              agency=world.school)])
    url = _url(world, "web:meeting_pdf", meeting_id=meeting.pk)
    for query, language in (("", "nb"), ("?lang=en", "en"), ("?lang=xx", "nb")):
        response = coordinator.get(url + query)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        event = AuditEvent.objects.filter(action="meeting.pdf").latest("occurred_at")
        assert event.details == {"language": language, "status": "held"}
    nb = _pdf_text(coordinator.get(url).content)
    for expected in ("Referat fra teammøte", "Sara Syntetisk", "Haugen skole",
                     world.teacher.get_full_name(),
                     "Møtte", "Gode framskritt.", "Skolen melder fravær ukentlig",
                     "Åpne oppgaver i planen", "samordnet innsats for barn og unge"):
        assert expected in nb, expected
    en = _pdf_text(coordinator.get(url + "?lang=en").content)
    for expected in ("coordinated support for children and young people", "City district",
                     "Sara Syntetisk", "Gode framskritt."):
        assert expected in en, expected
    assert "samordnet innsats" not in en


def test_the_notice_before_the_meeting(world, teacher):
    meeting = _meeting(world)
    text = _pdf_text(teacher.get(_url(world, "web:meeting_pdf", meeting_id=meeting.pk)).content)
    assert "Innkalling til teammøte" in text and "Referat fra" not in text
