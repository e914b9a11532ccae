"""`/metrics` in the Prometheus text format, or OpenMetrics when the scraper's Accept header asks
for it (prometheus_client's `choose_encoder`, as its own servers do), from laget.web.metrics;
answered by laget.web.probes.ProbeMiddleware ahead of the other middleware. Only for a scrape from
the loopback or with the bearer token (`metrics_allowed`); anyone else gets a bare 404, as if
there were no such page."""

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.views.decorators.http import require_safe
from prometheus_client.exposition import choose_encoder

from laget.web.metrics import metrics_allowed, scrape_registry


@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return HttpResponseNotFound("Not Found", content_type="text/plain; charset=utf-8")
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    response = HttpResponse(encode(scrape_registry()), content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response
