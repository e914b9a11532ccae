"""The plan on the case page: the panel, the no-JS forms and the htmx partials, two editors at once,
permissions (404 for those who may not see the case, 403 for those who see it but may not do
this), a closed case, bad input, linked measures and the PDF for the meeting and for the family."""

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from laget.audit.actions import Action
from laget.audit.models import AuditEvent
from laget.cases import measures
from laget.cases.models import Goal, Plan, Task, TaskStatus
from laget.cases.plan import goal_create, task_complete, task_create
from laget.cases.services import case_transition
from laget.core import clock
from laget.records.services import team_member_add
from laget.web.tests.conftest import actor_of
from tests.pdf import pdf_text as text_of_pdf

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(world, name, **kwargs):
    return reverse(f"web:{name}", kwargs={"case_id": world.case.pk, **kwargs})


def version(world) -> int:
    return Plan.objects.filter(case=world.case).values_list("version", flat=True).first() or 0


@pytest.fixture
def plan(world):
    """A goal with a school task under it, and a police task without a goal."""
    lead = actor_of(world.coordinator)
    goal = goal_create(actor=lead, case=world.case, title="Gå på skolen hver dag",
                       indicator="Oppmøte over 90 %", expected_version=0)
    school_task = task_create(actor=lead, case=world.case, title="Fraværsoppfølging",
                              agency=world.school, assignee=world.teacher, goal=goal,
                              due_on=clock.today() + dt.timedelta(days=14))
    police_task = task_create(actor=lead, case=world.case, title="Bekymringssamtale",
                              agency=world.police, due_on=clock.today() + dt.timedelta(days=7))
    return goal, school_task, police_task


def task_data(world, task=None, **overrides):
    data = {"title": "Ny oppgave", "agency": str(world.school.pk), "assignee": "",
            "due_on": (clock.today() + dt.timedelta(days=10)).isoformat(), "goal": "",
            "family_visible": "on", "version": str(version(world))}
    if task is not None:
        data.update({"title": task.title, "agency": str(task.agency_id),
                     "assignee": str(task.assignee_id or ""),
                     "due_on": task.due_on.isoformat() if task.due_on else "",
                     "goal": str(task.goal_id or "")})
    data.update(overrides)
    return data


def test_the_case_page_shows_the_plan_with_goals_tasks_and_pdf_links(world, plan, login):
    page = login(Client(), world.coordinator).get(url(world, "case_detail")).content.decode()
    assert 'data-testid="plan-panel"' in page
    assert "Gå på skolen hver dag" in page and "Oppmøte over 90 %" in page
    assert "Fraværsoppfølging" in page and "Bekymringssamtale" in page
    assert url(world, "plan_goal_create") in page and url(world, "plan_print") in page
    assert f'hx-get="{url(world, "plan_task_edit", task_id=plan[1].pk)}"' in page
    # the plan comes before the entries
    assert page.index('data-testid="plan-panel"') < page.index('id="opplysninger"')
    teacher = login(Client(), world.teacher).get(url(world, "case_detail")).content.decode()
    assert "Fraværsoppfølging" in teacher and url(world, "plan_goal_create") not in teacher
    assert url(world, "plan_task_edit", task_id=plan[1].pk) in teacher
    assert url(world, "plan_task_edit", task_id=plan[2].pk) not in teacher


def test_the_plan_page_and_the_htmx_panel(world, plan, login):
    client = login(Client(), world.officer)
    page = client.get(url(world, "plan_detail"))
    assert page.status_code == 200 and b"<html" in page.content
    assert b"Bekymringssamtale" in page.content
    partial = client.get(url(world, "plan_detail"), **HTMX)
    body = partial.content.decode()
    assert "<html" not in body and body.strip().startswith("<section")
    assert 'id="plan"' in body and "Fraværsoppfølging" in body


# --- no-JS forms ---------------------------------------------------------------------------------

