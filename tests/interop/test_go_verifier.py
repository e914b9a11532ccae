"""The served checkpoint, tiles, entry bundles and proofs checked by Go's reference
transparency-log code (golang.org/x/mod/sumdb/note and sumdb/tlog from Debian's packages), in
tests/interop/go: a verifier that has never seen Laget's code. `make test` installs Go and sets
LAGET_REQUIRE_GO=1, so there a missing toolchain fails instead of skipping."""

import base64
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest

from laget.audit import log
from laget.audit.models import AuditEvent, Checkpoint, Tile

HERE = Path(__file__).resolve().parent
GOPATH = Path("/usr/share/gocode")  # Debian's golang-golang-x-mod-dev
X_MOD = GOPATH / "src/golang.org/x/mod/sumdb/tlog"
TOKEN = "witness-token-for-go"


@pytest.fixture(scope="session")
def go_verifier(tmp_path_factory) -> Path:
    """The verifier, built once per session, offline (GOPATH mode against Debian's source)."""
    go = shutil.which("go")
    if go is None or not X_MOD.is_dir():
        reason = "Go or golang.org/x/mod is not installed (apt-get install golang-go " \
                 "golang-golang-x-mod-dev; `make test` does)"
        if os.environ.get("LAGET_REQUIRE_GO") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("go") / "lagetverify"
    env = dict(os.environ, GO111MODULE="off", GOPATH=str(GOPATH), GOFLAGS="", GOPROXY="off",
               GOTOOLCHAIN="local", CGO_ENABLED="0",
               GOCACHE=str(tmp_path_factory.getbasetemp() / "go-cache"))
    subprocess.run([go, "build", "-o", str(out), "."], cwd=HERE / "go", env=env, check=True,
                   timeout=300)
    return out


def _run(binary: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary), "-url", url, "-token", TOKEN, *extra],
                          capture_output=True, text=True, timeout=120)


def _fetch_checkpoint(url: str) -> bytes:
    request = urllib.request.Request(f"{url}/log/checkpoint",  # noqa: S310 (loopback)
                                     headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return response.read()


@pytest.fixture
def witness(settings):
    """The log is not public here: the Go verifier reads it as an outside witness with a token."""
    settings.LAGET_LOG_PUBLIC = False
    settings.LAGET_LOG_WITNESS_TOKENS = [TOKEN]


def test_go_verifies_the_served_log(live_server, grow, witness, go_verifier, tmp_path):
    grow(300)  # a witness's last view: one full leaf tile and a partial one
    old = tmp_path / "checkpoint-300"
    old.write_bytes(_fetch_checkpoint(live_server.url))
    grow(600)  # two full leaf tiles, a partial one, a partial level-1 tile
    result = _run(go_verifier, live_server.url, "-key", log.verifier_key(),
                  "-old-checkpoint", str(old), "-leaf", "299")
    assert result.returncode == 0, result.stderr
    latest = Checkpoint.objects.order_by("-size").first()
    assert result.stdout == f"OK 600 {base64.b64encode(bytes(latest.root)).decode()}\n"


def test_go_notices_tampering(live_server, grow, witness, go_verifier):
    grow(600)
    assert _run(go_verifier, live_server.url).returncode == 0

    def flip(data: bytes, at: int) -> bytes:
        changed = bytearray(data)
        changed[at] ^= 0x01
        return bytes(changed)

    def tamper_tile(level: int, index: int, at: int):
        tile = Tile.objects.get(level=level, index=index)
        original = bytes(tile.hashes)
        Tile.objects.filter(pk=tile.pk).update(hashes=flip(original, at))
        return lambda: Tile.objects.filter(pk=tile.pk).update(hashes=original)

    def tamper_leaf(index: int):
        event = AuditEvent.objects.get(log_index=index)
        original = bytes(event.leaf)
        AuditEvent.objects.filter(pk=event.pk).update(leaf=flip(original, len(original) - 3))
        return lambda: AuditEvent.objects.filter(pk=event.pk).update(leaf=original)

    def tamper_checkpoint():
        latest = Checkpoint.objects.order_by("-size").first()
        original = latest.note
        body, _, signatures = original.rpartition("\n\n")
        lines = body.split("\n")
        lines[1] = "601"
        Checkpoint.objects.filter(pk=latest.pk).update(note="\n".join(lines) + "\n\n" + signatures)
        return lambda: Checkpoint.objects.filter(pk=latest.pk).update(note=original)

    cases = {
        "a hash in a full leaf tile": lambda: tamper_tile(0, 1, 32 * 17 + 5),
        "a hash in the partial leaf tile": lambda: tamper_tile(0, 2, 32 * 87),
        "a node hash in the level-1 tile": lambda: tamper_tile(1, 0, 3),
        "a leaf in a full entry bundle": lambda: tamper_leaf(10),
        "a leaf in the partial entry bundle": lambda: tamper_leaf(599),
        "the checkpoint's tree size": tamper_checkpoint,
    }
    for what, tamper in cases.items():
        restore = tamper()
        try:
            result = _run(go_verifier, live_server.url)
            assert result.returncode == 1 and result.stderr.startswith("FAIL: "), (what, result)
        finally:
            restore()
    assert _run(go_verifier, live_server.url).returncode == 0  # and all is well again


def test_go_refuses_a_key_other_than_the_one_known(live_server, grow, witness, go_verifier):
    grow(5)
    other = "laget.invalid/audit-log+00000000+AQ" + "A" * 42 + "="
    result = _run(go_verifier, live_server.url, "-key", other)
    assert result.returncode == 1 and "known out of band" in result.stderr
