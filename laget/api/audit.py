"""Proofs from the audit log (RFC 9162 §2.1.3–2.1.4), computed from the stored tiles: that an
event is in the tree a checkpoint signs, and that a later tree extends an earlier one. Hashes
only — no event content. Open to whoever may read the log (laget.audit.log_views.log_reader)."""

import base64

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from laget.api.problems import Problem
from laget.audit import log
from laget.audit.log_views import log_reader


def _log_reader(request: HttpRequest) -> bool | None:
    """ninja auth: the same readers as the log's tiles (checked before the query is parsed)."""
    return log_reader(request) or None


router = Router(tags=["audit log"], auth=_log_reader)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class InclusionQuery(Schema):
    leaf_index: int = Field(ge=0, description="The event's log index.")
    tree_size: int = Field(ge=1, description="The size of the tree (a checkpoint's size).")


class InclusionProof(Schema):
    leaf_index: int
    tree_size: int
    root: str = Field(description="The tree hash at tree_size, base64.")
    proof: list[str] = Field(description="The audit path, nearest sibling first, base64.")


class ConsistencyQuery(Schema):
    first: int = Field(ge=0)
    second: int = Field(ge=0)


class ConsistencyProof(Schema):
    first: int
    second: int
    first_root: str
    second_root: str
    proof: list[str]


def _size_guard(size: int) -> None:
    if size > log.tiled_size():
        raise HttpError(400, _("Treet er ikke så stort ennå."))


@router.get(
    "/proof/inclusion", response={200: InclusionProof, 400: Problem, 401: Problem},
    url_name="audit_proof_inclusion", operation_id="audit_proof_inclusion",
    summary="Inclusion proof of an event in a tree",
)
def proof_inclusion(request: HttpRequest, query: Query[InclusionQuery]) -> dict[str, object]:
    if query.leaf_index >= query.tree_size:
        raise HttpError(400, _("leaf_index må være mindre enn tree_size."))
    _size_guard(query.tree_size)
    proof = log.inclusion_proof(index=query.leaf_index, tree_size=query.tree_size)
    return {"leaf_index": query.leaf_index, "tree_size": query.tree_size,
            "root": _b64(log.root_at(query.tree_size)), "proof": [_b64(p) for p in proof]}


@router.get(
    "/proof/consistency", response={200: ConsistencyProof, 400: Problem, 401: Problem},
    url_name="audit_proof_consistency", operation_id="audit_proof_consistency",
    summary="Consistency proof between two tree sizes",
)
def proof_consistency(request: HttpRequest,
                      query: Query[ConsistencyQuery]) -> dict[str, object]:
    if query.first > query.second:
        raise HttpError(400, _("first kan ikke være større enn second."))
    _size_guard(query.second)
    proof = log.consistency_proof(first=query.first, second=query.second)
    return {"first": query.first, "second": query.second,
            "first_root": _b64(log.root_at(query.first)),
            "second_root": _b64(log.root_at(query.second)),
            "proof": [_b64(p) for p in proof]}
