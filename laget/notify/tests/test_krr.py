"""The KRR client against a KRR speaking Oppslagstjenesten's JSON on loopback: one request per
batch with the bearer token, the documented fields read, and every failure a KrrUnavailable
whose reason holds no number or address."""

import datetime as dt
import json
import random
import socket
import threading

import pytest

from laget.notify.channels import DeliveryError, gateway_url
from laget.notify.krr import KrrPerson, KrrUnavailable, krr_enabled, krr_lookup, krr_url
from laget.notify.tests.fakes import KrrServer
from laget.people.identifiers import synthetic_national_id

TOKEN = "krr-test-token-4f1c"
_rng = random.Random(977)


def _number() -> str:
    return synthetic_national_id(birth_date=dt.date(1981, 3, 14), rng=_rng)


@pytest.fixture
def krr(settings):
    server = KrrServer(token=TOKEN).start()
    settings.LAGET_KRR_URL = server.url
    settings.LAGET_KRR_TOKEN = TOKEN
    settings.LAGET_KRR_TIMEOUT_SECONDS = 3
    yield server
    server.stop()


def test_one_request_answers_every_number_in_krrs_shape(krr):
    active, reserved, expired, deleted, unknown = (_number() for _ in range(5))
    krr.add(active, mobile="+4799999999", email="a@example.no", language="nn")
    krr.add(reserved, reserved=True, mobile="+4798888888")
    krr.add(expired, mobile="+4797777777", expired=True)
    krr.add(deleted, status="SLETTET")
    result = krr_lookup([active, reserved, expired, deleted, unknown, active])
    assert len(krr.requests) == 1
    [request] = krr.requests
    assert request.payload == {"personidentifikatorer": [active, reserved, expired, deleted,
                                                         unknown]}
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"].startswith("application/json")
    assert result[active] == KrrPerson(active, reserved=False, active=True, can_notify=True,
                                       mobile="+4799999999", email="a@example.no",
                                       language="nn")
    assert result[reserved].reserved and not result[reserved].can_notify
    assert result[expired].active and not result[expired].can_notify
    assert not result[deleted].active and not result[deleted].reserved
    assert (result[unknown].active, result[unknown].mobile) == (False, "")


def test_no_numbers_no_request(krr):
    assert krr_lookup([]) == {} and krr_lookup([" "]) == {}
    assert krr.requests == []


def test_more_than_krr_takes_in_one_request_is_refused(krr):
    with pytest.raises(ValueError, match="1000"):
        krr_lookup(str(n).zfill(11) for n in range(1001))
    assert krr.requests == []


def test_numbers_not_asked_for_are_ignored(krr):
    asked, other = _number(), _number()
    krr.raw = json.dumps({"personer": [{"personidentifikator": other, "status": "AKTIV",
                                        "reservasjon": "JA"}]}).encode()
    assert krr_lookup([asked]) == {}


def _assert_unavailable(reason_part: str, *numbers: str) -> None:
    with pytest.raises(KrrUnavailable) as caught:
        krr_lookup(list(numbers))
    assert reason_part in caught.value.reason
    assert not any(number in str(caught.value) for number in numbers)


@pytest.mark.parametrize("status", [500, 503, 400, 302])
def test_an_error_status_is_unavailable(krr, status):
    krr.script.append(status)
    _assert_unavailable(f"HTTP {status}", _number())


def test_a_wrong_token_is_refused_by_krr(krr, settings):
    settings.LAGET_KRR_TOKEN = "wrong"
    _assert_unavailable("HTTP 401", _number())


def test_a_timeout_is_unavailable(krr, settings):
    settings.LAGET_KRR_TIMEOUT_SECONDS = 1
    krr.delay = 2
    _assert_unavailable("KRR", _number())


@pytest.mark.parametrize("body", [
    b"<html>gateway error</html>",
    b'{"personer": {"x": 1}}',
    b'["personer"]',
    b'{"personer": [{"status": "AKTIV"}]}',
    b"\xff\xfe",
])
def test_a_body_that_is_not_krrs_shape_is_unavailable(krr, body):
    krr.raw = body
    _assert_unavailable("KRR bad", _number())


def test_a_refused_connection_is_unavailable(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.LAGET_KRR_URL = f"http://127.0.0.1:{port}/rest/v1/personer"
    _assert_unavailable("KRR", _number())


def test_a_garbled_reply_is_unavailable(settings):
    """Something that is not HTTP at all answers (http.client raises outside OSError)."""
    listener = socket.create_server(("127.0.0.1", 0))
    settings.LAGET_KRR_URL = f"http://127.0.0.1:{listener.getsockname()[1]}/rest/v1/personer"

    def answer() -> None:
        connection, _address = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"NOT HTTP\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        _assert_unavailable("KRR", _number())
    finally:
        thread.join(timeout=5)
        listener.close()


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://kontaktregisteret.no/rest/v1/personer", True),
    ("http://127.0.0.1:8080/rest/v1/personer", True),
    ("http://localhost:8080/rest/v1/personer", True),
    ("http://[::1]:8080/rest/v1/personer", True),
    ("http://kontaktregisteret.no/rest/v1/personer", False),
    ("http://10.0.0.5/rest/v1/personer", False),
    ("ftp://127.0.0.1/rest/v1/personer", False),
    ("file:///etc/passwd", False),
])
def test_the_url_must_be_https_except_to_this_machine(settings, url, allowed):
    settings.LAGET_KRR_URL = url
    settings.LAGET_NOTIFY_SMS_URL = url
    if allowed:
        assert krr_url() == url and gateway_url() == url  # one check for both
    else:
        with pytest.raises(KrrUnavailable, match="https"):
            krr_url()
        with pytest.raises(DeliveryError, match="https"):
            gateway_url()


def test_not_configured(settings):
    settings.LAGET_KRR_URL = ""
    assert not krr_enabled()
    _assert_unavailable("not configured", _number())
