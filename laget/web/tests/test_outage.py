"""A database outage is answered 503 with Retry-After, from a view (the middleware) and from a
middleware before it (handler500), without touching the database: these tests have none
(pytest-django refuses any query). The real outage, a PostgreSQL restarted under load, is
tests/faults/test_database_restart.py."""

import psycopg
import pytest
from django.db.utils import IntegrityError, InterfaceError, OperationalError
from django.test import RequestFactory

from laget.core.outage import database_unavailable
from laget.web.middleware import DatabaseUnavailableMiddleware
from laget.web.views.pages import error_500


def _lost() -> OperationalError:
    # As Django's wrapper raises it: its own class, from the driver's.
    try:
        try:
            raise psycopg.OperationalError("server closed the connection unexpectedly")
        except psycopg.OperationalError as driver:
            raise OperationalError(*driver.args) from driver
    except OperationalError as wrapped:
        return wrapped


@pytest.mark.parametrize(("error", "unavailable"), [
    (_lost(), True),
    (InterfaceError("connection already closed"), True),
    (psycopg.OperationalError("connection refused"), True),
    (IntegrityError("duplicate key"), False),
    (ValueError("ours"), False),
    (None, False),
])
def test_which_errors_are_an_outage(error, unavailable):
    assert database_unavailable(error) is unavailable


def test_a_view_that_loses_the_database_answers_503_with_the_page():
    request = RequestFactory().get("/saker/")
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, _lost())
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Laget er midlertidig utilgjengelig" in page
    assert "Vent 10 sekunder og prøv igjen." in page
    assert 'href="/"' in page


def test_the_middleware_leaves_other_errors_alone():
    request = RequestFactory().get("/saker/")
    middleware = DatabaseUnavailableMiddleware(lambda r: None)
    assert middleware.process_exception(request, IntegrityError("duplicate key")) is None


def test_under_the_api_the_answer_is_a_problem_document():
    request = RequestFactory().post("/api/v1/concerns")
    response = DatabaseUnavailableMiddleware(lambda r: None).process_exception(request, _lost())
    assert (response.status_code, response["Content-Type"]) == (503, "application/problem+json")
    assert response["Retry-After"] == "10"


def test_handler500_answers_503_for_an_outage_met_in_a_middleware():
    request = RequestFactory().get("/")
    try:
        raise _lost()
    except OperationalError:
        response = error_500(request)
    assert response.status_code == 503
    assert "Laget er midlertidig utilgjengelig" in response.content.decode()
    try:
        raise IntegrityError("duplicate key")
    except IntegrityError:
        assert error_500(request).status_code == 500
    assert error_500(request).status_code == 500
