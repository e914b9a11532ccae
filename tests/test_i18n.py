"""The translation catalogues in locale/ are complete, current and compiled.

Bokmål (nb) is the source language: its msgids are the UI text and every msgstr repeats its msgid.
English (en) translates every entry. When one of these tests fails after a change to the code, run

    make messages    (makemessages -l nb -l en --no-obsolete --no-location, then compilemessages)

translate the new entries in both django.po files, and commit the .po and .mo files together.

The checks use the GNU gettext tools (msgfmt) and a small PO reader below; polib is not needed.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
LANGUAGES = ("nb", "en")
# The family pages' languages beyond nb/en (laget.family.language): machine-level drafts of the
# family pages' text only, kept by hand (makemessages runs for nb and en alone), marked as drafts
# in their headers. They need not hold every string: what they lack falls back to bokmål.
DRAFT_LANGUAGES = ("nn", "so", "ar", "ur", "pl", "ti")
FAMILY_TEMPLATES = BASE_DIR / "laget" / "family" / "templates"

# What makemessages must scan: Laget's code, not the virtualenv, runtime data or vendored assets.
IGNORE = (".venv", "var", "node_modules", "laget/web/static")
MAKEMESSAGES_ARGS = (
    "makemessages",
    "-l",
    "nb",
    "-l",
    "en",
    "--no-obsolete",
    "--no-location",
    *(f"--ignore={pattern}" for pattern in IGNORE),
)
# makemessages reads these extensions for the "django" domain.
SCANNED_EXTENSIONS = (".py", ".html", ".txt")

# printf-style placeholders as Python's %-formatting reads them: %(name)s, %s, %d, %.2f ...
PRINTF = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]"
)
BRACE = re.compile(r"(?<!\{)\{(?!\{)[^{}]*\}")


# --- helpers ------------------------------------------------------------------------------------


def po_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / "django.po"


def mo_path(locale_dir: Path, lang: str) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / "django.mo"


def _tool_env() -> dict[str, str]:
    """msgfmt prints its statistics in the user's language unless told otherwise."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("LANGUAGE", None)
    return env