def test_no_js_goal_and_task_forms_save_and_go_back_to_the_case_page(world, login):
    client = login(Client(), world.coordinator)
    form = client.get(url(world, "plan_goal_create"))
    assert form.status_code == 200 and b'name="version"' in form.content
    assert b"hx-post" not in form.content.split(b'data-testid="plan-form"')[1].split(b"</form>")[0]
    response = client.post(url(world, "plan_goal_create"), {
        "title": "Fritidsaktivitet", "indicator": "Deltar hver uke", "family_visible": "on",
        "version": "0"})
    assert response.status_code == 302 and response["Location"].endswith("#plan")
    goal = Goal.objects.get()
    assert (goal.title, goal.family_visible) == ("Fritidsaktivitet", True)
    page = client.get(response["Location"]).content.decode()
    assert "Målet er lagt til i planen." in page
    response = client.post(url(world, "plan_task_create"), task_data(
        world, title="Finne klubb", goal=str(goal.pk), assignee=str(world.teacher.pk)))
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.goal, task.agency, task.assignee) == (goal, world.school, world.teacher)
    response = client.post(url(world, "plan_goal_edit", goal_id=goal.pk), {
        "title": "Fritidsaktivitet", "indicator": "", "status": "reached", "version":
        str(version(world))})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "reached" and not goal.family_visible


def test_no_js_complete_cancel_and_reopen(world, plan, login):
    _goal, school_task, police_task = plan
    teacher = login(Client(), world.teacher)
    assert teacher.get(url(world, "plan_task_complete", task_id=school_task.pk)).status_code == 200
    missing = teacher.post(url(world, "plan_task_complete", task_id=school_task.pk),
                           {"outcome": "", "version": str(version(world))})
    assert missing.status_code == 200
    assert "Skriv hva som ble resultatet." in missing.content.decode()
    done = teacher.post(url(world, "plan_task_complete", task_id=school_task.pk),
                        {"outcome": "Fravær ned til 5 %.", "version": str(version(world))})
    assert done.status_code == 302
    school_task.refresh_from_db()
    assert school_task.status == TaskStatus.DONE and school_task.completed_at
    coordinator = login(Client(), world.coordinator)
    cancel = coordinator.post(url(world, "plan_task_cancel", task_id=police_task.pk),
                              {"reason": "Ikke nødvendig lenger.",
                               "version": str(version(world))})
    assert cancel.status_code == 302
    reopen = coordinator.post(url(world, "plan_task_reopen", task_id=police_task.pk),
                              {"version": str(version(world))})
    assert reopen.status_code == 302
    police_task.refresh_from_db()
    assert police_task.status == TaskStatus.OPEN
    assert "Oppgaven er åpnet igjen." in coordinator.get(reopen["Location"]).content.decode()
    # the teacher may not reopen: a clear message on the case page, nothing changed
    refused = teacher.post(url(world, "plan_task_reopen", task_id=school_task.pk),
                           {"version": str(version(world))}, follow=True)
    assert "Bare sakens koordinator kan åpne en oppgave igjen." in refused.content.decode()
    school_task.refresh_from_db()
    assert school_task.status == TaskStatus.DONE


# --- htmx ----------------------------------------------------------------------------------------

def test_htmx_opens_the_form_inline_and_answers_with_the_panel(world, plan, login):
    _goal, school_task, _police = plan
    teacher = login(Client(), world.teacher)
    edit = url(world, "plan_task_edit", task_id=school_task.pk)
    opened = teacher.get(edit, **HTMX).content.decode()
    assert opened.strip().startswith("<section") and "<html" not in opened
    assert f'hx-post="{edit}"' in opened and "autofocus" in opened
    assert 'value="Fraværsoppfølging"' in opened
    saved = teacher.post(edit, task_data(world, school_task, title="Fraværsplan med skolen"),
                         **HTMX)
    body = saved.content.decode()
    assert saved.status_code == 200 and body.strip().startswith("<section")
    assert "Oppgaven er lagret." in body and "Fraværsplan med skolen" in body
    assert f'data-plan-version="{version(world)}"' in body
    invalid = teacher.post(edit, task_data(world, school_task, title=""), **HTMX)
    assert invalid.status_code == 200
    assert "Skriv hva som skal gjøres." in invalid.content.decode()
    assert Task.objects.get(pk=school_task.pk).title == "Fraværsplan med skolen"
    # one-click buttons answer with the panel too
    task_complete(actor=actor_of(world.teacher), task=school_task, outcome="Ok.")
    reopened = login(Client(), world.coordinator).post(
        url(world, "plan_task_reopen", task_id=school_task.pk),
        {"version": str(version(world))}, **HTMX)
    assert "Oppgaven er åpnet igjen." in reopened.content.decode()
    assert "<html" not in reopened.content.decode()


