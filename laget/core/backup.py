"""Backups and restores of Laget's data: the database and the uploaded files, in one folder per
backup, with a manifest of what is in it and SHA-256 checksums.

- PostgreSQL: `pg_dump --format=custom` (a consistent snapshot while Laget runs); restored with
  `pg_restore` into an empty database.
- SQLite: the online backup API (`sqlite3.Connection.backup`), consistent while Laget writes in
  WAL mode; restored by copying the file into place.
- Uploaded files (`STORAGES["default"]`'s folder) as a tar file.

The log's signing key is not in a backup: it lives outside the database on purpose
(`LAGET_LOG_SIGNING_KEY_FILE`), and is kept the way the operator keeps other secrets. The
restored log verifies against its stored checkpoints without it; new checkpoints need it.

A restore refuses a database that already has Laget's tables, so it can never overwrite data;
`manage.py audit verify` after a restore proves the log came back whole."""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from laget.core import clock

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one line for the operator."""


@dataclass(frozen=True)
class BackupResult:
    folder: Path
    files: dict[str, str]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432),
            "--username", str(db.get("USER") or "postgres")]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed")
    # pg_dump and pg_restore with our own settings as arguments, never a shell
    result = subprocess.run(command, env=env, capture_output=True, text=True,  # noqa: S603
                            check=False)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{command[0]}: {last}")


def _media_root() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def backup(*, out: Path) -> BackupResult:
    """Write a new backup folder under `out`; its path and files with their checksums."""
    stamp = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    folder = out / f"laget-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    db = settings.DATABASES["default"]
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_env(db)
        _run(["pg_dump", *args, "--format=custom", "--no-owner",
              "--file", str(folder / "database.dump"), str(db["NAME"])], env)
    elif vendor == "sqlite":
        source = sqlite3.connect(str(db["NAME"]))
        target = sqlite3.connect(str(folder / "database.sqlite3"))
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        raise BackupError(f"no backup for the {vendor} database")
    media = _media_root()
    with tarfile.open(folder / "media.tar", "w") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    files = {p.name: _sha256(p) for p in sorted(folder.iterdir())}
    (folder / MANIFEST).write_text(json.dumps({
        "format": FORMAT, "made_at": clock.now().isoformat(), "database": vendor,
        "files": files}, indent=2), encoding="utf-8")
    return BackupResult(folder, files)


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{folder} is not a Laget backup (no readable {MANIFEST})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, digest in manifest.get("files", {}).items():
        path = folder / name
        if not path.exists() or _sha256(path) != digest:
            raise BackupError(f"{name} is missing or damaged (checksum differs)")
    return manifest


def _has_tables() -> bool:
    return "audit_auditevent" in connection.introspection.table_names()


def restore(*, folder: Path) -> str:
    """Restore the backup in `folder` into the configured database, which must be empty, and the
    uploaded files into the empty media folder; what was restored, in one line."""
    manifest = _manifest(folder)
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(f"the backup is of a {manifest['database']} database, this is {vendor}")
    if _has_tables():
        raise BackupError("the database is not empty: restore only into a new database")
    media = _media_root()
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"the media folder {media} is not empty")
    db = settings.DATABASES["default"]
    if vendor == "postgresql":
        args, env = _pg_env(db)
        _run(["pg_restore", *args, "--no-owner", "--exit-on-error", "--dbname", str(db["NAME"]),
              str(folder / "database.dump")], env)
    else:
        connection.close()
        target = Path(str(db["NAME"]))
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(folder / "database.sqlite3", target)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar") as archive:
        archive.extractall(media.parent, filter="data")
    return f"restored {vendor} database and files from {folder.name} (made {manifest['made_at']})"
