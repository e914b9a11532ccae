"""Bad input to the JSON API that the schema fuzzer (test_api_schema.py) found or that it cannot
express: paths no operation has, classic injection and unicode-trick strings in every text field
of the creating operations (stored verbatim and shown escaped, or refused with a 400 problem)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
PROBLEM_JSON = "application/problem+json"


def test_a_post_to_a_path_no_operation_has_is_a_404_problem_not_a_csrf_page():
    """Found by the fuzzer: `POST /api/v1/cases/null,null/tasks` fell through to the catch-all
    view, where Django's CSRF check answered with its HTML 403 page."""
    http = Client(enforce_csrf_checks=True)
    response = http.post("/api/v1/cases/null,null/tasks", "{}", content_type="application/json",
                         headers={"Authorization": "Bearer x", "Idempotency-Key": "k"})
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json()["status"] == 404


def test_a_path_with_a_newline_is_a_404_problem_not_the_html_page(client):
    """Found by the fuzzer: the catch-all pattern's `.*` stopped at an encoded newline, so Django's
    HTML 404 page answered."""
    response = client.get("/api/v1/cases/a%0Ab/entries/valid_to")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json()["status"] == 404


def test_the_served_schema_declares_errors_as_problem_documents(client):
    """Found by the fuzzer: every error was declared `application/json`."""
    schema = client.get("/api/v1/openapi.json").json()
    responses = schema["paths"]["/api/v1/cases/{case_id}"]["get"]["responses"]
    assert list(responses["404"]["content"]) == [PROBLEM_JSON]
    assert list(responses["200"]["content"]) == ["application/json"]


# --- injection and unicode tricks in the text fields of the creating operations -------------

#: Classic SQL and HTML injection, and the unicode tricks: right-to-left override, zero-width
#: joiner and non-joiner, a combining sequence, an emoji with a skin tone; and two that no
#: database can store, a NUL byte (PostgreSQL) and a lone surrogate (neither, as UTF-8). The NUL
#: byte was a 500 on PostgreSQL, found here; laget.api.parser now refuses both with a 400.
TRICKS = [
    "'; DROP TABLE records_entry; --",
    "Robert'); DELETE FROM people_person WHERE ('1'='1",
    "\" OR 1=1 --",
    "<script>alert('laget')</script>",
    "<img src=x onerror=alert(1)>",
    "{{ request.user }} {% debug %}",
    "fil\u202egnp.exe",
    "Ab\u200dd\u200cul",
    "Ås\u0301e 👩🏽‍⚕️",
    "før\x00etter",
    "halv\ud800",
]


def _world(make_member, rulebook):
    from laget.accounts.actor import Actor
    from laget.accounts.models import Membership
    from laget.apiclients import services as client_services
    from laget.apiclients.models import Scope
    from laget.people.tests.factories import PersonFactory
    from laget.records.services import case_open, team_member_add

    coordinator = Actor(user := make_member("coordinator"), Membership.objects.get(user=user))
    school = make_member("caseworker", agency_type="skole")
    agency = Membership.objects.get(user=school).agency
    api_client = client_services.client_create(agency=agency, name="Skolesystem",
                                               scopes=list(Scope.values))
    token = client_services.token_issue(client=api_client).token
    case = case_open(actor=coordinator, person=PersonFactory(birth_date=_fourteen()))
    team_member_add(actor=coordinator, case=case, user=school, agency=agency)
    team_member_add(actor=coordinator, case=case,
                    user=client_services.client_actor(api_client).user, agency=agency)
    return token, case, school


def _fourteen():
    import datetime as dt

    today = dt.date.today()
    return today.replace(year=today.year - 14) - dt.timedelta(days=40)


def _post(http: Client, token: str, url: str, body: dict, key: str):
    import json

    return http.post(url, json.dumps(body), content_type="application/json",
                     headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})


def _stored_or_refused(response, stored: str | None, sent: str) -> bool:
    """Stored verbatim (the services strip surrounding space) and answered 2xx, or refused with
    a 400 problem and nothing stored. Returns whether it was stored."""
    if response.status_code == 400:
        assert response["Content-Type"] == PROBLEM_JSON
        assert stored is None
        return False
    assert response.status_code in (201, 202), response.content
    assert stored == sent.strip()
    return True


@pytest.mark.parametrize("trick", TRICKS)
def test_tricks_in_entries_tasks_and_concerns_are_stored_inert_or_refused(
        client, make_member, rulebook, login, trick):
    from laget.cases.models import Concern, Task
    from laget.records.access import entries_opened
    from laget.records.models import Entry

    token, case, school = _world(make_member, rulebook)
    entry = _post(client, token, f"/api/v1/cases/{case.pk}/entries",
                  {"category": "skole", "text": trick}, key="e")
    with entries_opened():
        text = Entry.objects.filter(case=case).values_list("text", flat=True).first()
    stored_entry = _stored_or_refused(entry, text, trick)
    task = _post(client, token, f"/api/v1/cases/{case.pk}/tasks", {"title": trick}, key="t")
    _stored_or_refused(
        task, Task.objects.filter(plan__case=case).values_list("title", flat=True).first(), trick)
    concern = _post(client, token, "/api/v1/concerns",
                    {"district": "030111", "given_name": trick, "family_name": trick,
                     "text": trick, "birth_date": _fourteen().isoformat()}, key="c")
    stored = Concern.objects.values_list("given_name", "family_name", "text").first()
    if _stored_or_refused(concern, stored and stored[2], trick):
        assert stored[:2] == (trick.strip(), trick.strip())

    # On the case page the entry's text is escaped: a <script> stays text.
    if stored_entry:
        page = login(Client(), school).get(f"/saker/{case.pk}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "<script>alert(" not in html and "<img src=x" not in html
        if "<" in trick:
            assert "&lt;script&gt;" in html or "&lt;img src=x" in html


# --- oversized bodies and wrong content types ----------------------------------------------------

@pytest.mark.parametrize("content_type", ["application/json", "text/plain",
                                          "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_an_oversized_body_is_a_4xx_problem(client, make_member, rulebook, settings,
                                            content_type):
    """Was a 500 (Django's RequestDataTooBig escaped to the catch-all handler); now a 413."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    token, case, _ = _world(make_member, rulebook)
    body = '{"category": "skole", "text": "' + "x" * 20_000 + '"}'
    response = client.post(f"/api/v1/cases/{case.pk}/entries", body, content_type=content_type,
                           headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k"})
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM_JSON


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/x-www-form-urlencoded", "category=skole&text=hei"),
    ("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nb"),
    ("application/xml", "<entry><text>hei</text></entry>"),
    ("application/json", '{"category": "skole", "text": '),
    ("application/json", "\xff\xfe"),
])
def test_a_body_that_is_not_json_is_a_400_problem(client, make_member, rulebook, content_type,
                                                  body):
    token, case, _ = _world(make_member, rulebook)
    response = client.post(f"/api/v1/cases/{case.pk}/entries", body, content_type=content_type,
                           headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k"})
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM_JSON
