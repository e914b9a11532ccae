"""Fault tests run Laget as real processes against a throw-away PostgreSQL cluster (`initdb` into a
temporary folder, its own port on 127.0.0.1), never the machine's own cluster: the tests stop and
start it at will. As root (the test container), initdb and pg_ctl run as the `postgres` user."""

import contextlib
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int
    as_owner: list[str] = field(default_factory=list)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgres://laget@127.0.0.1:{self.port}/laget"

    def pg_ctl(self, *args: str, timeout: float = 30) -> None:
        subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data),
                        "-l", str(self.folder / "server.log"), *args],
                       check=True, timeout=timeout, capture_output=True)

    def start(self) -> None:
        self.pg_ctl("-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                          "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                    "-w", "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "-w", "stop")

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="laget", dbname="laget",
                               autocommit=True)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a Laget process on this cluster (tests/testenv.py's settings:
        DEBUG off, production defaults on)."""
        env = dict(os.environ)
        env.update(DATABASE_URL=self.url, DEBUG="0", DATABASE_CONN_MAX_AGE="0",
                   PYTHONUNBUFFERED="1", **extra)
        return env


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """A migrated throw-away cluster for this test session, removed afterwards."""
    pg_bin = _pg_bin()
    if pg_bin is None:
        pytest.fail("the fault tests need PostgreSQL's initdb and pg_ctl")
    folder = Path(tempfile.mkdtemp(prefix="laget-faults-pg-"))
    as_owner: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(folder, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bin=pg_bin, folder=folder, port=free_port(), as_owner=as_owner)
    subprocess.run([*as_owner, str(pg_bin / "initdb"), "-D", str(cluster.data), "-U", "laget",
                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
                   check=True, timeout=120, capture_output=True)
    cluster.start()
    try:
        with psycopg.connect(host="127.0.0.1", port=cluster.port, user="laget",
                             dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE laget")
        subprocess.run([*MANAGE, "migrate", "--no-input", "--skip-checks", "-v0"],
                       env=cluster.env(), cwd=ROOT, check=True, timeout=300)
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # stopped by a failed test
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    var_dir: Path

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(self.url + path, timeout=10, allow_redirects=False, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return requests.post(self.url + path, timeout=10, allow_redirects=False, **kwargs)


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            if requests.get(url + "/tilgjengelighet/", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not come up")


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """LAGET_VAR_DIR of the processes the tests start (the media folder; the audit log's signing
    key, one for the session so that every checkpoint verifies)."""
    path = tmp_path_factory.mktemp("faults") / "var"
    (path / "static").mkdir(parents=True)
    (path / "media").mkdir()
    return path


@pytest.fixture(scope="session")
def server(cluster: Cluster, var_dir: Path) -> Iterator[Server]:
    """`manage.py runserver` (threaded, as the demo runs it) on a free loopback port, on the
    throw-away cluster; one process for the session, which each test leaves working."""
    port = free_port()
    log = (var_dir / f"server-{port}.log").open("wb")
    process = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=cluster.env(LAGET_VAR_DIR=str(var_dir), ALLOWED_HOSTS="127.0.0.1"), cwd=ROOT,
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield Server(url=url, process=process, var_dir=var_dir)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


SEED = r"""
import datetime as dt, json, sys, time
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from laget.accounts.actor import Actor
from laget.accounts.freshness import AUTH_KEY, SEEN_KEY
from laget.accounts.services import totp_device_set
from laget.accounts.tests.factories import AgencyFactory, MembershipFactory, UserFactory
from laget.apiclients import services as apiclients
from laget.apiclients.models import Scope
from laget.people.tests.factories import PersonFactory
from laget.records.services import case_open
from laget.sharing.rulebook import DEFAULT_RULEBOOK, rulebook_load

rulebook_load(text=DEFAULT_RULEBOOK.read_text(encoding="utf-8"), file_name=DEFAULT_RULEBOOK.name)
agency = AgencyFactory(type="bydel", district_id="030111")
user = UserFactory()
membership = MembershipFactory(user=user, agency=agency, role="coordinator")
device = totp_device_set(user=user, key_hex="3132333435363738393031323334353637383930")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session[AUTH_KEY] = session[SEEN_KEY] = time.time()
session.create()
today = dt.date.today()
person = PersonFactory(birth_date=today.replace(year=today.year - 14) - dt.timedelta(days=9))
case = case_open(actor=Actor(user, membership), person=person)
client = apiclients.client_create(agency=AgencyFactory(type="skole", district_id="030111"),
                                  name="Lasttest", scopes=[Scope.CONCERNS_WRITE])
json.dump({"session": session.session_key, "case": str(case.pk),
           "token": apiclients.token_issue(client=client).token}, sys.stdout)
"""


@pytest.fixture(scope="session")
def seeded(cluster: Cluster, var_dir: Path) -> dict[str, str]:
    """A coordinator's verified session (cookie value), a case of theirs, and an API client's
    token with `concerns:write`, written by a process on the cluster."""
    done = subprocess.run([sys.executable, "-c", SEED], cwd=ROOT, check=True, timeout=120,
                          env=cluster.env(LAGET_VAR_DIR=str(var_dir)), capture_output=True,
                          text=True)
    return json.loads(done.stdout)


def manage(cluster: Cluster, var_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*MANAGE, *args], env=cluster.env(LAGET_VAR_DIR=str(var_dir)),
                          cwd=ROOT, timeout=120, capture_output=True, text=True)
