"""The demo's area analytics: the indicator definitions, the open figures shipped with the
repository (population from SSB via csdata, the policy paper's kindergarten and near-school
figures), synthetic levekår figures where no open data is in the repository — in a dataset
marked synthetic, so they are labelled «syntetisk» wherever they are shown — and a recompute
over the demo's own data. All through the real services; deterministic and idempotent (the
imports replace in place, the recompute replaces its months)."""

import datetime as dt
import hashlib
from decimal import Decimal

from laget.analytics import compute, services
from laget.areas.models import District, DistrictKind

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
    return written
