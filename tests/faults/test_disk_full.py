"""The upload folder full (a small tmpfs mounted over the media folder of a running server): an
attachment that does not fit is refused on the form with a clear message, never a 500; no entry,
no audit event and no half-written file are left; other pages work on; and once there is room
again, the same upload goes through."""

import errno
import html
import os
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres_only

FULL = "lagringsplassen er full"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20


@pytest.fixture
def small_media(var_dir: Path):
    """The media folder as a 128 KiB tmpfs, unmounted afterwards."""
    media = var_dir / "media"
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k,mode=0755", "tmpfs",
                              str(media)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield media
    finally:
        subprocess.run(["umount", str(media)], check=True)


def _files(folder: Path) -> list[Path]:
    return sorted(Path(root) / name for root, _dirs, names in os.walk(folder) for name in names)


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 4096)
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_an_upload_to_a_full_disk_fails_cleanly(cluster, server, seeded, small_media):
    cookies = {"sessionid": seeded["session"]}
    form_url = f"/saker/{seeded['case']}/opplysninger/ny/"
    page = server.get(form_url, cookies=cookies)
    assert page.status_code == 200
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    cookies["csrftoken"] = page.cookies["csrftoken"]

    def upload(text: str, name: str, content_type: str, data: bytes):
        return server.post(form_url, cookies=cookies,
                           data={"csrfmiddlewaretoken": csrf, "category": "plan", "text": text},
                           files={"attachment": (name, data, content_type)})

    def counts() -> tuple[int, int, int]:
        with cluster.connect() as conn:
            return conn.execute(
                "SELECT (SELECT count(*) FROM records_entry WHERE case_id = %(case)s),"
                " (SELECT count(*) FROM records_entryattachment),"
                " (SELECT count(*) FROM audit_auditevent WHERE action = 'entry.create')",
                {"case": seeded["case"]}).fetchone()

    before = counts()
    # Bigger than the whole folder: written part-way, then ENOSPC.
    big = upload("Skanning av kartlegging.", "kartlegging.png", "image/png",
                 PNG + b"\0" * 512 * 1024)
    assert big.status_code == 200
    assert FULL in html.unescape(big.text)
    assert counts() == before
    assert _files(small_media) == []  # the half-written file is gone, and the entry's folder
    assert os.listdir(small_media / "entries") == []

    # Nothing else broke: the case and the form still open.
    assert server.get(f"/saker/{seeded['case']}/", cookies=cookies).status_code == 200

    # A folder with no room at all: even a small file is refused.
    filler = _fill(small_media)
    small = upload("Referat fra møtet.", "referat.txt", "text/plain", b"Kort referat.\n")
    assert small.status_code == 200
    assert FULL in html.unescape(small.text)
    assert counts() == before
    assert _files(small_media) == [filler]

    # Room again: the same upload goes through, whole.
    filler.unlink()
    done = upload("Referat fra møtet.", "referat.txt", "text/plain", b"Kort referat.\n")
    assert done.status_code == 302, done.text[:2000]
    assert counts() == (before[0] + 1, before[1] + 1, before[2] + 1)
    [stored] = _files(small_media)
    assert stored.read_bytes() == b"Kort referat.\n"
