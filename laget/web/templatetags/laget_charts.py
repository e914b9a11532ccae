"""`{% vega_chart spec caption %}`: a Vega-Lite chart with its numbers in a table beside it, and
`{% vega_chart_assets %}`, the scripts that draw it (once per page, after the charts).

The table is the content (screen readers, no JavaScript, print); the drawing only repeats it and
is hidden from assistive technology. Specs come from `laget.web.charts`.
"""

import secrets
from collections.abc import Mapping
from typing import Any

from django import template

from laget.web.charts import table_of

register = template.Library()


@register.inclusion_tag("web/includes/chart.html")
def vega_chart(spec: Mapping[str, Any], caption: str) -> dict[str, Any]:
    return {
        "spec": spec,
        "caption": caption,
        "table": table_of(spec),
        # Ties the table to the caption; a page may hold several charts.
        "chart_id": f"diagram-{secrets.token_hex(4)}",
    }


@register.inclusion_tag("web/includes/chart_assets.html", takes_context=True)
def vega_chart_assets(context: template.Context) -> dict[str, Any]:
    return {"csp_nonce": context.get("csp_nonce")}
