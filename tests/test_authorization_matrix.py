"""The authorization matrix: every URL × role × agency type → the expected status.

The table is the policy, written by hand; it is not generated from what the code does. A URL that
has no row fails the suite, so every new page must state who may open it.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from laget.accounts.models import AgencyType
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.people.tests.factories import PersonFactory

ROLES = ["caseworker", "coordinator", "leader", "analyst", "auditor", "admin"]
PERSON_ROLES = {"caseworker", "coordinator", "leader"}
DISTRICT = "030111"  # every test agency is in Stovner; the test person lives there too

EVERYONE = {"anonymous": 200, **dict.fromkeys(ROLES, 200)}
LOGGED_IN = {"anonymous": 302, **dict.fromkeys(ROLES, 200)}


def only(*roles: str, others: int = 403) -> dict[str, int]:
    return {"anonymous": 302, **{r: 200 if r in roles else others for r in ROLES}}


def person_page(agency_type: str) -> dict[str, int]:
    # A bydel's staff see the persons who live in the bydel; other agencies only those they
    # registered themselves: for them this person does not exist (404, never 403).
    seen = 200 if agency_type == AgencyType.BYDEL else 404
    return {"anonymous": 302, **{r: seen if r in PERSON_ROLES else 403 for r in ROLES}}


# url name → (kwargs, expected status by role, or a function of the agency type)
MATRIX = {
    "web:start": ({}, LOGGED_IN),
    "web:accessibility": ({}, EVERYONE),
    "web:district_list": ({}, LOGGED_IN),
    "web:district_detail": ({"code": DISTRICT}, LOGGED_IN),
    "web:person_list": ({}, only(*PERSON_ROLES)),
    "web:person_create": ({}, only(*PERSON_ROLES)),
    "web:person_detail": ({"person_id": "PERSON"}, person_page),
    "web:person_edit": ({"person_id": "PERSON"}, person_page),
    "web:guardian_create": ({"person_id": "PERSON"}, person_page),
    "accounts:login": ({}, {"anonymous": 200, **dict.fromkeys(ROLES, 302)}),
    # The code steps need a pending login (a correct password a moment ago); without one they
    # send everyone back to the login page.
    "accounts:totp": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "accounts:totp_enroll": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    "accounts:logout": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "accounts:role_switch": ({}, {"anonymous": 405, **dict.fromkeys(ROLES, 405)}),
    "accounts:password_change": ({}, LOGGED_IN),
    "accounts:members": ({}, only("leader")),
    "audit:event_list": ({}, only("auditor")),
    "set_language": ({}, {"anonymous": 302, **dict.fromkeys(ROLES, 302)}),
    # The admin site (one row for the whole namespace): staff only; others are sent to log in.
    "admin:index": ({}, only("admin", others=302)),
}


def _url_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            names |= _url_names(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_url_has_a_row():
    missing = _url_names(get_resolver()) - set(MATRIX)
    assert not missing, f"URLs without a row in the authorization matrix: {sorted(missing)}"


@pytest.fixture
def person(db):
    registering = AgencyFactory(type=AgencyType.BYDEL, district_id=DISTRICT)
    return PersonFactory(district_id=DISTRICT, registered_by_agency=registering)


@pytest.mark.django_db
@pytest.mark.parametrize("agency_type", [t.value for t in AgencyType])
def test_matrix(agency_type, person, login):
    district = DISTRICT if agency_type != AgencyType.BY else None
    agency = AgencyFactory(type=agency_type, district_id=district)
    clients: dict[str, Client] = {"anonymous": Client()}
    for role in ROLES:
        user = UserFactory(password=None, is_staff=role == "admin")
        MembershipFactory(user=user, agency=agency, role=role)
        clients[role] = login(Client(), user)
    failures = []
    for name, (kwargs, expected) in MATRIX.items():
        url = reverse(name, kwargs={k: person.pk if v == "PERSON" else v
                                    for k, v in kwargs.items()})
        table = expected(agency_type) if callable(expected) else expected
        for who, client in clients.items():
            status = client.get(url).status_code
            if status != table[who]:
                failures.append(f"{name} as {who} ({agency_type}): {status}, expected "
                                f"{table[who]}")
    assert not failures, "\n".join(failures)
