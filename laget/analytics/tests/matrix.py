"""The object behind the area analytics' placeholder in tests/test_authorization_matrix.py: the
indicator definitions (the URL names an indicator by its key)."""

from laget.analytics.services import indicators_sync


def analytics_objects() -> dict[str, object]:
    indicators_sync()
    return {"INDICATOR": "concerns_received"}
