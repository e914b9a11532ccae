"""Schemathesis over the whole OpenAPI schema of /api/v1/, in-process (WSGI) against the test
database. Every operation gets generated requests, valid and invalid (schemathesis' positive and
negative modes), with the bearer token of an API client that holds every scope (and may read the
audit log as a witness), so the fuzzer gets past authentication into the operations themselves.
Generated UUIDs mostly name nothing (404), so about half of them are swapped for real ones — the
case, an entry, the person's number — and the operations' success paths run too.

Checked on every response: no 5xx; every 4xx is `application/problem+json` whose `status` is the
response's; and schemathesis' conformance checks (status code, content type, headers, response
body against the declared schema).

Bounded in `make test` (`LAGET_FUZZ_EXAMPLES`, default 25 per operation); `make fuzz` runs
many."""

import datetime as dt
import json
import os
import uuid
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from laget.accounts.actor import Actor
from laget.accounts.models import Membership
from laget.api.idempotency import KEY_HEADER
from laget.apiclients import services as client_services
from laget.apiclients.models import Scope
from laget.people.tests.factories import PersonFactory
from laget.records.services import case_open, team_member_add
from laget.records.vocabulary import InfoCategory
from laget.sharing import services as sharing_services

EXAMPLES = int(os.environ.get("LAGET_FUZZ_EXAMPLES", "25"))
#: The same examples on every run of `make test`; new ones on every `make fuzz`.
DERANDOMIZE = "LAGET_FUZZ_EXAMPLES" not in os.environ
PROBLEM_JSON = "application/problem+json"


def _fourteen() -> dt.date:
    today = dt.date.today()
    return today.replace(year=today.year - 14) - dt.timedelta(days=40)


@pytest.fixture
def world(make_member, rulebook, settings) -> Iterator[dict[str, Any]]:
    """A bydel coordinator's case with a school caseworker on the team, and the school's API
    client (every scope) on it too; one entry from the school. No message is followed up by the
    school and the audit log has no tiles yet, so the notification and proof operations answer
    404 and 400 to everything (their refusals are what is fuzzed there)."""
    coordinator = Actor(user := make_member("coordinator"), Membership.objects.get(user=user))
    school = Actor(user := make_member("caseworker", agency_type="skole"),
                   Membership.objects.get(user=user))
    client = client_services.client_create(agency=school.agency, name="Fuzz",
                                           scopes=list(Scope.values))
    token = client_services.token_issue(client=client).token
    service = client_services.client_actor(client)
    person = PersonFactory(birth_date=_fourteen(), registered_by_agency=school.agency)
    case = case_open(actor=coordinator, person=person)
    team_member_add(actor=coordinator, case=case, user=service.user, agency=school.agency)
    team_member_add(actor=coordinator, case=case, user=school.user, agency=school.agency)
    entry = sharing_services.entry_add(actor=school, case=case, category=InfoCategory.SKOLE,
                                       text="Fravær 20 % siste måned.")
    # The same bearer token opens the audit log's proofs (as a witness's would).
    settings.LAGET_LOG_WITNESS_TOKENS = [token]
    _WORLD.update(token=token, case=case, entry=entry, person=person)
    yield _WORLD
    _WORLD.clear()


@pytest.fixture
def connection_kept():
    """Django closes the database connection at the end of each request (`request_finished`), which
    would end the test's transaction: the test client turns that off for its requests, and so
    must a WSGI client."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _load_schema() -> Any:
    """The schema /api/v1/openapi.json serves, built without a request (collection may not touch
    the database), bound to the WSGI application so every case is sent in-process."""
    from laget.api.main import api

    raw = json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
    loaded = schemathesis.openapi.from_dict(raw)
    loaded.app = get_wsgi_application()
    return loaded


schema = _load_schema()


def _picks_real(value: Any) -> bool:
    """Whether to swap a generated value for a real one: for about half of the values, decided by
    the value itself so that a failing example replays and shrinks the same way."""
    return zlib.crc32(repr(value).encode()) % 2 == 0


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


#: The world of the running test, for the hook below (empty between tests).
_WORLD: dict[str, Any] = {}


@schema.auth.auth(refresh_interval=None)
class ClientBearer:
    """The client's token, as schemathesis' auth provider: its own auth checks (a request without
    it, or with a wrong one, must be refused) then send the request without it."""

    def get(self, case: Any, context: Any) -> str | None:
        return _WORLD.get("token")  # None while collecting, before the world exists

    def set(self, case: Any, token: str, context: Any) -> None:
        case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Real ids in about half of the requests, a fresh Idempotency-Key. Done in this hook rather
    than in the test, because schemathesis re-judges a case (valid or not, and where) after this
    hook's edits, and only after them."""
    if _WORLD:
        _prepare(case, _WORLD)


def _prepare(case: Any, world: dict[str, Any]) -> None:
    real = {"case_id": str(world["case"].pk), "entry_id": str(world["entry"].pk)}
    for name, value in list((case.path_parameters or {}).items()):
        if name in real and _is_uuid(value) and _picks_real(value):
            case.path_parameters[name] = real[name]
    if isinstance(case.body, dict):
        swaps = {"national_id": world["person"].national_id, "district": "030111",
                 "category": InfoCategory.SKOLE.value}
        for name, value in swaps.items():
            if isinstance(case.body.get(name), str) and _picks_real(case.body[name]):
                case.body[name] = value
    key = (case.headers or {}).get(KEY_HEADER)
    if isinstance(key, str) and key.strip() and key.isprintable() and len(key) <= 255:
        # A fresh key per request; generated keys repeat, and a repeat is a (correct) 422 replay
        # refusal rather than the operation itself.
        case.headers[KEY_HEADER] = str(uuid.uuid4())


def problem_details(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx and 5xx is an RFC 9457 problem document whose `status` is the response's."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type.split(";")[0].strip() == PROBLEM_JSON, (
        f"{response.status_code} answered as {content_type!r}, not {PROBLEM_JSON}")
    body = response.json()
    assert body.get("status") == response.status_code, (
        f"problem status {body.get('status')!r} on a {response.status_code} response")
    assert body.get("title") and body.get("type"), "problem without type or title"
    return True


# Excluded: positive_data_acceptance, which expects every schema-valid request to succeed. The
# schema cannot say what the operations refuse on their merits, as a 400 problem: an opaque
# cursor that is not one of ours, a due date in the past, a category code that does not exist,
# a tree size the log has not reached, a concern without a name.
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=DERANDOMIZE,
          suppress_health_check=list(HealthCheck))
def test_api(case, world, connection_kept):
    case.call_and_validate(additional_checks=[problem_details],
                           excluded_checks=[positive_data_acceptance])


class _Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences of calls, each feeding the next the ids it answered (links schemathesis infers
    from the schema: a created entry's id to the entry's own operation, a listed case's id to its
    team and plan), under the same checks."""

    answered: list[int] = []

    def validate_response(self, response: Any, case: Any, additional_checks: Any = None,
                          **kwargs: Any) -> None:
        self.answered.append(response.status_code)
        case.validate_response(response, additional_checks=[problem_details],
                               excluded_checks=[positive_data_acceptance],
                               transport_kwargs=kwargs)


def test_api_stateful(world, connection_kept):
    _Workflow.run(settings=settings(max_examples=max(EXAMPLES // 5, 5), stateful_step_count=8,
                                    deadline=None, derandomize=DERANDOMIZE,
                                    suppress_health_check=list(HealthCheck)))
    # The token and the real ids carried the sequences past authentication and the 404s.
    assert any(200 <= status < 300 for status in _Workflow.answered), _Workflow.answered
