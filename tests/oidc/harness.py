"""Start the test OIDC provider as a subprocess on a free loopback port, with its own SQLite file
and RSA key in a temporary folder; add users with the claims a test chooses; drive its login page
over HTTP the way a browser would.

A test module imports the fixtures `oidc_provider` (the running provider, one per session) and
`sso_on` (Laget configured for it) by their function names:
`from tests.oidc.harness import oidc_provider_fixture, sso_on_fixture  # noqa: F401`.
"""

import html
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
#: Where the Django test client's requests come from: the callback the provider must accept.
TEST_CLIENT_CALLBACK = "http://testserver/konto/logg-inn/sso/tilbake/"
CALLBACK_PATH = "/konto/logg-inn/sso/tilbake/"
PASSWORD = "provider-password-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OidcProvider:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base_url}/o"
        self.client_id = "laget-test"
        self.client_secret = secrets.token_urlsafe(24)
        self.users_file = folder / "users.json"
        self.users_file.write_text("{}", encoding="utf-8")
        self.redirect_uris = [TEST_CLIENT_CALLBACK]
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "DATABASE_", "LAGET_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "tests.oidc.settings",
            "OIDC_TEST_DB": str(folder / "provider.sqlite3"),
            "OIDC_TEST_USERS": str(self.users_file),
            "OIDC_TEST_RSA_KEY": pem,
            "OIDC_TEST_ISSUER": self.issuer,
            "PYTHONPATH": str(ROOT),
        })
        self.env = env
        self._manage("migrate", "--verbosity", "0")
        self._register_client()
        self.log = (folder / "provider.log").open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{self.port}",
             "--noreload", "--skip-checks"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "django", *args], cwd=ROOT, env=self.env, check=True,
            capture_output=True, timeout=120,
        )

    def _register_client(self) -> None:
        # `--option=value`: a random secret may begin with "-", which argparse would take for
        # an option of its own.
        self._manage("oidc_client", f"--client-id={self.client_id}",
                     f"--client-secret={self.client_secret}", *self.redirect_uris)

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"OIDC provider exited: see {self.folder / 'provider.log'}")
            try:
                response = requests.get(
                    f"{self.issuer}/.well-known/openid-configuration", timeout=2)
                if response.ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError("OIDC provider did not start in 30 s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    # --- what tests use ---------------------------------------------------------------------

    def allow_redirect(self, uri: str) -> None:
        """Accept another callback (a live server's) for the client."""
        if uri not in self.redirect_uris:
            self.redirect_uris.append(uri)
            self._register_client()

    def add_user(
        self, username: str, *, claims: dict[str, Any], password: str = PASSWORD,
        exp_offset: int = 0, nonce: str = "", tamper_signature: bool = False,
    ) -> None:
        """A provider account whose ID tokens carry `claims` (`sub` defaults to the user name);
        `exp_offset`, `nonce` and `tamper_signature` make its tokens bad on purpose."""
        users = json.loads(self.users_file.read_text(encoding="utf-8"))
        users[username] = {
            "password": password, "claims": claims, "exp_offset": exp_offset,
            "nonce": nonce, "tamper_signature": tamper_signature,
        }
        tmp = self.users_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(users), encoding="utf-8")
        tmp.replace(self.users_file)

    def log_in(self, authorize_url: str, username: str, password: str = PASSWORD) -> str:
        """Follow the authorization request through the provider's login form, as a browser
        would; return where the provider sends the browser back (the relying party's callback
        with code and state)."""
        session = requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        login_url = urljoin(authorize_url, response.headers["Location"])
        page = session.get(login_url, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        next_value = re.search(r'name="next" value="([^"]*)"', page.text)
        response = session.post(
            login_url,
            data={"csrfmiddlewaretoken": token.group(1), "username": username,
                  "password": password,
                  "next": html.unescape(next_value.group(1)) if next_value else ""},
            headers={"Referer": login_url}, allow_redirects=False, timeout=10,
        )
        assert response.status_code == 302, f"provider login failed: {response.status_code}"
        authorize_again = urljoin(login_url, response.headers["Location"])
        response = session.get(authorize_again, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:500]
        return str(response.headers["Location"])


@pytest.fixture(scope="session", name="oidc_provider")
def oidc_provider_fixture() -> Iterator[OidcProvider]:
    with tempfile.TemporaryDirectory(prefix="laget-oidc-") as folder:
        provider = OidcProvider(Path(folder))
        try:
            yield provider
        finally:
            provider.stop()


@pytest.fixture(name="sso_on")
def sso_on_fixture(settings: Any, oidc_provider: OidcProvider) -> OidcProvider:
    """Laget configured for the test provider (its defaults for acr/amr and linking)."""
    settings.LAGET_OIDC_ISSUER = oidc_provider.issuer
    settings.LAGET_OIDC_CLIENT_ID = oidc_provider.client_id
    settings.LAGET_OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.LAGET_OIDC_SCOPES = ["openid", "email"]
    return oidc_provider