def test_two_coordinators_editing_at_once_the_second_keeps_their_input(world, plan, login,
                                                                       make_member):
    goal = plan[0]
    second = make_member("coordinator", agency=world.bydel)
    first_client, second_client = login(Client(), world.coordinator), login(Client(), second)
    edit = url(world, "plan_goal_edit", goal_id=goal.pk)
    seen = version(world)
    for client in (first_client, second_client):
        assert f'value="{seen}"' in client.get(edit, **HTMX).content.decode()
    first = first_client.post(edit, {"title": "Skole hver dag", "indicator": "Over 90 %",
                                     "status": "active", "family_visible": "on",
                                     "version": str(seen)}, **HTMX)
    assert "Målet er lagret." in first.content.decode()
    stale = second_client.post(edit, {"title": "Min versjon av målet", "indicator": "Over 95 %",
                                      "status": "active", "version": str(seen)}, **HTMX)
    body = stale.content.decode()
    assert stale.status_code == 200
    assert "Planen ble endret av" in body and world.coordinator.get_full_name() in body
    assert 'value="Min versjon av målet"' in body and 'value="Over 95 %"' in body
    assert f'name="version" value="{seen + 1}"' in body
    goal.refresh_from_db()
    assert goal.title == "Skole hver dag" and version(world) == seen + 1
    # no-JS: the same, on the form's own page with the plan as it is now below it
    page = second_client.post(edit, {"title": "Min versjon av målet", "indicator": "",
                                     "status": "active", "version": str(seen)})
    text = page.content.decode()
    assert page.status_code == 200 and "Planen ble endret av" in text
    assert 'value="Min versjon av målet"' in text and 'data-testid="plan-now"' in text
    assert "Skole hver dag" in text
    # saving again from the refreshed form is a deliberate second step, and goes through
    again = second_client.post(edit, {"title": "Min versjon av målet", "indicator": "",
                                      "status": "active", "version": str(seen + 1)})
    assert again.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Min versjon av målet"


# --- permissions ---------------------------------------------------------------------------------

def test_someone_who_may_not_see_the_case_gets_404_everywhere(world, plan, login, make_member):
    goal, school_task, _police = plan
    outsider = login(Client(), make_member("caseworker", agency=world.police))
    gets = [url(world, "plan_detail"), url(world, "plan_print"), url(world, "plan_goal_create"),
            url(world, "plan_goal_edit", goal_id=goal.pk), url(world, "plan_task_create"),
            url(world, "plan_task_edit", task_id=school_task.pk),
            url(world, "plan_task_complete", task_id=school_task.pk),
            url(world, "plan_task_cancel", task_id=school_task.pk)]
    posts = [*gets[2:], url(world, "plan_task_reopen", task_id=school_task.pk),
             url(world, "plan_measure_end", measure_id=uuid.uuid4())]
    for target in gets:
        assert outsider.get(target).status_code == 404, target
    for target in posts:
        assert outsider.post(target, {"version": "1", "title": "x"}).status_code == 404, target
    assert Goal.objects.get().title == goal.title and not AuditEvent.objects.filter(
        action=Action.PLAN_PDF).exists()


