"""`manage.py analytics`: recompute the indicators computed from Laget's data, load the open
figures shipped with the repository (or the områdesatsinger of today), or import a statistics
file (exit 2 and one line on stderr if the file or its arguments are bad; nothing is written
then)."""

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from laget.analytics import compute, importer, programmes, services
from laget.analytics.services import ImportError_


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text}-01")
    except ValueError:
        raise ImportError_(f"month {text!r} is not like 2026-03") from None


class Command(BaseCommand):
    help = "Area analytics: recompute | load-open-data | load-programmes | import FILE."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        recompute = sub.add_parser("recompute", help="Recompute the computed indicators.")
        recompute.add_argument("--months", type=int, default=compute.DEFAULT_MONTHS,
                               help="How many months back from this one (default 24).")
        recompute.add_argument("--from", dest="since", help="First month, YYYY-MM.")
        recompute.add_argument("--to", dest="until", help="Last month, YYYY-MM.")
        sub.add_parser("load-open-data",
                       help="Indicator definitions, population and the policy paper's figures.")
        sub.add_parser("load-programmes",
                       help="The three områdesatsinger of today with their areas (sourced).")
        load = sub.add_parser("import", help="Import a JSON-stat 2.0 or statistikkbank CSV file.")
        load.add_argument("file", type=Path)
        load.add_argument("--indicator", required=True)
        load.add_argument("--format", choices=["jsonstat", "csv"], required=True)
        load.add_argument("--source", required=True)
        load.add_argument("--table-id", default="")
        load.add_argument("--url", default="")
        load.add_argument("--fetched-on", required=True, help="YYYY-MM-DD")
        load.add_argument("--licence", required=True)
        load.add_argument("--synthetic", action="store_true")
        load.add_argument("--select", action="append", default=[],
                          help="JSON-stat: DIMENSION=CATEGORY for a dimension with several.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            message = getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except ImportError_ as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from None
        if options["verbosity"] >= 1:
            self.stdout.write(message)

    def _recompute(self, options: dict[str, Any]) -> str:
        if options["since"] or options["until"]:
            if not (options["since"] and options["until"]):
                raise ImportError_("give both --from and --to")
            month, last = _month(options["since"]), _month(options["until"])
            if last < month:
                raise ImportError_("--to is before --from")
            months = []
            while month <= last:
                months.append(month)
                month = compute.next_month(month)
        else:
            if options["months"] < 1:
                raise ImportError_("--months must be at least 1")
            months = compute.last_months(options["months"])
        written = compute.recompute(months=months)
        return ", ".join(f"{key}: {n}" for key, n in written.items())

    def _load_open_data(self, options: dict[str, Any]) -> str:
        services.indicators_sync()
        population = services.population_load()
        seed = services.seed_figures_load()
        return f"population: {population}, policy paper: {seed}"

    def _load_programmes(self, options: dict[str, Any]) -> str:
        return f"programmes: {programmes.programmes_load()}"

    def _import(self, options: dict[str, Any]) -> str:
        path: Path = options["file"]
        if not path.is_file():
            raise ImportError_(f"{path}: no such file")
        try:
            fetched_on = dt.date.fromisoformat(options["fetched_on"])
        except ValueError:
            raise ImportError_(f"--fetched-on {options['fetched_on']!r} is not a date") from None
        if options["format"] == "csv":
            figures = importer.read_csv(path)
        else:
            select = {}
            for pair in options["select"]:
                dim, sep, cat = pair.partition("=")
                if not sep:
                    raise ImportError_(f"--select {pair!r} is not DIMENSION=CATEGORY")
                select[dim] = cat
            figures = importer.read_jsonstat(path, select=select)
        written = services.figures_import_with_dataset(
            indicator_key=options["indicator"], figures=figures, source=options["source"],
            table_id=options["table_id"], url=options["url"], fetched_on=fetched_on,
            licence=options["licence"], synthetic=options["synthetic"])
        return f"{options['indicator']}: {written}"
