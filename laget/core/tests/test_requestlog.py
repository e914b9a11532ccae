"""The request log (laget.core.requestlog) and the JSON log format (laget.core.jsonlog): one line
per request with the route's name, never its path or query string, and the request id."""

import contextlib
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from laget.core import requestcontext
from laget.core.jsonlog import JsonFormatter


def _record(**extra) -> logging.LogRecord:
    record = logging.LogRecord("laget.test", logging.WARNING, __file__, 1, "%s waiting", (3,),
                               None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_a_json_line_has_time_level_logger_message_and_the_request_id():
    token = requestcontext.begin(request_id="abc123")
    try:
        line = json.loads(JsonFormatter().format(_record()))
    finally:
        requestcontext.end(token)
    assert line.pop("time").endswith("Z")
    assert line == {"level": "WARNING", "logger": "laget.test", "message": "3 waiting",
                    "request_id": "abc123"}


def test_outside_a_request_there_is_no_request_id_and_a_traceback_is_one_field():
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record(exc_info=sys.exc_info())
    text = JsonFormatter().format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert "request_id" not in line
    assert "ValueError: boom" in line["exception"]


def test_the_request_fields_are_copied_and_nothing_else():
    line = json.loads(JsonFormatter().format(_record(
        route="web:case_detail", method="GET", status=200, duration_ms=12.5,
        username="ola", path="/saker/1/")))
    assert (line["route"], line["method"], line["status"], line["duration_ms"]) == (
        "web:case_detail", "GET", 200, 12.5)
    assert "username" not in line and "path" not in line


@pytest.fixture
def request_lines(caplog):
    caplog.set_level(logging.INFO, logger="laget.request")
    return lambda: [r for r in caplog.records if r.name == "laget.request"]


@pytest.mark.django_db
def test_one_line_per_request_by_route_name(request_lines, make_member, login):
    user = make_member("coordinator")
    client = login(Client(), user)
    response = client.get("/personer/?q=Ola+Nordmann&national_id=01010112345")
    records = request_lines()
    assert len(records) == 1
    record, = records
    assert (record.route, record.method, record.status) == ("web:person_list", "GET",
                                                            response.status_code)
    assert record.request_id == response["X-Request-ID"]
    assert record.duration_ms >= 0
    text = JsonFormatter().format(record)
    for secret in ("/personer/", "Ola", "Nordmann", "01010112345", "q=", user.username):
        assert secret not in text


@pytest.mark.django_db
def test_an_unknown_path_and_an_unknown_method_are_named_generically(request_lines, client):
    client.get("/saker/00000000-0000-0000-0000-000000000001/finnes-ikke/")
    client.generic("BREW", "/tilgjengelighet/")
    unknown, brew = request_lines()
    assert (unknown.route, unknown.status) == ("unmatched", 404)
    assert (brew.route, brew.method) == ("web:accessibility", "other")


def test_probes_are_not_in_the_request_log(request_lines, client):
    client.get("/healthz")
    assert request_lines() == []


def _log_one_line(log_format: str) -> subprocess.CompletedProcess:
    script = ("import django, logging; django.setup(); "
              "logging.getLogger('laget.test').warning('%s waiting', 3)")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "LAGET_LOG_FORMAT": log_format,
                                            "DJANGO_SETTINGS_MODULE": "laget.settings"})


def test_laget_log_format_json_switches_the_console_to_json_lines():
    result = _log_one_line("json")
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "laget.test",
                                                               "3 waiting")
    plain = _log_one_line("plain")
    assert plain.stderr.strip().endswith("WARNING laget.test 3 waiting")
    wrong = _log_one_line("xml")
    assert wrong.returncode != 0
    assert "LAGET_LOG_FORMAT must be plain or json." in wrong.stderr


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.mark.parametrize("path, route", [
    ("/saker/0b6c2d0e-8f5e-4a57-9d57-3c1f0f0f4a11/", "POST web:case_detail"),
    ("/finnes/ikke/æøå/", "POST unmatched"),
])
def test_djangos_own_error_lines_name_the_route_not_the_path(path, route):
    """«Internal Server Error: /saker/<id>/» becomes «Internal Server Error: POST web:case_detail»
    (settings.LOGGING's filter on django.request); a path Django escaped is caught too."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import Resolver404, resolve
    from django.utils.log import log_response

    request = RequestFactory().post(path)
    with contextlib.suppress(Resolver404):
        request.resolver_match = resolve(path)
    lines = _Lines()
    logger = logging.getLogger("django.request")
    logger.addHandler(lines)
    try:
        log_response("%s: %s", "Internal Server Error", request.path,
                     response=HttpResponse(status=500), request=request)
    finally:
        logger.removeHandler(lines)
    assert lines.messages == [f"Internal Server Error: {route}"]