def test_a_team_member_may_not_open_forms_that_are_not_theirs(world, plan, login):
    goal, _school_task, police_task = plan
    teacher = login(Client(), world.teacher)
    for target in (url(world, "plan_goal_create"), url(world, "plan_goal_edit", goal_id=goal.pk),
                   url(world, "plan_task_edit", task_id=police_task.pk),
                   url(world, "plan_task_complete", task_id=police_task.pk)):
        assert teacher.get(target).status_code == 403, target
    assert teacher.get(url(world, "plan_task_create")).status_code == 200
    # a forged task for another agency is refused with a clear message
    forged = teacher.post(url(world, "plan_task_create"), task_data(world,
                                                                    agency=str(world.police.pk)))
    assert forged.status_code == 200
    assert "Virksomheten er ikke med i teamet." in forged.content.decode()
    # an unknown goal or task is a 404
    assert teacher.get(url(world, "plan_task_edit", task_id=uuid.uuid4())).status_code == 404
    assert login(Client(), world.coordinator).get(
        url(world, "plan_goal_edit", goal_id=uuid.uuid4())).status_code == 404


def test_barnevern_tasks_are_not_found_by_those_who_may_not_know_of_barnevern(world, login):
    task = task_create(actor=actor_of(world.social_worker), case=world.case,
                       title="Hjelpetiltak i hjemmet", agency=world.barnevern)
    officer = login(Client(), world.officer)
    assert officer.get(url(world, "plan_task_edit", task_id=task.pk)).status_code == 404
    assert "Hjelpetiltak i hjemmet" not in officer.get(url(world, "case_detail")).content.decode()
    own = login(Client(), world.social_worker).get(url(world, "case_detail")).content.decode()
    assert "Hjelpetiltak i hjemmet" in own


# --- bad input -----------------------------------------------------------------------------------

def test_bad_input_gives_clear_messages_and_writes_nothing(world, plan, login, make_member):
    coordinator = login(Client(), world.coordinator)
    create = url(world, "plan_task_create")
    stranger = make_member("caseworker", agency_type="nav")
    cases = [
        ({"agency": str(uuid.uuid4())}, "Virksomheten er ikke med i teamet."),
        ({"assignee": str(stranger.pk)}, "Personen er ikke med i teamet."),
        ({"assignee": str(world.officer.pk)},
         "Den ansvarlige personen er ikke med i teamet for virksomheten."),
        ({"due_on": "2024-13-45"}, "Skriv en gyldig dato."),
        ({"due_on": (clock.today() - dt.timedelta(days=1)).isoformat()},
         "Fristen kan ikke være før i dag."),
        ({"goal": str(uuid.uuid4())}, "Målet finnes ikke i planen."),
        ({"version": "x"}, "Last siden på nytt."),
    ]
    before = (Task.objects.count(), version(world))
    for overrides, message in cases:
        response = coordinator.post(create, task_data(world, **overrides))
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), (overrides, message)
    assert (Task.objects.count(), version(world)) == before


def test_a_closed_case_refuses_changes_with_a_clear_message(world, plan, login):
    _goal, school_task, _police = plan
    lead = actor_of(world.coordinator)
    case_transition(actor=lead, case=world.case, to="closed", reason="Flyttet fra Oslo.")
    client = login(Client(), world.coordinator)
    page = client.get(url(world, "case_detail")).content.decode()
    assert "Gå på skolen hver dag" in page
    assert url(world, "plan_goal_create") not in page
    assert url(world, "plan_task_edit", task_id=school_task.pk) not in page
    response = client.post(url(world, "plan_task_edit", task_id=school_task.pk),
                           task_data(world, school_task, title="Endret etter at saken ble lukket"),
                           **HTMX)
    assert "Saken er avsluttet og kan bare leses." in response.content.decode()
    assert Task.objects.get(pk=school_task.pk).title == "Fraværsoppfølging"


# --- measures ------------------------------------------------------------------------------------

