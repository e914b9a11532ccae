"""The SMS gateway's delivery receipts (laget.notify.receipts): the one API operation that no
user calls. It is authenticated by the body's HMAC signature instead of a session or key, and
CSRF does not apply (no cookie is involved)."""

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from laget.api.problems import Problem, problem
from laget.notify import receipts

router = Router(tags=["notifications"])


class ReceiptOutcome(Schema):
    status: str


@router.post(
    "/sms/receipts", auth=None, response={200: ReceiptOutcome, 400: Problem, 401: Problem,
                                          404: Problem},
    summary="Delivery receipt from the SMS gateway",
    description=(
        "Body: {\"reference\", \"status\", \"timestamp\"}. Header "
        f"`{receipts.SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "
        "\"<t>.\" + raw body)>`. Answers the message's status after the receipt."),
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": {
        "type": "object", "required": ["reference", "status"],
        "properties": {"reference": {"type": "string", "format": "uuid"},
                       "status": {"type": "string", "enum": sorted(
                           receipts.DELIVERED | receipts.FAILED | receipts.INTERIM)},
                       "timestamp": {"type": "string", "format": "date-time"}}}}}}},
)
def sms_receipt(request: HttpRequest) -> dict[str, str] | HttpResponse:
    body = request.body
    try:
        receipts.verify(header=request.headers.get(receipts.SIGNATURE_HEADER, ""), body=body)
    except receipts.ReceiptRejected as error:
        response = problem(401, error.message)
        response["WWW-Authenticate"] = "Signature"
        return response
    status = receipts.receipt_record(receipts.parse(body))
    return {"status": status}
