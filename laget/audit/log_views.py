"""The audit log served as a transparency log (C2SP tlog-tiles, tlog-checkpoint, signed-note):
the verifier key, the latest checkpoint, hash tiles and entry bundles. Entry bundles hold only
leaf bytes — an action code, a time to the second and a salted commitment — never personal data.

Who may read them is a setting: open (`LAGET_LOG_PUBLIC`, the demo), an outside witness with a
bearer token (`LAGET_LOG_WITNESS_TOKENS`), or a logged-in auditor. The key is always public."""

import hmac
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from laget.accounts.middleware import actor_for
from laget.accounts.models import Role
from laget.audit import log, merkle


def _immutable() -> str:
    """Tiles never change; but a closed log's answers must not be kept by shared caches (a proxy
    would hand a witness's tile to anyone), so those are private."""
    scope = "public" if settings.LAGET_LOG_PUBLIC else "private"
    return f"{scope}, max-age=31536000, immutable"


def log_reader(request: HttpRequest) -> bool:
    """Whether this request may read the log's tiles, checkpoints and proofs."""
    if settings.LAGET_LOG_PUBLIC:
        return True
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token and any(
            hmac.compare_digest(token.encode(), known.encode())
            for known in settings.LAGET_LOG_WITNESS_TOKENS):
        return True
    if request.user.is_authenticated:
        actor = actor_for(request)
        return actor is not None and actor.role == Role.AUDITOR
    return False


def _text(body: str | bytes, *, status: int = 200, cache: str = "no-store",
          content_type: str = "text/plain; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["Cache-Control"] = cache
    if settings.LAGET_LOG_PUBLIC:
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response["Vary"] = "Authorization"
    return response


def _readers_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not log_reader(request):
            message = "The audit log is open to auditors and to witnesses with a token.\n"
            if request.user.is_authenticated:
                return _text(message, status=403)
            response = _text(message, status=401)
            response["WWW-Authenticate"] = 'Bearer realm="laget-audit-log"'
            return response
        return view(request, *args, **kwargs)
    return wrapped


@require_GET
def key(request: HttpRequest) -> HttpResponse:
    """The note verifier key that checks the checkpoints' signatures."""
    return _text(log.verifier_key() + "\n", cache="public, max-age=300")


@require_GET
@_readers_only
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = log.latest_checkpoint()
    if latest is None:
        return _text("No checkpoint has been signed yet.\n", status=404)
    return _text(latest.note)


def _tile_address(path: str) -> tuple[int, int | None]:
    """Tile index and width (None = full) from `x001/234` or `x001/234.p/17`."""
    index_part, dot, width_part = path.partition(".p/")
    index = merkle.parse_tile_index(index_part)
    if not dot:
        return index, None
    if not width_part.isdigit() or width_part.startswith("0"):
        raise ValueError("bad width")
    width = int(width_part)
    if not 1 <= width < merkle.TILE_WIDTH:
        raise ValueError("bad width")
    return index, width


def _not_found() -> HttpResponse:
    return _text("No such tile.\n", status=404, cache="no-store")


@require_GET
@_readers_only
def tile(request: HttpRequest, level: str, path: str) -> HttpResponse:
    try:
        index, width = _tile_address(path)
        tile_level = int(level)
        if str(tile_level) != level or tile_level > merkle.MAX_TILE_LEVEL:
            raise ValueError("bad level")
    except ValueError:
        return _not_found()
    data = log.tile_bytes(level=tile_level, index=index, width=width or merkle.TILE_WIDTH)
    if data is None:
        return _not_found()
    return _text(data, cache=_immutable(), content_type="application/octet-stream")


@require_GET
@_readers_only
def entries(request: HttpRequest, path: str) -> HttpResponse:
    try:
        index, width = _tile_address(path)
    except ValueError:
        return _not_found()
    data = log.entries_bytes(index=index, width=width or merkle.TILE_WIDTH)
    if data is None:
        return _not_found()
    return _text(data, cache=_immutable(), content_type="application/octet-stream")
