"""The WSGI application bench_concurrency.py serves with gunicorn: `laget.wsgi`'s, answering with
the URLconf of bench/web_urls.py (the project's URLs after one bare view), so that the bare view
goes through the same server, workers and middleware stack as the pages measured beside it.

Bench only: nothing in the project imports it (gunicorn gets `--pythonpath bench`)."""

from django.conf import settings

from laget.wsgi import application

# Before the first request: the URL resolver is built per request from the setting (and cached by
# its name). Set directly rather than with django.test's override_settings, which would import the
# test framework into the worker whose memory is measured.
settings.ROOT_URLCONF = "web_urls"

__all__ = ["application"]
