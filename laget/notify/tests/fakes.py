"""Real protocol endpoints on loopback for the delivery tests: an SMTP server (aiosmtpd) that
keeps what it receives, and an SMS gateway (http.server in a thread) that records each POST and
answers from a script — e.g. two 500s, then 202."""

import hashlib
import hmac
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler:
    def __init__(self, server: "SmtpServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.server.replies:
            return self.server.replies.popleft()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.server.lock:
            self.server.received.append(
                (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted"


@dataclass
class SmtpServer:
    """aiosmtpd on 127.0.0.1. `replies`: answers to the next RCPT TOs instead of 250 (e.g.
    "451 4.3.0 try later", "550 5.1.1 no such user")."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    replies: deque[str] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> "SmtpServer":
        self.port = free_port()
        # A fixed server name: aiosmtpd would otherwise look up this machine's FQDN (slow
        # without a network).
        self._controller = Controller(_Handler(self), hostname=self.host, port=self.port,
                                      server_hostname="smtp.test.invalid")
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    @property
    def mailer(self) -> dict:
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": self.host, "port": self.port, "timeout": 5}}


@dataclass
class GatewayRequest:
    headers: dict[str, str]
    payload: dict


class SmsGateway:
    """A JSON SMS gateway on 127.0.0.1. `script` holds the statuses of the next answers (after
    it runs out: 202); `hold` makes the next request wait until `release` is set (a worker killed
    mid-delivery). With `receipt_secret` set, each accepted message with a `receipt_url` gets a
    signed delivery receipt POSTed there afterwards (status `receipt_status`), as a real gateway
    does; `receipt_replies` keeps the HTTP status Laget answered each with."""

    def __init__(self) -> None:
        self.receipt_secret = ""
        self.receipt_status = "delivered"
        self.receipt_replies: list[int] = []
        self.receipts_done = threading.Condition()
        self.requests: list[GatewayRequest] = []
        self.script: deque[int] = deque()
        self.hold = threading.Event()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with gateway.lock:
                    gateway.requests.append(GatewayRequest(dict(self.headers.items()), body))
                    status = gateway.script.popleft() if gateway.script else 202
                    hold = gateway.hold.is_set()
                    gateway.hold.clear()
                if hold:
                    gateway.holding.set()
                    gateway.release.wait(timeout=30)
                reply = json.dumps({"id": body.get("reference"), "status": status}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)
                if 200 <= status < 300 and gateway.receipt_secret and body.get("receipt_url"):
                    threading.Thread(target=gateway.send_receipt, daemon=True, args=(
                        body["receipt_url"], body.get("reference"))).start()

            def log_message(self, format, *args) -> None:  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/sms"

    def start(self) -> "SmsGateway":
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def send_receipt(self, url: str, reference: str | None) -> None:
        """POST a signed receipt for `reference` to Laget, the way the gateway would."""
        body = json.dumps({"reference": reference, "status": self.receipt_status,
                           "timestamp": datetime.now(UTC).isoformat()}).encode()
        stamp = int(time.time())
        mac = hmac.new(self.receipt_secret.encode(), f"{stamp}.".encode() + body,
                       hashlib.sha256).hexdigest()
        request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310
            "Content-Type": "application/json", "Laget-Signature": f"t={stamp},v1={mac}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                code = response.status
        except urllib.error.HTTPError as error:
            code = error.code
        except OSError:
            code = 0
        with self.receipts_done:
            self.receipt_replies.append(code)
            self.receipts_done.notify_all()

    def wait_for_receipts(self, count: int, timeout: float = 10) -> list[int]:
        with self.receipts_done:
            self.receipts_done.wait_for(lambda: len(self.receipt_replies) >= count, timeout)
            return list(self.receipt_replies)

    def keys(self) -> list[str]:
        return [request.headers["Idempotency-Key"] for request in self.requests]

    def delivered(self) -> dict[str, dict]:
        """What a gateway that drops duplicate keys would have sent: payload by key."""
        result: dict[str, dict] = {}
        for request in self.requests:
            result.setdefault(request.headers["Idempotency-Key"], request.payload)
        return result


class KrrServer:
    """Digdir's KRR lookup (`POST /rest/v1/personer`, Oppslagstjenesten REST) on 127.0.0.1.
    `add()` registers a person in KRR's JSON shape; a number not registered is answered with
    status IKKE_REGISTRERT, as KRR does. Every request is recorded; a wrong bearer token gets 401.
    `script` holds the statuses of the next answers instead of 200 (e.g. 500); `delay` makes each
    answer wait that many seconds (a timeout); `raw`, when set, is sent as the body instead."""

    def __init__(self, *, token: str) -> None:
        self.token = token
        self.persons: dict[str, dict] = {}
        self.requests: list[GatewayRequest] = []
        self.script: deque[int] = deque()
        self.delay = 0.0
        self.raw: bytes | None = None
        self.lock = threading.Lock()
        self._stopping = threading.Event()
        krr = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                try:
                    payload = json.loads(body or b"{}")
                except json.JSONDecodeError:
                    payload = {}
                with krr.lock:
                    krr.requests.append(GatewayRequest(dict(self.headers.items()), payload))
                    status = krr.script.popleft() if krr.script else 200
                    delay, raw = krr.delay, krr.raw
                if delay:
                    krr._stopping.wait(delay)
                if self.path != "/rest/v1/personer":
                    status = 404
                elif self.headers.get("Authorization") != f"Bearer {krr.token}":
                    status = 401
                if status != 200:
                    reply = json.dumps({"error": "test", "status": status}).encode()
                elif raw is not None:
                    reply = raw
                else:
                    numbers = payload.get("personidentifikatorer") or []
                    reply = json.dumps({"personer": [
                        krr.persons.get(number, {"personidentifikator": number,
                                                 "status": "IKKE_REGISTRERT",
                                                 "varslingsstatus": "KAN_IKKE_VARSLES"})
                        for number in numbers]}).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(reply)))
                    self.end_headers()
                    self.wfile.write(reply)
                except OSError:  # the client gave up waiting (the timeout tests)
                    pass

            def log_message(self, format, *args) -> None:  # keep the test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/rest/v1/personer"

    def add(self, national_id: str, *, reserved: bool = False, status: str = "AKTIV",
            mobile: str = "", email: str = "", language: str = "",
            expired: bool = False) -> dict:
        """Register a person. `expired`: contact details not confirmed for 18 months
        (varslingsstatus KAN_IKKE_VARSLES, details still given)."""
        person: dict = {"personidentifikator": national_id, "status": status}
        if status == "AKTIV":
            person["reservasjon"] = "JA" if reserved else "NEI"
            person["varslingsstatus"] = ("KAN_IKKE_VARSLES" if reserved or expired
                                         else "KAN_VARSLES")
            contact: dict = {}
            if mobile:
                contact["mobiltelefonnummer"] = mobile
                contact["mobiltelefonnummer_oppdatert"] = "2025-06-29T10:14:52+02"
            if email:
                contact["epostadresse"] = email
                contact["epostadresse_oppdatert"] = "2025-06-29T10:14:52+02"
            if contact:
                person["kontaktinformasjon"] = contact
            if language:
                person["spraak"] = language
        else:
            person["varslingsstatus"] = "KAN_IKKE_VARSLES"
        self.persons[national_id] = person
        return person

    def start(self) -> "KrrServer":
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def asked(self) -> list[list[str]]:
        """The numbers of each request, in order."""
        return [request.payload.get("personidentifikatorer") for request in self.requests]


@dataclass
class WebhookDelivery:
    headers: dict[str, str]
    body: bytes


class WebhookReceiver:
    """An agency's system taking Laget's webhooks on 127.0.0.1: records every POST with its raw
    body (the signature covers the bytes), answers from `script` (after it runs out: 204), and
    `verified(secret)` checks signatures the way the agency would — HMAC-SHA256 written out here,
    not Laget's code. `redirect_to` answers 307 to that URL instead."""

    def __init__(self) -> None:
        self.deliveries: list[WebhookDelivery] = []
        self.script: deque[int] = deque()
        self.redirect_to = ""
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver.lock:
                    receiver.deliveries.append(WebhookDelivery(dict(self.headers.items()), body))
                    status = receiver.script.popleft() if receiver.script else 204
                if receiver.redirect_to:
                    status = 307
                self.send_response(status)
                if status == 307:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/laget"

    def start(self) -> "WebhookReceiver":
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def signed_by(delivery: WebhookDelivery, secret: str) -> bool:
        parts = [p.split("=", 1) for p in delivery.headers["Laget-Signature"].split(",")]
        stamp = next(v for k, v in parts if k == "t")
        mac = hmac.new(secret.encode(), f"{stamp}.".encode() + delivery.body,
                       hashlib.sha256).hexdigest()
        return any(hmac.compare_digest(mac, v) for k, v in parts if k == "v1")

    def events(self) -> list[dict]:
        """What a receiver that drops repeated `Laget-Delivery` values acts on, in order."""
        seen, result = set(), []
        for delivery in self.deliveries:
            key = delivery.headers["Laget-Delivery"]
            if key not in seen:
                seen.add(key)
                result.append(json.loads(delivery.body))
        return result
