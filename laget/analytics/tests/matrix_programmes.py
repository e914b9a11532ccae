"""The objects behind the områdesatsinger's placeholders in tests/test_authorization_matrix.py:
the three programmes of today, a commitment and a development plan in Groruddalssatsingen."""

import datetime as dt

from laget.analytics.models import AreaProgramme, Commitment, DevelopmentPlan
from laget.analytics.programmes import programmes_load


def programmes_objects() -> dict[str, object]:
    programmes_load()
    programme = AreaProgramme.objects.get(key="groruddalssatsingen")
    commitment = Commitment.objects.create(
        programme=programme, party_kind="state", party_name="Politiet",
        what="Flere patruljer.", due_on=dt.date(2026, 6, 1))
    plan = DevelopmentPlan.objects.create(programme=programme, district_id="030111",
                                          name="Plan i Stovner")
    return {"AREAPROGRAMME": programme.pk, "COMMITMENT": commitment.pk, "DEVPLAN": plan.pk}
