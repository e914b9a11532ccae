"""How a message leaves Laget: e-mail through django.core.mail, SMS through a generic
JSON-over-HTTPS gateway, signed webhooks to agencies' own systems, and a console channel that
appends to a file under var/ (the demo).

A channel sends or raises `DeliveryError`, whose reason is short and never holds personal data
(an SMTP server's reply may echo the address, so it is reduced to its code). Every channel hands
the receiver the message's `delivery_key`, the same on every attempt, so that a redelivery after
a worker died mid-send can be dropped as a duplicate: the SMS gateway gets it as the
`Idempotency-Key` header, a webhook as `Laget-Delivery`, an e-mail as its Message-ID."""

import json
import smtplib
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from laget.core import clock
from laget.notify import signing
from laget.notify.endpoints import opener, url_allowed
from laget.notify.models import Channel, Message, WebhookEndpoint

#: HTTP statuses in the 4xx range that are worth trying again.
_RETRYABLE_4XX = frozenset({408, 425, 429})


class DeliveryError(Exception):
    """A message could not be delivered. `permanent`: trying again will not help (the gateway
    refused the message or the address); otherwise it is retried with backoff."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason[:200]
        self.permanent = permanent


# --- e-mail ---------------------------------------------------------------------------------------

def message_id(message: Message) -> str:
    return f"<{message.delivery_key}@{settings.LAGET_NOTIFY_MESSAGE_ID_DOMAIN}>"


def send_email(message: Message) -> None:
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_address],
        headers={"Message-ID": message_id(message), "Auto-Submitted": "auto-generated"},
    )
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _reply in error.recipients.values()]
        permanent = bool(codes) and all(500 <= code < 600 for code in codes)
        raise DeliveryError(f"SMTP recipient refused {min(codes, default=0)}",
                            permanent=permanent) from None
    except smtplib.SMTPResponseException as error:
        code = error.smtp_code
        raise DeliveryError(f"SMTP {code}", permanent=500 <= code < 600) from None
    except smtplib.SMTPException as error:
        raise DeliveryError(f"SMTP {type(error).__name__}", permanent=False) from None
    except OSError as error:  # refused, unreachable, timed out
        raise DeliveryError(f"SMTP {type(error).__name__}", permanent=False) from None


# --- SMS ------------------------------------------------------------------------------------------

def gateway_url() -> str:
    """The configured gateway URL: HTTPS, or plain HTTP to this machine only (tests, demo)."""
    url = settings.LAGET_NOTIFY_SMS_URL
    if not url:
        raise DeliveryError("SMS gateway not configured", permanent=False)
    if url_allowed(url):
        return url
    raise DeliveryError("SMS gateway URL must be https", permanent=False)


def send_sms(message: Message) -> None:
    """POST {"to", "text", "reference"} (and "receipt_url", where the gateway is to send its
    signed delivery receipts: laget.notify.receipts) with a bearer token: 2xx is sent, 4xx a
    permanent failure (except 408, 425, 429), 5xx, timeouts and refused connections are
    retried."""
    payload = {"to": message.to_address, "text": message.body, "reference": str(message.pk)}
    if settings.LAGET_NOTIFY_SMS_RECEIPT_URL:
        payload["receipt_url"] = settings.LAGET_NOTIFY_SMS_RECEIPT_URL
    _post(gateway_url(), json.dumps(payload, ensure_ascii=False).encode(),
          headers={"Authorization": f"Bearer {settings.LAGET_NOTIFY_SMS_TOKEN}",
                   "Idempotency-Key": message.delivery_key},
          timeout=settings.LAGET_NOTIFY_SMS_TIMEOUT_SECONDS)


def _post(url: str, body: bytes, *, headers: dict[str, str], timeout: int) -> None:
    """POST JSON (the caller has checked the URL with `url_allowed`): 2xx is sent, 3xx and 4xx a
    permanent failure (except 408, 425, 429), 5xx, timeouts and refused connections are
    retried."""
    request = urllib.request.Request(  # noqa: S310 — every caller checks the scheme
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8",
                 "Accept": "application/json", "User-Agent": "Laget-notify/1", **headers},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(64 * 1024)
    except urllib.error.HTTPError as error:
        code = error.code
        error.close()
        permanent = 300 <= code < 500 and code not in _RETRYABLE_4XX
        raise DeliveryError(f"HTTP {code}", permanent=permanent) from None
    except urllib.error.URLError as error:
        reason = error.reason
        name = type(reason).__name__ if isinstance(reason, BaseException) else "URLError"
        raise DeliveryError(f"HTTP {name}", permanent=False) from None
    except OSError as error:  # a timeout while reading, a reset connection
        raise DeliveryError(f"HTTP {type(error).__name__}", permanent=False) from None


# --- webhooks to agencies' systems ----------------------------------------------------------------

WEBHOOK_PREFIX = "webhook:"


def send_webhook(message: Message) -> None:
    """POST the event (the body rendered when queued) to the endpoint the address names, signed
    with its secret (laget.notify.signing; the previous secret too while a rotation's grace
    lasts). `Laget-Delivery` is the same on every attempt: the receiver drops a repeat. An
    endpoint removed or switched off since fails the message for good."""
    endpoint_id = message.to_address.removeprefix(WEBHOOK_PREFIX)
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id, active=True).first()
    if endpoint is None:
        raise DeliveryError("webhook endpoint inactive", permanent=True)
    if not url_allowed(endpoint.url):
        raise DeliveryError("webhook URL must be https", permanent=True)
    body = message.body.encode()
    now = clock.now()
    _post(endpoint.url, body,
          headers={"Laget-Event": message.subject, "Laget-Delivery": message.delivery_key,
                   "Idempotency-Key": message.delivery_key,
                   signing.HEADER: signing.header_value(
                       secrets=endpoint.signing_secrets(now), body=body,
                       timestamp=int(now.timestamp()))},
          timeout=settings.LAGET_WEBHOOK_TIMEOUT_SECONDS)


# --- console (demo) -------------------------------------------------------------------------------

_console_lock = threading.Lock()


def send_console(message: Message) -> None:
    """Append the message to LAGET_NOTIFY_CONSOLE_FILE, where the demo shows what was sent."""
    path = Path(settings.LAGET_NOTIFY_CONSOLE_FILE)
    stamp = timezone.localtime().isoformat(timespec="seconds")
    record = (f"--- {stamp} {message.channel} key={message.delivery_key}\n"
              f"Til: {message.to_address}\nEmne: {message.subject}\n\n{message.body}\n\n")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with _console_lock, path.open("a", encoding="utf-8") as file:
            file.write(record)
    except OSError as error:
        raise DeliveryError(f"console {type(error).__name__}", permanent=False) from None


SENDERS: dict[str, Callable[[Message], None]] = {
    Channel.EMAIL: send_email,
    Channel.SMS: send_sms,
    Channel.CONSOLE: send_console,
    Channel.WEBHOOK: send_webhook,
}


def send(message: Message) -> None:
    if (message.channel == Channel.SMS and settings.LAGET_DEMO
            and not settings.LAGET_NOTIFY_SMS_URL):
        # The demo without a gateway: the SMS is written where the demo shows what was sent.
        send_console(message)
        return
    SENDERS[message.channel](message)