def _unquote(token: str) -> str:
    token = token.strip()
    assert token.startswith('"') and token.endswith('"'), f"not a PO string: {token!r}"
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    out, body, i = [], token[1:-1], 0
    while i < len(body):
        if body[i] == "\\":
            out.append(escapes.get(body[i + 1], body[i + 1]))
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def read_po(path: Path) -> list[dict]:
    """Entries of a PO file as dicts: flags, msgctxt, msgid, msgid_plural, msgstr (a list: one
    element, or one per plural form), obsolete. The header is the entry with msgid ""."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple[str, int] | None = None

    def start() -> dict:
        return {
            "flags": set(),
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": [],
            "obsolete": False,
        }

    def finish() -> None:
        if entry is not None and entry["msgid"] is not None:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#"):
            if entry is not None and entry["msgid"] is not None:
                finish()
                entry, field = None, None
            entry = entry or start()
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if keyword in ("msgctxt", "msgid") and entry is not None and entry["msgid"] is not None:
                finish()
                entry = None
            entry = entry or start()
            entry["obsolete"] = entry["obsolete"] or obsolete
            if keyword == "msgstr":
                position = int(index) if index is not None else 0
                while len(entry["msgstr"]) <= position:
                    entry["msgstr"].append("")
                entry["msgstr"][position] = value
                field = ("msgstr", position)
            else:
                entry[keyword] = value
                field = (keyword, 0)
            continue
        assert line.startswith('"') and entry is not None and field is not None, (
            f"{path}: cannot read line {raw!r}"
        )
        keyword, position = field
        if keyword == "msgstr":
            entry["msgstr"][position] += _unquote(line)
        else:
            entry[keyword] += _unquote(line)
    finish()
    return entries


def messages(entries: list[dict]) -> list[dict]:
    """The translatable entries: no header, no obsolete (#~) entries."""
    return [e for e in entries if e["msgid"] != "" and not e["obsolete"]]


def header(entries: list[dict]) -> dict[str, str]:
    head = next(e for e in entries if e["msgid"] == "" and e["msgctxt"] is None)
    fields = {}
    for line in head["msgstr"][0].splitlines():
        name, _sep, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def key(entry: dict) -> tuple:
    return (entry["msgctxt"], entry["msgid"], entry["msgid_plural"])


def label(entry: dict) -> str:
    return entry["msgid"] if entry["msgctxt"] is None else f"{entry['msgctxt']}|{entry['msgid']}"


def msgfmt_statistics(path: Path) -> dict[str, int]:
    """Run `msgfmt --check --statistics` (header, format strings, plural forms are checked) and
    return the counts of translated, fuzzy and untranslated messages."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
        env=_tool_env(),
        check=False,
    )
    assert result.returncode == 0, f"msgfmt --check {path} failed:\n{result.stderr}"
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    assert counts["translated"] or counts["fuzzy"] or counts["untranslated"], (
        f"no statistics line from msgfmt for {path}: {result.stderr!r}"
    )
    return counts


def untranslated_or_fuzzy(path: Path) -> list[str]:
    return [
        label(e)
        for e in messages(read_po(path))
        if "fuzzy" in e["flags"] or not e["msgstr"] or not all(e["msgstr"])
    ]


def printf_placeholders(text: str) -> Counter:
    return Counter(m.group(0) for m in PRINTF.finditer(text) if m.group(0) != "%%")


def brace_placeholders(text: str) -> Counter:
    return Counter(BRACE.findall(text))


def _copy_sources(destination: Path) -> None:
    """Copy what makemessages reads (.py, .html, .txt outside the ignored directories) and the
    committed catalogues. makemessages has to run in a copy: it writes to any directory named
    `locale` next to the code it scans, whatever LOCALE_PATHS says."""
    ignored = {BASE_DIR / pattern for pattern in IGNORE} | {LOCALE_DIR}
    for root, dirnames, filenames in os.walk(BASE_DIR):
        here = Path(root)
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".") and d != "__pycache__" and here / d not in ignored
        ]
        for name in filenames:
            if name.endswith(SCANNED_EXTENSIONS):
                target = destination / (here / name).relative_to(BASE_DIR)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(here / name, target)
    shutil.copytree(LOCALE_DIR, destination / "locale")


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The locale directory after `makemessages` over the current code, in a scratch copy."""
    work = tmp_path_factory.mktemp("i18n")
    project = work / "project"
    _copy_sources(project)
    (work / "var" / "static").mkdir(parents=True)
    env = {
        **_tool_env(),
        "DEBUG": "1",
        "SECRET_KEY": "laget-i18n-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "LAGET_VAR_DIR": str(work / "var"),
        "LAGET_LOCALE_DIR": str(project / "locale"),
        "LAGET_DEMO": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    before = {lang: po_path(LOCALE_DIR, lang).read_bytes() for lang in LANGUAGES}
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES_ARGS],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # makemessages on a loaded 2-core machine took over 120 s
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    for lang in LANGUAGES:
        assert po_path(LOCALE_DIR, lang).read_bytes() == before[lang], (
            "makemessages wrote to the committed catalogues instead of the scratch copy"
        )
    return project / "locale"


# --- tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_valid_and_fully_translated(lang: str) -> None:
    path = po_path(LOCALE_DIR, lang)
    assert path.is_file(), f"{path} is missing; run `make messages`"
    counts = msgfmt_statistics(path)
    assert counts["fuzzy"] == 0 and counts["untranslated"] == 0, (
        f"{path}: {counts}; fuzzy or untranslated: {untranslated_or_fuzzy(path)}"
    )
    assert counts["translated"] > 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_header(lang: str) -> None:
    path = po_path(LOCALE_DIR, lang)
    entries = read_po(path)
    fields = header(entries)
    assert fields.get("Language") == lang
    assert fields.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"
    fuzzy = [label(e) or "(header)" for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"{path}: fuzzy entries: {fuzzy}"
    obsolete = [label(e) for e in entries if e["obsolete"]]
    assert not obsolete, f"{path}: obsolete (#~) entries: {obsolete}"


def test_bokmal_is_the_source_language() -> None:
    """nb translates every msgid to itself, plural forms included."""
    wrong = []
    for entry in messages(read_po(po_path(LOCALE_DIR, "nb"))):
        if entry["msgid_plural"] is None:
            expected = [entry["msgid"]]
        else:
            expected = [entry["msgid"], entry["msgid_plural"]]
        if entry["msgstr"] != expected:
            wrong.append(label(entry))
    assert not wrong, f"nb msgstr differs from msgid for: {wrong}"


def test_both_catalogues_have_the_same_entries() -> None:
    nb = {key(e) for e in messages(read_po(po_path(LOCALE_DIR, "nb")))}
    en = {key(e) for e in messages(read_po(po_path(LOCALE_DIR, "en")))}
    assert nb == en, f"only in nb: {sorted(nb - en)}; only in en: {sorted(en - nb)}"


@pytest.mark.parametrize("lang", LANGUAGES + DRAFT_LANGUAGES)
def test_placeholders_match_the_msgid(lang: str) -> None:
    """Every %(name)s (and {name} in python-brace-format entries) of the msgid, and nothing else,
    in the translation: a missing or misspelt placeholder is a KeyError at render time."""
    problems = []
    for entry in messages(read_po(po_path(LOCALE_DIR, lang))):
        sources = [entry["msgid"]]
        if entry["msgid_plural"] is not None:
            sources.append(entry["msgid_plural"])
        printf = "python-format" in entry["flags"] or any("%(" in s for s in sources)
        brace = "python-brace-format" in entry["flags"]
        allowed: Counter = Counter()
        for source in sources:
            allowed |= printf_placeholders(source)
        for position, translation in enumerate(entry["msgstr"]):
            source = sources[min(position, len(sources) - 1)]
            where = f"{label(entry)!r} [{position}]"
            if printf:
                got, want = printf_placeholders(translation), printf_placeholders(source)
                if entry["msgid_plural"] is None:
                    ok = got == want
                else:  # a singular form may leave the number out, but nothing new may appear
                    ok = not (got - allowed) and (position == 0 or got == want)
                if not ok:
                    problems.append(f"{where}: {dict(want)} -> {dict(got)}")
            if brace and brace_placeholders(translation) != brace_placeholders(source):
                problems.append(f"{where}: {{placeholders}} differ")
    assert not problems, "placeholder mismatches:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES + DRAFT_LANGUAGES)
def test_compiled_catalogue_is_up_to_date(lang: str, tmp_path: Path) -> None:
    """The committed .mo holds exactly what the committed .po compiles to."""
    committed = mo_path(LOCALE_DIR, lang)
    assert committed.is_file(), f"{committed} is missing; run `manage.py compilemessages`"
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(fresh), str(po_path(LOCALE_DIR, lang))],
        capture_output=True,
        text=True,
        env=_tool_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    if committed.read_bytes() == fresh.read_bytes():
        return
    # Another gettext version may lay the file out differently: compare the messages.
    with committed.open("rb") as a, fresh.open("rb") as b:
        old = gettext.GNUTranslations(a)._catalog  # type: ignore[attr-defined]
        new = gettext.GNUTranslations(b)._catalog  # type: ignore[attr-defined]
    stale = sorted(str(k) for k in old.keys() ^ new.keys())
    changed = sorted(str(k) for k in old.keys() & new.keys() if old[k] != new[k])
    assert old == new, (
        f"{committed} is out of date; run `manage.py compilemessages`. "
        f"Added/removed: {stale[:20]}; changed: {changed[:20]}"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_covers_the_code(lang: str, regenerated: Path) -> None:
    """makemessages over today's code finds nothing new: no untranslated or fuzzy entry appears,
    and no entry disappears (a string that left the code must leave the catalogue too)."""
    path = po_path(regenerated, lang)
    counts = msgfmt_statistics(path)
    assert counts["fuzzy"] == 0 and counts["untranslated"] == 0, (
        f"strings in the code that locale/{lang} lacks (or that changed): "
        f"{untranslated_or_fuzzy(path)}. Run `make messages`, translate, compile, commit."
    )
    committed = {key(e) for e in messages(read_po(po_path(LOCALE_DIR, lang)))}
    current = {key(e) for e in messages(read_po(path))}
    assert committed == current, (
        f"locale/{lang} is out of step with the code. New in the code: "
        f"{sorted(current - committed, key=str)}; gone from the code: "
        f"{sorted(committed - current, key=str)}. Run `make messages`."
    )


# --- the family pages' draft languages ------------------------------------------------------------


def family_template_msgids(destination: Path) -> set[tuple]:
    """The msgids of the family templates, as makemessages would find them (Django's templatize,
    then xgettext)."""
    from django.utils.translation.template import templatize

    sources = []
    for template in sorted(FAMILY_TEMPLATES.rglob("*.html")):
        source = destination / (template.relative_to(FAMILY_TEMPLATES).as_posix()
                                .replace("/", "__") + ".py")
        source.write_text(templatize(template.read_text(encoding="utf-8"), origin=str(template)),
                          encoding="utf-8")
        sources.append(str(source))
    pot = destination / "family.pot"
    result = subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", "--no-location", "-o", str(pot),
         "--keyword=gettext", "--keyword=pgettext:1c,2", "--keyword=ngettext:1,2",
         "--keyword=npgettext:1c,2,3", *sources],
        capture_output=True, text=True, env=_tool_env(), check=False,
    )
    assert result.returncode == 0, result.stderr
    return {key(e) for e in messages(read_po(pot))}


