"""The archive pages, the command, and the privacy paperwork as pages and PDFs."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from laget.accounts.models import AgencyType, Role
from laget.audit.models import AuditEvent
from laget.core import clock
from laget.lifecycle import paperwork
from laget.lifecycle.models import ArchiveExtract
from laget.lifecycle.retention import RetentionError, parse_retention
from laget.sharing.selectors_rules import rule_list, rulebook_in_force
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_the_leader_builds_an_extract_from_the_page_and_downloads_it(client, login, scene):
    login(client, scene.leader.user)
    # every request at one (frozen) time: the session's idle timeout runs on the same clock
    with clock.frozen(scene.later):
        page = client.get(reverse("web:lifecycle_archive"))
        assert str(scene.case.pk) in page.content.decode()
        assert scene.case.person.family_name not in page.content.decode()
        response = client.post(reverse("web:lifecycle_build"))
        extract = ArchiveExtract.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("web:lifecycle_extract", args=[extract.pk])
        detail = client.get(response["Location"])
        assert detail.status_code == 200
        assert str(scene.police_entry.pk) in detail.content.decode()  # listed as left out
        download = client.get(reverse("web:lifecycle_extract_zip", args=[extract.pk]))
        assert download.status_code == 200
        body = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert f"{extract.pk}/arkivstruktur.xml" in archive.namelist()
    assert AuditEvent.objects.filter(action="lifecycle.archive_download").count() == 1


def test_an_auditor_sees_what_left_but_not_the_zip(client, login, scene, make_member):
    with clock.frozen(scene.later):
        from laget.lifecycle.services import archive_extract_build
        extract = archive_extract_build(actor=scene.leader)
    auditor = make_member(Role.AUDITOR, agency_type=AgencyType.BY, district=None)
    login(client, auditor)
    assert client.get(reverse("web:lifecycle_extract", args=[extract.pk])).status_code == 200
    assert client.get(reverse("web:lifecycle_extract_zip", args=[extract.pk])).status_code == 403
    login(client, scene.coordinator.user)
    assert client.get(reverse("web:lifecycle_archive")).status_code == 403


def test_the_command_builds_and_exits_2_on_bad_input(scene, tmp_path, capsys):
    with pytest.raises(SystemExit) as bad:
        call_command("archive_extract", "--leader", "ingen-slik")
    assert bad.value.code == 2
    with pytest.raises(SystemExit) as early, clock.frozen(scene.later - dt.timedelta(days=2)):
        call_command("archive_extract", "--leader", scene.leader.user.username)
    assert early.value.code == 2
    assert "Ingen saker" in capsys.readouterr().err
    with pytest.raises(SystemExit) as wrong_out:
        call_command("archive_extract", "--leader", scene.leader.user.username,
                     "--out", str(tmp_path / "finnes-ikke"))
    assert wrong_out.value.code == 2
    with clock.frozen(scene.later):
        call_command("archive_extract", "--leader", scene.leader.user.username,
                     "--bydel", "030111", "--out", str(tmp_path))
    extract = ArchiveExtract.objects.get()
    assert (tmp_path / extract.zip_name).is_file()


def test_the_record_of_processing_comes_from_the_rulebook(client, login, make_member, rulebook):
    login(client, make_member(Role.CASEWORKER, agency_type=AgencyType.SKOLE))
    page = client.get(reverse("web:lifecycle_record")).content.decode()
    rules = rule_list(version=rulebook_in_force())
    assert rules and all(rule.rule_id in page for rule in rules)
    assert rules[0].citation in page
    assert "Særlige kategorier (GDPR art. 9)" in page
    assert "bystyrets vedtak (må fastsettes)" in page
    text = pdf_text(client.get(reverse("web:lifecycle_record_pdf")).content)
    assert "Protokoll over behandlingsaktiviteter" in text and rules[0].rule_id in text


def test_the_dpia_takes_risks_and_controls_from_security_md(client, login, make_member, rulebook):
    dpia = paperwork.dpia_document()
    assert any(r.who.startswith("Rogue admin") for r in dpia.risks)
    sharing = next(c for c in dpia.controls if c.heading.startswith("Who may see what"))
    assert "laget/sharing/tests/test_scenarios.py" in sharing.test_files
    assert sharing.test_count >= paperwork._count_tests(
        paperwork.REPO / "laget/sharing/tests/test_scenarios.py") > 0
    assert dpia.open_points
    login(client, make_member(Role.ANALYST, agency_type=AgencyType.BY, district=None))
    page = client.get(reverse("web:lifecycle_dpia")).content.decode()
    assert "Fylles ut av personvernombudet" in page and sharing.heading in page
    text = pdf_text(client.get(reverse("web:lifecycle_dpia_pdf")).content)
    assert "Personvernkonsekvensvurdering" in text


def test_the_retention_schedule_is_loaded_strictly():
    from laget.lifecycle.retention import RETENTION_FILE, retention_schedule
    assert len(retention_schedule().entries) == 14
    text = RETENTION_FILE.read_text(encoding="utf-8")
    for broken, reason in [
        (text.replace("  - applies_to: helse\n", "  - applies_to: helsa\n"), "helsa"),
        (text.replace("    action: bevares\n", "    action: beholdes\n", 1), "action"),
        (text.replace("version: 1", "version: 1\nextra: x"), "extra"),
        (text.replace("    erase_after_months: 6\n", "    erase_after_months: 0\n"),
         "erase_after_months below 1"),
        (text.replace("    erase_after_months: 36\n", ""), "case: erase_after_months"),
        ("- bare en liste", "mapping"),
    ]:
        with pytest.raises(RetentionError) as error:
            parse_retention(broken)
        assert reason in error.value.message
    without_audit = text.split("  - applies_to: audit_log")[0]
    with pytest.raises(RetentionError, match="audit_log"):
        parse_retention(without_audit)