def test_linked_measures_are_listed_through_the_registry_and_can_be_ended(world, login):
    ref = uuid.uuid4()

    def resolve(key):
        return measures.Resolved("Sommerjobb hos bydelen", "/tiltak/sommerjobb/") if key == ref \
            else None

    measures.register("test-sommerjobb", "Sommerjobb", resolve)
    try:
        lead = actor_of(world.coordinator)
        measure = measures.measure_link(actor=lead, case=world.case, kind="test-sommerjobb",
                                        ref=ref, expected_version=0)
        client = login(Client(), world.coordinator)
        page = client.get(url(world, "case_detail")).content.decode()
        assert "Sommerjobb hos bydelen" in page and 'href="/tiltak/sommerjobb/"' in page
        ended = client.post(url(world, "plan_measure_end", measure_id=measure.pk),
                            {"version": str(version(world))}, **HTMX)
        assert "Tiltaket er avsluttet." in ended.content.decode()
        measure.refresh_from_db()
        assert measure.ended_on == clock.today()
    finally:
        measures.unregister("test-sommerjobb")
    page = login(Client(), world.coordinator).get(url(world, "case_detail")).content.decode()
    assert "ukjent tiltak" in page


# --- the PDF -------------------------------------------------------------------------------------

def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return text_of_pdf(response.content, layout=True)


def test_the_plan_pdf_for_the_meeting_and_for_the_family(world, plan, login):
    goal, _school_task, _police = plan
    lead = actor_of(world.coordinator)
    hidden_goal = goal_create(actor=lead, case=world.case, title="Rusmestring",
                              family_visible=False, expected_version=version(world))
    task_create(actor=lead, case=world.case, title="Intern avklaring med politiet",
                agency=world.police, family_visible=False)
    task_create(actor=lead, case=world.case, title="Kartlegging av rusbruk",
                agency=world.school, goal=hidden_goal)
    # barnevern's own task, on a plan the coordinator prints
    worker = actor_of(world.social_worker)
    task_create(actor=worker, case=world.case, title="Foreldreveiledning", agency=world.barnevern)
    client = login(Client(), world.coordinator)
    team = client.get(url(world, "plan_print"))
    assert team.status_code == 200 and team["Cache-Control"] == "private, no-store"
    text = pdf_text(team)
    for expected in ("Koordinert plan til teammøtet", "Sara Syntetisk", goal.title,
                     "Fraværsoppfølging", "Rusmestring", "Intern avklaring med politiet",
                     "Teamet", "Haugen skole"):
        assert expected in text, expected
    family = pdf_text(client.get(url(world, "plan_print") + "?versjon=familie"))
    assert "Planen vår" in family and "Til: Sara Syntetisk" in family
    assert "Mor Syntetisk" in family and "Far Syntetisk" in family
    assert goal.title in family and "Fraværsoppfølging" in family
    for hidden in ("Rusmestring", "Kartlegging av rusbruk", "Intern avklaring",
                   "Foreldreveiledning", "Barneverntjenesten", "Hemmelig", "Fravær 30 prosent"):
        assert hidden not in family, hidden
    english = pdf_text(client.get(url(world, "plan_print") + "?versjon=familie&lang=en"))
    assert "Date of birth" in english and "Fødselsdato" not in english
    assert "Rusmestring" not in english
    events = AuditEvent.objects.filter(action=Action.PLAN_PDF).order_by("id")
    assert [(e.details["version"], e.details["language"]) for e in events] == [
        ("team", "nb"), ("family", "nb"), ("family", "en")]
    assert all(e.details["plan_version"] == version(world) for e in events)


def test_the_family_version_goes_to_the_young_person_alone_from_18(world, plan, login):
    person = world.person
    eighteen = person.birth_date.replace(year=person.birth_date.year + 18)
    with clock.frozen(dt.datetime.combine(eighteen, dt.time(12), tzinfo=clock.OSLO)):
        client = login(Client(), world.coordinator)
        family = pdf_text(client.get(url(world, "plan_print") + "?versjon=familie"))
    assert "Til: Sara Syntetisk" in family
    assert "Mor Syntetisk" not in family and "Far Syntetisk" not in family


def test_a_new_team_member_sees_the_plan_at_once(world, plan, login, make_member):
    nav_worker = make_member("caseworker", agency_type="nav")
    membership = nav_worker.memberships.get()
    team_member_add(actor=actor_of(world.coordinator), case=world.case, user=nav_worker,
                    agency=membership.agency)
    page = login(Client(), nav_worker).get(url(world, "case_detail")).content.decode()
    assert "Gå på skolen hver dag" in page and "Fraværsoppfølging" in page
