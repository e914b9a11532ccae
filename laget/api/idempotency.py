"""Idempotency keys for API operations that create something (`@idempotent`): the client sends an
`Idempotency-Key` header; the first request under a key runs and its response is stored with the
request's fingerprint (method, path, SHA-256 of the body), in the same transaction as what it
created. Keys are the caller's own: an API client's, or a staff user's when the call comes from a
browser session. A retry with the same key and body gets the stored response back (header
`Idempotent-Replayed: true`) and nothing runs again; the same key with another request is a 422
problem. A concurrent retry waits on the key's row (unique per caller) and then replays.

Put it under `laget.api.auth.audited`, which opens the transaction; the view must return an
`HttpResponse` (see `json_response`), since the stored response is the bytes that were sent."""

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Schema

from laget.api.auth import SessionCaller, caller_of
from laget.api.problems import problem
from laget.apiclients.models import IdempotencyRecord

KEY_HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 255

#: For `openapi_extra` of an idempotent operation.
OPENAPI_PARAMETERS = {"parameters": [{
    "in": "header", "name": KEY_HEADER, "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH},
    "description": "A unique key per creating request (e.g. a UUID); a retry with the same "
                   "key and body returns the first response and creates nothing again.",
}]}


def json_response(status: int, data: Schema) -> HttpResponse:
    return JsonResponse(data.model_dump(mode="json"), status=status,
                        json_dumps_params={"ensure_ascii": False})


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path, hashlib.sha256(request.body).hexdigest()):
        digest.update(part.encode() + b"\n")
    return digest.hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.fingerprint != fingerprint:
        return problem(422, _("Idempotency-Key er alt brukt på en annen forespørsel."))
    if not record.status:
        return problem(409, _("En forespørsel med samme Idempotency-Key behandles nå."))
    response = HttpResponse(bytes(record.body), status=record.status,
                            content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _owner(request: HttpRequest) -> dict[str, Any]:
    caller = caller_of(request)
    if isinstance(caller, SessionCaller):
        return {"client": None, "user": caller.actor.user}
    return {"client": caller, "user": None}


def idempotent(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        owner = _owner(request)
        key = request.headers.get(KEY_HEADER, "").strip()
        if not key or len(key) > KEY_MAX_LENGTH or not key.isprintable():
            return problem(400, _("Oppgi en Idempotency-Key-header (1–%(max)s tegn) på "
                                  "forespørsler som oppretter noe.") % {"max": KEY_MAX_LENGTH})
        fingerprint = _fingerprint(request)
        with transaction.atomic():
            existing = IdempotencyRecord.objects.filter(**owner, key=key).first()
            if existing is not None:
                return _replay(existing, fingerprint)
            try:
                with transaction.atomic():
                    record = IdempotencyRecord.objects.create(
                        **owner, key=key, fingerprint=fingerprint, status=0,
                        content_type="", body=b"")
            except IntegrityError:
                # Another request under the key committed while this one waited for the row.
                return _replay(IdempotencyRecord.objects.get(**owner, key=key),
                               fingerprint)
            response = view(request, *args, **kwargs)
            record.status = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = response.content
            record.save(update_fields=["status", "content_type", "body", "updated_at"])
        return response

    return wrapper
