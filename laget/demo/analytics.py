"""The demo's area analytics: the indicator definitions, the open figures shipped with the
repository (population from SSB via csdata, the policy paper's kindergarten and near-school
figures), synthetic levekår figures where no open data is in the repository — in a dataset
marked synthetic, so they are labelled «syntetisk» wherever they are shown — and a recompute
over the demo's own data; the områdesatsinger with a few demo commitments. All through the real
services; deterministic and idempotent (the imports replace in place, the recompute replaces its
months, the demo commitments are made once)."""

import datetime as dt
import hashlib
from decimal import Decimal

from laget.accounts.actor import Actor
from laget.accounts.models import Membership, Role
from laget.analytics import compute, programmes, services
from laget.analytics.models import AreaProgramme, Commitment, Indicator
from laget.areas.models import District, DistrictKind, Subdistrict
from laget.core import clock

SYNTHETIC_YEARS = (2022, 2023, 2024)


def _synthetic_share(code: str, year: int) -> Decimal:
    """A made-up share between 4 and 32 %, stable per bydel and year."""
    digest = hashlib.sha256(f"levekar:{code}:{year}".encode()).digest()
    return Decimal(40 + digest[0] % 280) / 10


def build_analytics() -> dict[str, int]:
    services.indicators_sync()
    written = {"population": services.population_load(), "seed": services.seed_figures_load()}
    dataset = services.dataset_get_or_create(
        source="Syntetiske demotall (Laget)", table_id="", fetched_on=dt.date(2026, 1, 1),
        licence="–", synthetic=True,
        note="Laget for demoen; SSBs levekårstall per bydel er ikke lagt i repoet.")
    codes = District.objects.filter(kind=DistrictKind.BYDEL).order_by("code").values_list(
        "code", flat=True)
    written["synthetic"] = services.figures_import(
        indicator_key="low_income_children", dataset=dataset, figures=[
            services.Figure(code, dt.date(year, 1, 1), _synthetic_share(code, year))
            for code in codes for year in SYNTHETIC_YEARS])
    written.update(compute.recompute())
    written["programmes"] = build_programmes()
    return written


DEMO_ANALYST = "analytiker"


def build_programmes() -> int:
    """The three områdesatsinger of today (sourced), and — once, as the demo's analyst, through
    the audited services — a few commitments and a development plan marked «(demo)», drawn from
    the policy paper's examples, one of them past its due date so the board shows it."""
    count = programmes.programmes_load()
    membership = (Membership.objects.filter(user__username=DEMO_ANALYST, role=Role.ANALYST)
                  .select_related("user", "agency").first())
    if membership is None or Commitment.objects.filter(party_name__endswith="(demo)").exists():
        return count
    actor = Actor(membership.user, membership)
    today = clock.today()
    by_key = {p.key: p for p in AreaProgramme.objects.all()}
    indicator = {i.key: i for i in Indicator.objects.all()}
    rows = (
        ("groruddalssatsingen", "state", "Politiet (demo)",
         "Konkretisert politiinnsats: fast nærpoliti i delbydelene med flest pågripelser av "
         "mindreårige.", "police_apprehensions_minors", today + dt.timedelta(days=90),
         "in_progress", ""),
        ("oslo-sor", "state", "NAV (demo)", "Flere jobbplasser for unge 15–24 år i bydelen.",
         "job_places_per_1000", today - dt.timedelta(days=21), "planned", ""),
        ("oslo-sor", "developer", "Utbygger på Mortensrud (demo)",
         "Glass og gjennomsiktige dører inn til trappeoppgangene i de nye byggene.", None,
         today + dt.timedelta(days=180), "planned", ""),
        ("oslo-indre-ost", "city", "Bydel Gamle Oslo (demo)",
         "Utvidet åpningstid i fritidsklubben.", "club_hours_per_1000",
         today - dt.timedelta(days=60), "done", "Demo: vedtatt i bydelsutvalget."),
    )
    for key, kind, party, what, measure, due, status, evidence in rows:
        programmes.commitment_create(
            actor=actor, programme=by_key[key], party_kind=kind, party_name=party, what=what,
            indicator=indicator.get(measure) if measure else None, due_on=due, status=status,
            evidence=evidence)
    mortensrud = Subdistrict.objects.filter(code="03011505").select_related("district").first()
    if mortensrud is not None:
        plan = programmes.plan_create(
            actor=actor, programme=by_key["oslo-sor"], district=mortensrud.district,
            subdistrict=mortensrud, name="Utviklingsplan Mortensrud (demo)",
            developer="Utbygger på Mortensrud (demo)")
        programmes.checklist_update(actor=actor, plan=plan, items={
            "lighting": ("ok", "Demo."),
            "transparent_entrances": ("needs_work", "Demo: politiets innspill om glass og "
                                                    "gjennomsiktige dører."),
            "garage_basement_access": ("needs_work", "Demo."),
        })
    return count
