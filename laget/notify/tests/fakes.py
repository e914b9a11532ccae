"""Real protocol endpoints on loopback for the delivery tests: an SMTP server (aiosmtpd) that
keeps what it receives, and an SMS gateway (http.server in a thread) that records each POST and
answers from a script — e.g. two 500s, then 202."""

import json
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
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
    mid-delivery)."""

    def __init__(self) -> None:
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

    def keys(self) -> list[str]:
        return [request.headers["Idempotency-Key"] for request in self.requests]

    def delivered(self) -> dict[str, dict]:
        """What a gateway that drops duplicate keys would have sent: payload by key."""
        result: dict[str, dict] = {}
        for request in self.requests:
            result.setdefault(request.headers["Idempotency-Key"], request.payload)
        return result
