"""Where notify may send personal data over HTTP, in one place for every outgoing call (the SMS
gateway, the KRR lookup): HTTPS anywhere, plain HTTP only to this machine (the tests' and the
demo's fakes); and an opener that never follows a redirect, since a redirected POST would carry
its body somewhere nobody configured."""

import urllib.request
from ipaddress import ip_address
from urllib.parse import urlsplit


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A service that redirects a POST is misconfigured: report it, never follow it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        return None


#: urllib opener for every outgoing call; a 3xx surfaces as an HTTPError with that code.
opener = urllib.request.build_opener(_NoRedirects)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def url_allowed(url: str) -> bool:
    """True for an https URL, or an http URL whose host is this machine."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http"
                                       and is_loopback(parts.hostname or ""))
