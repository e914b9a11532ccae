"""Strict readers for the two shapes open statistics on Oslo's areas come in: SSB's PxWeb API
answers in JSON-stat 2.0, and Oslo kommune's statistikkbank (also PxWeb) exports semicolon CSV.
Both give `services.Figure`s for `services.figures_import`; the first problem stops the read with
one line naming the file, the place in it and the problem.

JSON-stat: exactly one dimension holds the areas (codes like 030111 for a bydel, 03011101 for a
delbydel, or "0301xx"-prefixed labels) and one the time ("2024" or "2024M03"); every other
dimension must have a single category, or be pinned with `select={dimension: category}`.
Missing values (null) are skipped.

CSV: a header line whose first cell names the area column and the rest are periods ("2024" or
"2024M03"); each further line an area — a code, a code and a name ("030111 Stovner"), or a
bydel's name with or without "Bydel " — and its values with a decimal comma or point; "..",
":" and "." mean no figure. UTF-8, a byte-order mark tolerated.
"""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from laget.analytics.services import Figure, ImportError_
from laget.areas.models import District, Subdistrict

_PERIOD = re.compile(r"^(\d{4})(?:M(\d{2}))?$")
_CODE = re.compile(r"^(0301\d{2}(?:\d{2})?)\b")
_MISSING = {"..", ":", ".", ""}


def _period(text: str, where: str) -> dt.date:
    match = _PERIOD.match(text.strip())
    if not match:
        raise ImportError_(f"{where}: period {text!r} is not like 2024 or 2024M03")
    month = int(match.group(2) or 1)
    if not 1 <= month <= 12:
        raise ImportError_(f"{where}: period {text!r} has no such month")
    return dt.date(int(match.group(1)), month, 1)


def _area(label: str, names: dict[str, str], where: str) -> str:
    text = label.strip()
    match = _CODE.match(text)
    if match:
        return match.group(1)
    code = names.get(text.lower().removeprefix("bydel ").strip())
    if code is None:
        raise ImportError_(f"{where}: unknown area {label!r}")
    return code


def _names() -> dict[str, str]:
    names = {name.lower(): code for code, name in District.objects.values_list("code", "name")}
    for code, name in Subdistrict.objects.values_list("code", "name"):
        names.setdefault(name.lower(), code)
    return names


def _value(text: Any, where: str) -> Decimal | None:
    if text is None:
        return None
    if isinstance(text, bool):
        raise ImportError_(f"{where}: {text!r} is not a number")
    if isinstance(text, int | float):
        return Decimal(str(text))
    cleaned = str(text).strip().replace("\u00a0", "").replace(" ", "")
    if cleaned in _MISSING:
        return None
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ImportError_(f"{where}: {text!r} is not a number") from None


def read_csv(path: Path) -> list[Figure]:
    """Figures from a statistikkbank CSV export (see the module's docstring)."""
    text = path.read_bytes().decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    rows = list(reader)
    if not rows or len(rows[0]) < 2:
        raise ImportError_(f"{path}:1: expected an area column and at least one period")
    periods = [_period(cell, f"{path}:1") for cell in rows[0][1:]]
    names = _names()
    figures, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        where = f"{path}:{number}"
        if not any(cell.strip() for cell in row):
            raise ImportError_(f"{where}: empty line")
        if len(row) != len(rows[0]):
            raise ImportError_(f"{where}: {len(row)} columns, expected {len(rows[0])}")
        area = _area(row[0], names, where)
        if area in seen:
            raise ImportError_(f"{where}: area {area} twice")
        seen.add(area)
        for period, cell in zip(periods, row[1:], strict=True):
            value = _value(cell, where)
            if value is not None:
                figures.append(Figure(area, period, value))
    return figures


def read_jsonstat(path: Path, *, select: dict[str, str] | None = None) -> list[Figure]:
    """Figures from a JSON-stat 2.0 dataset as SSB's PxWeb API gives it (see the docstring)."""
    select = select or {}
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{path}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("class") != "dataset" or data.get(
            "version") != "2.0":
        raise ImportError_(f"{path}: not a JSON-stat 2.0 dataset")
    ids, sizes, dims, values = (data.get("id"), data.get("size"), data.get("dimension"),
                                data.get("value"))
    if not (isinstance(ids, list) and isinstance(sizes, list) and isinstance(dims, dict)
            and len(ids) == len(sizes)):
        raise ImportError_(f"{path}: id, size and dimension do not fit together")
    categories: list[list[str]] = []
    for dim_id, size in zip(ids, sizes, strict=True):
        index = dims.get(dim_id, {}).get("category", {}).get("index")
        if isinstance(index, dict):
            ordered = sorted(index, key=index.__getitem__)
        elif isinstance(index, list):
            ordered = list(index)
        else:
            raise ImportError_(f"{path}: dimension {dim_id}: no category index")
        if len(ordered) != size:
            raise ImportError_(f"{path}: dimension {dim_id}: {len(ordered)} categories, size "
                               f"{size}")
        categories.append(ordered)
    role = data.get("role", {})
    time_dims = [d for d in ids if d in role.get("time", []) or d.lower() in {"tid", "time"}]
    geo_dims = [d for d in ids if d in role.get("geo", []) or d.lower() in {"region", "bydel"}]
    if len(time_dims) != 1 or len(geo_dims) != 1:
        raise ImportError_(f"{path}: expected one time and one area dimension")
    total = 1
    for size in sizes:
        total *= size
    if isinstance(values, dict):
        values = [values.get(str(i)) for i in range(total)]
    if not isinstance(values, list) or len(values) != total:
        raise ImportError_(f"{path}: value has not {total} entries")
    for dim_id, cats in zip(ids, categories, strict=True):
        if dim_id in (time_dims[0], geo_dims[0]):
            continue
        if dim_id in select:
            if select[dim_id] not in cats:
                raise ImportError_(f"{path}: dimension {dim_id} has no category "
                                   f"{select[dim_id]!r}")
        elif len(cats) != 1:
            raise ImportError_(f"{path}: dimension {dim_id} has {len(cats)} categories; "
                               f"choose one")
    names = _names()
    figures = []
    for flat, raw in enumerate(values):
        position, rest = [], flat
        for size in reversed(sizes):
            position.append(rest % size)
            rest //= size
        position.reverse()
        chosen = {dim_id: cats[i] for dim_id, cats, i in zip(ids, categories, position,
                                                            strict=True)}
        if any(chosen[d] != c for d, c in select.items()):
            continue
        where = f"{path}: value[{flat}]"
        value = _value(raw, where)
        if value is None:
            continue
        figures.append(Figure(_area(chosen[geo_dims[0]], names, where),
                              _period(chosen[time_dims[0]], where), value))
    return figures
