"""The sharing API: «Kan jeg dele dette?» and the rulebook, open without login; every bad input is
a 400 RFC 9457 problem naming the field, never a 500 or ninja's own error shape."""

import pytest
from django.test import Client

from laget.sharing.rulebook import rulebook_load
from laget.sharing.tests.rulebooks import variant

pytestmark = pytest.mark.django_db

GUIDE = "/api/v1/sharing/guide"
RULES = "/api/v1/sharing/rules"
BASE = {"source": "skole", "recipient": "politi", "category": "skole", "purpose": "forebygging",
        "person_age": 14, "consent": "none", "programme": None, "weapon_trigger": False}


def ask(client: Client, **changes: object) -> dict:
    response = client.post(GUIDE, {**BASE, **changes}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def problem(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


@pytest.mark.parametrize(
    ("changes", "answer", "rule_ids", "needed"),
    [
        ({}, "consent_required", {"fvl-13a-samtykke"}, "guardian"),
        ({"consent": "both"}, "yes", {"fvl-13a-samtykke"}, "guardian"),
        ({"consent": "guardian"}, "yes", {"fvl-13a-samtykke"}, "guardian"),
        # 16–17: the young person and the guardians together.
        ({"person_age": 17, "consent": "guardian"}, "consent_required", {"fvl-13a-samtykke"},
         "both"),
        ({"person_age": 18, "consent": "youth"}, "yes", {"fvl-13a-samtykke"}, "youth"),
        # Health information: the young person decides from 16.
        ({"source": "helse", "recipient": "skole", "category": "helse", "person_age": 16,
          "consent": "youth"}, "yes", {"hpl-25-helse-krever-samtykke", "fvl-13a-samtykke"},
         "youth"),
        # A deny rule beats everything.
        ({"source": "nav", "category": "nav", "purpose": "straffesak", "consent": "both"}, "no",
         {"nav-ikke-13b-nr5-6"}, "guardian"),
        ({"recipient": "fritid", "category": "politi", "consent": "both"}, "no",
         {"fritid-dataminimering"}, "guardian"),
        # Nothing matches: no (deny by default), no rule.
        ({"recipient": "familie", "category": "politi"}, "no", {None}, "guardian"),
        # Unreviewed allow rules act as consent-required (production).
        ({"source": "politi", "recipient": "skole", "category": "politi", "person_age": 15,
          "weapon_trigger": True}, "consent_required",
         {"prl-vapen-under-18", "prl-forebyggende-utlevering", "fvl-13a-samtykke"}, "guardian"),
    ],
)
def test_answers(client, rulebook, changes, answer, rule_ids, needed):
    """Where several rules decide alike, the guide names one of them."""
    body = ask(client, **changes)
    assert body["answer"] == answer
    assert body["rule_id"] in rule_ids
    assert body["consent_needed_from"] == needed
    assert body["rulebook_version"] == "2026.1"
    if body["rule_id"] is None:
        assert body["citation"] == "" and body["rule_status"] is None
        assert body["explanation"]
    else:
        assert body["citation"] and body["rule_status"] == "draft"
        assert body["citation_status"] in {"verified", "partial", "unverified"}
    assert set(body) == {"answer", "rule_id", "citation", "citation_status", "explanation",
                         "rule_status", "consent_needed_from", "rulebook_version"}


def test_citation_and_explanation_follow_the_language(client, rulebook):
    body = ask(client)
    assert body["citation"] == "forvaltningsloven § 13 a nr. 1"
    assert body["explanation"].startswith("Taushetsbelagte opplysninger")
    response = client.post(GUIDE, BASE, content_type="application/json",
                           headers={"accept-language": "en"})
    assert response.json()["explanation"].startswith("Confidential information may be shared")


def test_a_draft_rule_in_force_answers_yes_and_a_reviewed_rule_says_so(
    client, rulebook, draft_rules_in_force
):
    body = ask(client, source="politi", recipient="skole", category="politi", person_age=15,
               weapon_trigger=True)
    assert body["answer"] == "yes" and body["rule_status"] == "draft"
    assert body["rule_id"] in {"prl-vapen-under-18", "prl-forebyggende-utlevering"}
    rulebook_load(text=variant("2026.2", **{"fvl-13a-samtykke": {
        "reviewed_by": "Kommuneadvokaten", "reviewed_on": "2026-02-01"}}), file_name="ny.yaml")
    body = ask(client)
    assert body["rule_status"] == "reviewed" and body["rulebook_version"] == "2026.2"


def test_no_login_and_no_csrf_token_needed(rulebook):
    client = Client(enforce_csrf_checks=True)
    response = client.post(GUIDE, BASE, content_type="application/json")
    assert response.status_code == 200


@pytest.mark.parametrize("field", ["source", "recipient", "category", "purpose", "consent",
                                   "programme"])
def test_an_unknown_value_is_a_400_naming_the_field(client, rulebook, field):
    body = problem(client.post(GUIDE, {**BASE, field: "finnes-ikke"},
                               content_type="application/json"))
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["errors"][0]["pointer"] == f"#/{field}"
    assert field in body["detail"]


@pytest.mark.parametrize("value", [-1, 121, "14", 14.5, None, True])
def test_a_bad_age_is_a_400(client, rulebook, value):
    body = problem(client.post(GUIDE, {**BASE, "person_age": value},
                               content_type="application/json"))
    assert [error["field"] for error in body["errors"]] == ["person_age"]


@pytest.mark.parametrize("field", ["source", "recipient", "category", "purpose", "person_age"])
def test_a_missing_field_is_a_400(client, rulebook, field):
    data = {k: v for k, v in BASE.items() if k != field}
    body = problem(client.post(GUIDE, data, content_type="application/json"))
    assert [(e["field"], e["detail"]) for e in body["errors"]] == [(field, "Field required")]


def test_other_bad_requests_are_problems_too(client, rulebook):
    body = problem(client.post(GUIDE, {**BASE, "recepient": "politi"},
                               content_type="application/json"))
    assert body["errors"][0]["field"] == "recepient"
    problem(client.post(GUIDE, "{not json", content_type="application/json"))
    problem(client.post(GUIDE, [BASE], content_type="application/json"))
    problem(client.post(GUIDE, {**BASE, "weapon_trigger": "kanskje"},
                        content_type="application/json"))
    problem(client.get("/api/v1/finnes-ikke"), 404)
    assert client.get(GUIDE).status_code == 405


def test_the_rulebook_in_force(client, rulebook):
    response = client.get(RULES)
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "2026.1" and body["sha256"] == rulebook.sha256
    assert len(body["rules"]) == rulebook.rules.count()
    first = body["rules"][0]
    assert first["id"] == "fvl-13a-samtykke"
    assert first["effect"] == "consent_required" and first["status"] == "draft"
    assert first["citation"] == "forvaltningsloven § 13 a nr. 1"
    assert first["citation_status"] == "partial"
    assert first["purposes"] == ["forebygging", "oppfolging"]
    assert first["conditions"] == {"age_min": None, "age_max": None, "programme": None,
                                   "weapon_trigger": False}
    assert first["explanation"]["en"].startswith("Confidential")
    assert first["consent_requires"] is None
    by_id = {r["id"]: r for r in body["rules"]}
    assert by_id["konfliktraad-ungdomsteam-samtykke"]["consent_requires"] == "both"
    assert by_id["prl-vapen-under-18"]["conditions"] == {
        "age_min": None, "age_max": 17, "programme": None, "weapon_trigger": True}


def test_no_rulebook_loaded(client):
    problem(client.get(RULES), 404)
    assert ask(client)["answer"] == "no"


def test_openapi_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {GUIDE, RULES, "/api/v1/audit/proof/inclusion",
                                    "/api/v1/audit/proof/consistency",
                                    "/api/v1/notify/sms/receipts", "/api/v1/concerns",
                                    "/api/v1/notifications/{message_id}", "/api/v1/cases",
                                    "/api/v1/cases/{case_id}", "/api/v1/cases/{case_id}/team",
                                    "/api/v1/cases/{case_id}/plan",
                                    "/api/v1/cases/{case_id}/tasks",
                                    "/api/v1/cases/{case_id}/entries",
                                    "/api/v1/cases/{case_id}/entries/{entry_id}",
                                    "/api/v1/persons/lookup", "/api/v1/police/registrations",
                                    "/api/v1/police/registrations/{registration_id}",
                                    "/api/v1/fasttrack/cases/{case_id}",
                                    "/api/v1/fasttrack/cases/{case_id}/milestones"}
    question = schema["components"]["schemas"]["GuideQuestion"]
    assert question["additionalProperties"] is False
    assert set(question["required"]) == {"source", "recipient", "category", "purpose",
                                         "person_age"}
    assert client.get("/api/v1/docs").status_code == 200
    response = client.get("/api/docs")
    assert response.status_code == 302 and response["Location"] == "/api/v1/docs"


def test_wrong_method_is_a_problem_document(client):
    response = client.get("/api/v1/sharing/guide")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 405 and "POST" in response["Allow"]
