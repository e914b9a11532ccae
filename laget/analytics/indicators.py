"""The indicators Laget knows, as code: `indicators_sync` writes them to the `Indicator` table.

Each has a fixed geographic level and period type, so what is published of it is fixed too (see
`laget.analytics.publish`). Names are in bokmål and English (the data's own, not the UI's)."""

from dataclasses import dataclass

from laget.analytics.models import Direction, Level, Origin, PeriodType, Unit


@dataclass(frozen=True)
class Definition:
    key: str
    name_nb: str
    name_en: str
    unit: str
    source: str
    period_type: str
    level: str
    direction: str
    origin: str


LAGET = "Laget"
#: the fast track's stages (laget.fasttrack.deadlines.STAGES): code, bokmål and English name
FASTTRACK_STAGES = (
    ("investigation", "etterforskning", "investigation"),
    ("charge_decision", "påtaleavgjørelse", "charge decision"),
    ("main_hearing", "hovedforhandling", "main hearing"),
    ("judgment", "dom", "judgment"),
    ("konfliktraad", "oppstart i konfliktrådet", "start in the konfliktråd"),
    ("reaction_start", "oppstart av reaksjonen", "start of the reaction"),
)
SEED = ("Oslo Arbeiderparti, arbeidsgruppens politikkdokument om kriminalitet og utenforskap "
        "(../shared/seed/000_9516c62b6aaea3e0.txt)")

DEFINITIONS: tuple[Definition, ...] = (
    Definition("concerns_received", "Bekymringer mottatt", "Concerns received", Unit.COUNT,
               LAGET, PeriodType.MONTH, Level.BYDEL, Direction.NEUTRAL, Origin.COMPUTED),
    Definition("salto_cases_open", "Åpne SaLTo-saker", "Open SaLTo cases", Unit.COUNT,
               LAGET, PeriodType.MONTH, Level.BYDEL, Direction.NEUTRAL, Origin.COMPUTED),
    Definition("police_stop_search_minors", "Stans og ransaking av mindreårige",
               "Stop and search of minors", Unit.COUNT, LAGET, PeriodType.MONTH,
               Level.DELBYDEL, Direction.NEUTRAL, Origin.COMPUTED),
    Definition("police_apprehensions_minors", "Pågripelser av mindreårige",
               "Apprehensions of minors", Unit.COUNT, LAGET, PeriodType.MONTH,
               Level.DELBYDEL, Direction.HIGHER_WORSE, Origin.COMPUTED),
    Definition("weapon_triggers", "Våpenutløsere (mindreårige med våpen)",
               "Weapon triggers (minors with a weapon)", Unit.COUNT, LAGET, PeriodType.MONTH,
               Level.DELBYDEL, Direction.HIGHER_WORSE, Origin.COMPUTED),
    Definition("fasttrack_offence_to_charge_days",
               "Dager fra lovbrudd til påtaleavgjørelse (median)",
               "Days from offence to charge decision (median)", Unit.DAYS, LAGET,
               PeriodType.YEAR, Level.BYDEL, Direction.HIGHER_WORSE, Origin.COMPUTED),
    Definition("club_hours_per_1000", "Klubbtimer per uke per 1 000 unge 10–17 år",
               "Club hours per week per 1,000 youth aged 10–17", Unit.PER_1000,
               "Laget (tilbudskatalogen); SSB", PeriodType.MONTH, Level.BYDEL,
               Direction.HIGHER_BETTER, Origin.COMPUTED),
    Definition("job_places_per_1000", "Jobbplasser per 1 000 unge 15–24 år",
               "Job places per 1,000 youth aged 15–24", Unit.PER_1000,
               "Laget (tilbudskatalogen); SSB", PeriodType.MONTH, Level.BYDEL,
               Direction.HIGHER_BETTER, Origin.COMPUTED),
    # Issue 11, evaluation: more of Laget's own figures (laget.analytics.compute).
    Definition("ambulant_response_hours", "Responstid for ambulant team (median, i timer)",
               "Ambulant team response time (median, in hours)", Unit.HOURS, LAGET,
               PeriodType.MONTH, Level.BYDEL, Direction.HIGHER_WORSE, Origin.COMPUTED),
    *(Definition(f"fasttrack_stage_days_{code}", f"Hurtigsporet: dager i fasen {nb} (median)",
                 f"Fast track: days in the stage {en} (median)", Unit.DAYS, LAGET,
                 PeriodType.YEAR, Level.BYDEL, Direction.HIGHER_WORSE, Origin.COMPUTED)
      for code, nb, en in FASTTRACK_STAGES),
    *(Definition(f"reentry_{what}_{months}m", f"{nb} {months} måneder etter løslatelse",
                 f"{en} {months} months after release", Unit.PERCENT, LAGET,
                 PeriodType.YEAR, Level.BYDEL, Direction.HIGHER_BETTER, Origin.COMPUTED)
      for what, nb, en in (("occupation", "Andel i arbeid eller utdanning",
                            "Share in work or education"),
                           ("housing", "Andel i stabil bolig", "Share in stable housing"))
      for months in (3, 6, 12)),
    Definition("youth_population_10_17", "Unge 10–17 år (folkemengde 1. januar)",
               "Youth aged 10–17 (population on 1 January)", Unit.COUNT,
               "SSB tabell 10826 (CC BY 4.0), via csdata/FHI", PeriodType.YEAR, Level.BYDEL,
               Direction.NEUTRAL, Origin.IMPORTED),
    Definition("kindergarten_participation_1_3", "Barnehagedeltakelse, barn 1–3 år",
               "Kindergarten participation, children aged 1–3", Unit.PERCENT, SEED,
               PeriodType.YEAR, Level.BYDEL, Direction.HIGHER_BETTER, Origin.IMPORTED),
    Definition("near_school_uptake", "Oppslutning om nærskolen", "Near-school uptake",
               Unit.PERCENT, SEED, PeriodType.YEAR, Level.PLACE, Direction.NEUTRAL,
               Origin.IMPORTED),
    Definition("low_income_children", "Barn i husholdninger med vedvarende lavinntekt",
               "Children in households with persistent low income", Unit.PERCENT,
               "SSB (levekår)", PeriodType.YEAR, Level.BYDEL, Direction.HIGHER_WORSE,
               Origin.IMPORTED),
)

BY_KEY = {definition.key: definition for definition in DEFINITIONS}

#: Computed counts of Laget's own data: suppressed as tables with margins before publication.
SUPPRESSED_COUNTS = frozenset({
    "concerns_received", "salto_cases_open", "police_stop_search_minors",
    "police_apprehensions_minors", "weapon_triggers"})
#: Shares of Laget's own records (reentry outcomes): like medians published only for groups of
#: LAGET_ANALYTICS_MIN_GROUP or more, and `compute` stores none whose numerator or complement is
#: 1 to LAGET_ANALYTICS_MIN_CELL − 1.
SHARES = frozenset(f"reentry_{what}_{months}m" for what in ("occupation", "housing")
                   for months in (3, 6, 12))
#: Medians (and shares): published only for groups of LAGET_ANALYTICS_MIN_GROUP or more.
MEDIANS = frozenset({"fasttrack_offence_to_charge_days", "ambulant_response_hours",
                     *(f"fasttrack_stage_days_{code}" for code, _nb, _en in FASTTRACK_STAGES)}
                    ) | SHARES