@pytest.mark.parametrize("lang", DRAFT_LANGUAGES)
def test_draft_catalogue_is_valid_and_marked_as_a_draft(lang: str) -> None:
    path = po_path(LOCALE_DIR, lang)
    assert path.is_file(), f"{path} is missing"
    counts = msgfmt_statistics(path)
    assert counts["fuzzy"] == 0 and counts["untranslated"] == 0, (
        f"{path}: {counts}; fuzzy or untranslated: {untranslated_or_fuzzy(path)}"
    )
    fields = header(read_po(path))
    assert fields.get("Language") == lang
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"
    assert fields.get("Plural-Forms", "").startswith("nplurals=")
    assert fields.get("X-Laget-Review", "").startswith("draft"), (
        f"{path}: the header must say it is a draft until a translator has read it"
    )


@pytest.mark.parametrize("lang", DRAFT_LANGUAGES)
def test_draft_catalogue_covers_the_family_pages(lang: str, tmp_path: Path) -> None:
    """Every string of the family templates is in each family language: a new one must be
    translated (as a draft) in locale/<lang>/ too, then compiled with msgfmt."""
    wanted = family_template_msgids(tmp_path)
    assert wanted, "no msgids found in the family templates"
    have = {key(e) for e in messages(read_po(po_path(LOCALE_DIR, lang)))}
    missing = sorted(wanted - have, key=str)
    assert not missing, f"locale/{lang} lacks family-page strings: {missing}"


@pytest.mark.parametrize("lang", DRAFT_LANGUAGES)
def test_draft_catalogue_holds_only_current_strings(lang: str, regenerated: Path) -> None:
    """A draft entry whose msgid left the code (or changed) is dead weight that hides a missing
    translation: every draft msgid is one makemessages finds in today's code."""
    current = {key(e) for e in messages(read_po(po_path(regenerated, "nb")))}
    drafts = {key(e) for e in messages(read_po(po_path(LOCALE_DIR, lang)))}
    stale = sorted(drafts - current, key=str)
    assert not stale, f"locale/{lang} has entries no longer in the code: {stale}"
