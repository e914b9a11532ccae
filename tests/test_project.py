"""Promises the project makes as a whole: the README's two commands, production settings,
the layer contract, the demo data, the security headers and the error pages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```[a-z]*\n(.*?)```", text, re.S)
    assert block, "README.md needs a fenced code block"
    commands = [line.strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    assert text.index("```") < text.index("\n## "), "the commands come before any section"
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_check_deploy_passes_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS",
                        "LAGET_STATIC_MANIFEST", "LAGET_ALLOW_SYNTHETIC_IDS", "LAGET_DEMO"}}
    env.update({
        "SECRET_KEY": "x" * 20 + "production-like-secret-key-with-enough-entropy-9f8e7d6c",
        "ALLOWED_HOSTS": "laget.oslo.kommune.no",
        "LAGET_VAR_DIR": str(tmp_path),
    })
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_mode_cannot_be_switched_on_in_production(tmp_path):
    env = dict(os.environ, DEBUG="0", LAGET_DEMO="1", LAGET_VAR_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "LAGET_DEMO needs DEBUG=1" in result.stderr


def test_apps_import_only_from_layers_below():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    result = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "."],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout


@pytest.mark.django_db
def test_migrations_are_complete():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("web:accessibility"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_error_pages_are_in_the_house_style(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Fant ikke siden" in body and "pkt.min.css" in body


@pytest.mark.django_db
def test_demo_data_is_synthetic_deterministic_and_idempotent():
    from laget.accounts.models import User
    from laget.demo.builder import build_demo
    from laget.people.identifiers import parse_national_id
    from laget.people.models import Person

    first = build_demo(seed=7, persons=30)
    numbers = set(Person.objects.exclude(national_id=None).values_list("national_id", flat=True))
    second = build_demo(seed=7, persons=30)
    assert second.created_persons == 0
    assert first.created_cases > 0 and second.created_cases == 0
    assert Person.objects.count() == first.persons == 30
    assert User.objects.count() == first.users == 48  # 13 per pilot bydel, 9 for the city
    assert all(p.is_synthetic for p in Person.objects.all())
    import datetime as dt

    for number in numbers:  # real numbers are impossible by construction
        assert parse_national_id(number, today=dt.date(2026, 1, 2), allow_synthetic=True).synthetic
    ages = {p.age_on(dt.date(2026, 1, 1)) for p in Person.objects.all()}
    assert min(ages) >= 10 and max(ages) <= 24
    roles = set(User.objects.values_list("memberships__role", flat=True))
    assert roles == {"caseworker", "coordinator", "leader", "analyst", "auditor", "admin",
                     "prosecutor"}
    # the workflow is there once: plans, a held and a coming meeting per open case, concerns
    from laget.cases.models import Concern, Handover, Meeting, MeetingStatus, Plan, Task
    from laget.records.models import Case

    open_cases = Case.objects.open().count()
    assert Plan.objects.count() == open_cases > 0
    assert Meeting.objects.filter(status=MeetingStatus.HELD).count() == open_cases
    assert Task.objects.overdue().exists() and Task.objects.filter(status="done").exists()
    assert Concern.objects.exists() and Handover.objects.count() <= 1
    # the police's registrations and the fast track, once
    from laget.fasttrack.models import YouthCase
    from laget.policing.models import PoliceRegistration

    assert PoliceRegistration.objects.filter(weapon_type="kniv").exists()
    counts = (Plan.objects.count(), Meeting.objects.count(), Concern.objects.count(),
              PoliceRegistration.objects.count(), YouthCase.objects.count())
    build_demo(seed=7, persons=30)
    assert (Plan.objects.count(), Meeting.objects.count(), Concern.objects.count(),
            PoliceRegistration.objects.count(), YouthCase.objects.count()) == counts
