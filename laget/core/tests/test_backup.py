"""A backup restored into a new, empty database gives the same audit log (verify passes with the
same root and checkpoints) and the same uploaded files; a restore never overwrites data, and a
damaged backup is refused — each refusal one line and exit 2."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection

from laget.audit import log
from laget.audit.actions import Action
from laget.audit.services import audit_record
from laget.core import backup

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(settings.BASE_DIR)


def _events(n: int) -> None:
    for i in range(n):
        audit_record(action=Action.LOGIN_FAILED, actor=None, details={"n": i})
    log.sequence()
    log.checkpoint()


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database of the kind the suite runs on; dropped afterwards."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"laget_restore_{uuid.uuid4().hex[:8]}"
    dsn = (f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} "
           f"user={db['USER']} password={db['PASSWORD']} dbname=postgres")
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
               f"{db['PORT'] or 5432}/{name}")
    finally:
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_and_restore_into_a_new_database(tmp_path, fresh_database):
    _events(7)
    default_storage.save("vedlegg/test.txt", ContentFile(b"uke 47"))
    before = log.verify()
    assert before.size == 7 and before.checkpoints >= 1

    result = backup.backup(out=tmp_path / "backups")
    assert set(result.files) == {"database.dump" if connection.vendor == "postgresql"
                                 else "database.sqlite3", "media.tar"}

    var = tmp_path / "restored-var"
    env = {**os.environ, "DATABASE_URL": fresh_database, "LAGET_VAR_DIR": str(var),
           "LAGET_LOG_SIGNING_KEY_FILE": str(settings.LAGET_LOG_SIGNING_KEY_FILE)}
    restored = _manage(env, "restore", str(result.folder))
    assert restored.returncode == 0, restored.stderr
    verified = _manage(env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert (f"verified 7 entries, root {before.root.hex()}, {before.checkpoints} checkpoints"
            in verified.stdout)
    assert (var / "media" / "vedlegg" / "test.txt").read_bytes() == b"uke 47"

    again = _manage(env, "restore", str(result.folder))
    assert again.returncode == 2
    assert again.stderr == ("CommandError: restore: the database is not empty: restore only "
                            "into a new database\n")


def test_a_damaged_backup_is_refused(tmp_path):
    _events(2)
    result = backup.backup(out=tmp_path)
    damaged = result.folder / ("database.dump" if connection.vendor == "postgresql"
                               else "database.sqlite3")
    damaged.write_bytes(damaged.read_bytes()[:-10])
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.restore(folder=result.folder)
    with pytest.raises(backup.BackupError, match="not a Laget backup"):
        backup.restore(folder=tmp_path)


def test_the_command_writes_the_folder(tmp_path, capsys):
    call_command("backup", "--out", str(tmp_path))
    folder = Path(capsys.readouterr().out.strip())
    assert folder.parent == tmp_path and (folder / "manifest.json").exists()
