"""No second way to entries or personal data: not the admin, not a direct query."""

import re
from pathlib import Path

from django.contrib import admin

ROOT = Path(__file__).resolve().parents[3]
PERSONAL = {"records", "people", "audit"}
ALLOWED_SHARING = {"rulebookversion", "rule"}
#: records.access, or the Entry model's own managers (not another model whose name ends in Entry)
BACK_DOOR = re.compile(r"records\.access|\bEntry\.(objects|_base_manager)\b")


def test_admin_shows_no_personal_data_or_entries():
    for model in admin.site._registry:
        label = model._meta.app_label
        assert label not in PERSONAL, model
        if label == "sharing":
            assert model._meta.model_name in ALLOWED_SHARING, model


def test_only_the_sharing_engine_opens_the_entries_table():
    """Outside laget/sharing (and tests), no module touches records.access or Entry.objects."""
    offenders = []
    for path in (ROOT / "laget").rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("laget/sharing/", "laget/records/")) or "/tests/" in relative:
            continue
        text = path.read_text(encoding="utf-8")
        if BACK_DOOR.search(text):
            offenders.append(relative)
    assert offenders == []



def test_check_warns_until_a_rulebook_is_loaded(db, rulebook):
    from django.core.checks import run_checks

    from laget.sharing.models import RulebookVersion

    assert not [m for m in run_checks(databases=["default"]) if m.id == "laget.sharing.W001"]
    RulebookVersion.objects.all().delete()
    assert [m.id for m in run_checks(databases=["default"]) if m.id.startswith("laget.sharing")
            ] == ["laget.sharing.W001"]
