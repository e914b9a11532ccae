"""Legal scenarios for the rulebook, written by hand from the law in DOMAIN.md (not from the YAML
and not by running the code). Each row is one situation a practitioner could put to the guide
(«Kan jeg dele dette?») and the answer the cited law gives.

Where the rulebook answers otherwise, the scenario fails: decide (with a lawyer) whether the
rulebook or the row is wrong, and change that one.
"""

from dataclasses import dataclass

YES, NO, CONSENT = "yes", "no", "consent_required"


@dataclass(frozen=True)
class Scenario:
    id: str
    description: str
    source: str
    recipient: str
    category: str
    purpose: str
    age: int
    consent: str  # none | guardian | youth | both
    programme: str | None
    weapon: bool
    expected: str
    citation: str

    def ask_kwargs(self) -> dict:
        return {
            "source": self.source, "recipient": self.recipient, "category": self.category,
            "purpose": self.purpose, "person_age": self.age, "consent": self.consent,
            "programme": self.programme, "weapon_trigger": self.weapon,
        }


def s(id, description, source, recipient, category, purpose, age, consent, expected, citation,
      *, programme=None, weapon=False):
    return Scenario(id, description, source, recipient, category, purpose, age, consent,
                    programme, weapon, expected, citation)


FVL_13A = "forvaltningsloven § 13 a nr. 1; barneloven § 30; vergemålsloven § 9 (DOMAIN: Consent)"
PBRL_43 = "pasient- og brukerrettighetsloven § 4-3; helsepersonelloven § 25"
NR7 = "forvaltningsloven § 13 b (1) nr. 7"
BVL_132 = "barnevernsloven § 13-2"
PRL_6 = "politiregisterloven kap. 6 (§ 27 eller § 30)"
NR5 = "forvaltningsloven § 13 b (1) nr. 5"
NR6 = "forvaltningsloven § 13 b (1) nr. 6"
NAV_7 = "NAV-loven § 7"
BVL_131 = "barnevernsloven § 13-1"
KRL_25 = "konfliktrådsloven § 25"
MINIMISE = "personvernforordningen art. 5 (1) c, art. 9 og 10; Laget-rutine"
INNSYN = "personvernforordningen art. 15; forvaltningsloven § 18"

#: Demo semantics: unreviewed allow rules in force (`draft_rules_in_force`).
SCENARIOS: tuple[Scenario, ...] = (
    # --- consent and the age regimes (fvl. § 13 a nr. 1) ------------------------------------
    s("samtykke-u16-ingen", "Skolen vil dele skoleopplysninger med bydelen om en 14-åring, "
      "uten samtykke; skolens samarbeidsplikt er ikke et delingsgrunnlag",
      "skole", "bydel", "skole", "forebygging", 14, "none", CONSENT, FVL_13A),
    s("samtykke-u16-foresatte", "Som over, foresatte med foreldreansvar har samtykket",
      "skole", "bydel", "skole", "forebygging", 14, "guardian", YES, FVL_13A),
    s("samtykke-u16-bare-ungdom", "14-åringen har samtykket alene; en mindreårig kan ikke "
      "alene samtykke til behandling av personopplysninger",
      "skole", "bydel", "skole", "forebygging", 14, "youth", CONSENT, FVL_13A),
    s("samtykke-16-bare-foresatte", "16-åring: bare foresatte har samtykket; 16–17 krever begge",
      "skole", "bydel", "skole", "oppfolging", 16, "guardian", CONSENT, FVL_13A),
    s("samtykke-16-bare-ungdom", "16-åring: bare den unge har samtykket; 16–17 krever begge",
      "skole", "bydel", "skole", "oppfolging", 16, "youth", CONSENT, FVL_13A),
    s("samtykke-17-begge", "17-åring: den unge og foresatte har samtykket",
      "skole", "bydel", "skole", "oppfolging", 17, "both", YES, FVL_13A),
    s("samtykke-18-ungdom", "18-åring samtykker selv",
      "skole", "bydel", "skole", "oppfolging", 18, "youth", YES, FVL_13A),
    s("samtykke-18-bare-foresatte", "18-åring: foreldrenes samtykke teller ikke lenger",
      "skole", "bydel", "skole", "oppfolging", 18, "guardian", CONSENT, FVL_13A),
    s("samtykke-18-begge", "18-åring har samtykket (sammen med foreldrene)",
      "skole", "bydel", "skole", "oppfolging", 18, "both", YES, FVL_13A),
    s("samtykke-nav-voksen", "NAV deler NAV-opplysninger med bydelen om en 20-åring som selv "
      "har samtykket", "nav", "bydel", "nav", "oppfolging", 20, "youth", YES,
      f"{NAV_7}; {FVL_13A}"),
    s("helse-16-ungdom-alene", "Helsetjenesten deler helseopplysninger med skolen; 16-åringen "
      "bestemmer selv i helsespørsmål",
      "helse", "skole", "helse", "oppfolging", 16, "youth", YES, PBRL_43),
    s("helse-16-bare-foresatte", "Som over, men bare foresatte har samtykket; fra 16 er det den "
      "unge som bestemmer", "helse", "skole", "helse", "oppfolging", 16, "guardian", CONSENT,
      PBRL_43),
    s("helse-15-foresatte", "Helseopplysninger om en 15-åring, foresatte har samtykket",
      "helse", "bydel", "helse", "forebygging", 15, "guardian", YES, PBRL_43),
    s("helse-15-bare-ungdom", "Helseopplysninger om en 15-åring, bare den unge har samtykket",
      "helse", "bydel", "helse", "forebygging", 15, "youth", CONSENT, PBRL_43),
    # --- health → SaLTo needs consent (hpl. § 25) -----------------------------------------------
    s("helse-skole-uten-samtykke", "Helsesykepleier vil dele helseopplysninger med skolen uten "
      "samtykke; § 25 gjelder bare forsvarlig helsehjelp",
      "helse", "skole", "helse", "oppfolging", 14, "none", CONSENT,
      "helsepersonelloven § 21 og § 25"),
    s("helse-barnevern-oppfolging", "Helsetjenesten deler helseopplysninger med barnevernet til "
      "oppfølging (ikke melding), uten samtykke",
      "helse", "barnevern", "helse", "oppfolging", 13, "none", CONSENT,
      "helsepersonelloven § 25 (dekker ikke barnevern); § 33 gjelder bare melding"),
    s("helse-politi-straffesak", "Helsetjenesten vil gi helseopplysninger til politiet i en "
      "straffesak; særlovens taushetsplikt går foran, § 23 gir ingen plikt",
      "helse", "politi", "helse", "straffesak", 17, "none", NO,
      "helsepersonelloven § 21 og § 23; forvaltningsloven § 13 f"),
    # --- danger to life or health (fvl. § 13 b nr. 7, NAV-loven § 7) -----------------------------
    s("fare-skole-politi", "Skolen varsler politiet for å avverge fare for liv",
      "skole", "politi", "skole", "fare_liv_helse", 15, "none", YES, NR7),
    s("fare-bydel-helse-voksen", "Bydelen gir helsetjenesten planen om en 19-åring for å avverge "
      "alvorlig helseskade", "bydel", "helse", "plan", "fare_liv_helse", 19, "none", YES, NR7),
    s("fare-fritid-barnevern", "Fritidsklubben varsler barnevernet om akutt fare",
      "fritid", "barnevern", "aktivitet", "fare_liv_helse", 13, "none", YES, NR7),
    s("fare-konfliktraad-skole", "Konfliktrådet varsler skolen for å avverge fare for liv",
      "konfliktraad", "skole", "konfliktraad", "fare_liv_helse", 16, "none", YES, NR7),
    s("fare-nav-politi", "NAV varsler politiet for å avverge fare for liv",
      "nav", "politi", "nav", "fare_liv_helse", 20, "none", YES, NAV_7),
    s("fare-nav-barnevern", "NAV varsler barnevernet for å avverge fare for helsen til en "
      "15-åring", "nav", "barnevern", "nav", "fare_liv_helse", 15, "none", YES, NAV_7),
    s("fare-nav-fritid", "NAV varsler et fritidstilbud for å avverge fare for liv; unntaket "
      "gjelder overfor «hvem som helst»", "nav", "fritid", "nav", "fare_liv_helse", 19, "none",
      YES, f"{NAV_7}; {NR7}"),
    # --- duty to report to barnevern (bvl. § 13-2, hpl. § 33) -----------------------------------
    s("melde-skole-14", "Skolen melder til barnevernet om alvorlige atferdsvansker hos en "
      "14-åring", "skole", "barnevern", "skole", "melding_barnevern", 14, "none", YES, BVL_132),
    s("melde-bydel-17", "Bydelen melder alvorlig omsorgssvikt om en 17-åring",
      "bydel", "barnevern", "familie", "melding_barnevern", 17, "none", YES, BVL_132),
    s("melde-skole-18", "Meldeplikten gjelder barn: ikke for en 18-åring",
      "skole", "barnevern", "skole", "melding_barnevern", 18, "none", NO, BVL_132),
    s("melde-helse-12", "Helsepersonell melder omsorgssvikt om en 12-åring",
      "helse", "barnevern", "helse", "melding_barnevern", 12, "none", YES,
      "helsepersonelloven § 33"),
    s("melde-helse-familie-17", "Helsepersonell melder om familieforholdene til en 17-åring",
      "helse", "barnevern", "familie", "melding_barnevern", 17, "none", YES,
      "helsepersonelloven § 33"),
    s("melde-helse-18", "Helsepersonells meldeplikt gjelder ikke for en 18-åring",
      "helse", "barnevern", "helse", "melding_barnevern", 18, "none", NO,
      "helsepersonelloven § 33"),
    s("melde-nav-16", "NAV melder alvorlig omsorgssvikt om en 16-åring; meldeplikten går foran "
      "taushetsplikten", "nav", "barnevern", "nav", "melding_barnevern", 16, "none", YES,
      BVL_132),
    s("melde-kriminalomsorg-17", "Kriminalomsorgen melder om en 17-åring",
      "kriminalomsorg", "barnevern", "kriminalomsorg", "melding_barnevern", 17, "none", YES,
      BVL_132),
    s("melde-feil-mottaker", "Skolen vil sende en bekymringsmelding til politiet: meldeplikten "
      "gjelder overfor barnevernet, og ingen annen regel gir grunnlag",
      "skole", "politi", "skole", "melding_barnevern", 14, "none", NO, f"{BVL_132}; fvl. § 13"),
    # --- police → barnevern when a minor is investigated (strpl. § 232 a) -----------------------
    s("politi-etterforskning-15", "Politiet har startet etterforskning mot en 15-åring og "
      "varsler barnevernet", "politi", "barnevern", "politi", "melding_barnevern", 15, "none",
      YES, "straffeprosessloven § 232 a"),
    s("politi-etterforskning-oppfolging-17", "Politiet gir barnevernet identitet om en 17-åring "
      "under etterforskning, så barnevernet kan følge opp", "politi", "barnevern", "identitet",
      "oppfolging", 17, "none", YES, "straffeprosessloven § 232 a"),
    s("politi-barnevern-melding-18", "§ 232 a og meldeplikten gjelder mindreårige: ikke en "
      "18-åring", "politi", "barnevern", "politi", "melding_barnevern", 18, "none", NO,
      f"straffeprosessloven § 232 a; {BVL_132}"),
    # --- police preventive disclosure (politiregisterloven ch. 6) -------------------------------
    s("prl-bydel-voksen", "Politiet deler av eget tiltak med bydelen for å forebygge lovbrudd "
      "av en 19-åring", "politi", "bydel", "politi", "forebygging", 19, "none", YES, PRL_6),
    s("prl-skole-14", "Politiet deler forebyggende med skolen om en 14-åring",
      "politi", "skole", "politi", "forebygging", 14, "none", YES, PRL_6),
    s("prl-konfliktraad-16", "Politiet deler med konfliktrådet for å fremme mottakerens "
      "oppgaver", "politi", "konfliktraad", "politi", "oppfolging", 16, "none", YES, PRL_6),
    s("prl-nav-voksen", "Politiet deler forebyggende med NAV om en 20-åring (ungdomsgarantien); "
      "kap. 6 tillater utlevering når det fremmer mottakerens oppgaver",
      "politi", "nav", "politi", "forebygging", 20, "none", YES, PRL_6),
    # --- weapon trigger for under-18s --------------------------------------------------------
    s("vapen-skole-15", "15-åring pågrepet med kniv: politiet informerer skolen straks",
      "politi", "skole", "politi", "fare_liv_helse", 15, "none", YES, PRL_6, weapon=True),
    s("vapen-barnevern-16", "16-åring pågrepet med skytevåpen: politiet informerer barnevernet",
      "politi", "barnevern", "identitet", "fare_liv_helse", 16, "none", YES, PRL_6,
      weapon=True),
    s("vapen-bydel-17", "17-åring pågrepet med kniv: politiet informerer bydelen",
      "politi", "bydel", "politi", "fare_liv_helse", 17, "none", YES, PRL_6, weapon=True),
    # --- bydel plan sharing: the giver's tasks (fvl. § 13 b nr. 5) ------------------------------
    s("bydel-plan-skole", "Bydelen gir skolen skolens del av den koordinerte planen",
      "bydel", "skole", "plan", "oppfolging", 15, "none", YES, NR5),
    s("bydel-aktivitet-politi", "Bydelen gir politiet aktivitetene i planen den samordner",
      "bydel", "politi", "aktivitet", "forebygging", 17, "none", YES, NR5),
    s("bydel-plan-fritid", "Bydelen gir fritidstilbudet planen for å samordne tiltakene",
      "bydel", "fritid", "plan", "oppfolging", 14, "none", YES, NR5),
    s("bydel-familie-politi", "Bydelen vil gi politiet familieopplysninger til politiets "
      "forebygging: det fremmer mottakerens oppgaver, ikke giverens",
      "bydel", "politi", "familie", "forebygging", 15, "none", CONSENT, f"{NR5}; {FVL_13A}"),
    s("skole-politi-mottakers-oppgaver", "Skolen vil gi politiet skoleopplysninger til "
      "politiets forebygging; samarbeidsplikten er ikke et delingsgrunnlag",
      "skole", "politi", "skole", "forebygging", 15, "none", CONSENT,
      f"{NR5}; opplæringslova (samarbeidsplikt)"),
    # --- reporting offences (nr. 6) and NAV outside nr. 5–6 -------------------------------------
    s("anmeld-skole", "Skolen anmelder et lovbrudd og gir politiet skoleopplysninger",
      "skole", "politi", "skole", "straffesak", 16, "none", YES, NR6),
    s("anmeld-bydel-voksen", "Bydelen gir påtalemyndigheten opplysninger om et lovbrudd",
      "bydel", "politi", "familie", "straffesak", 19, "none", YES, NR6),
    s("anmeld-feil-mottaker", "Bydelen vil gi skolen opplysninger «til en straffesak»: skolen er "
      "ikke påtalemyndighet", "bydel", "skole", "plan", "straffesak", 15, "none", NO, NR6),
    s("anmeld-fritid-nav", "Fritidstilbudet vil gi NAV opplysninger til en straffesak: NAV er "
      "ikke påtalemyndighet", "fritid", "nav", "aktivitet", "straffesak", 19, "none", NO, NR6),
    s("nav-anmeld", "NAV vil gi politiet NAV-opplysninger til en straffesak: nr. 6 gjelder ikke "
      "for NAV", "nav", "politi", "nav", "straffesak", 19, "none", NO,
      f"{NAV_7} (fvl. § 13 b nr. 5–6 gjelder ikke)"),
    s("nav-anmeld-17", "Heller ikke om en 17-åring gir NAV politiet NAV-opplysninger til en "
      "straffesak", "nav", "politi", "nav", "straffesak", 17, "none", NO,
      f"{NAV_7} (fvl. § 13 b nr. 5–6 gjelder ikke)"),
    s("nav-plan-skole", "NAV vil gi skolen NAV-opplysninger til oppfølging: nr. 5 gjelder ikke "
      "for NAV, bare samtykke", "nav", "skole", "nav", "oppfolging", 17, "none", CONSENT,
      f"{NAV_7} (fvl. § 13 b nr. 5–6 gjelder ikke)"),
    # --- barnevern confidentiality (bvl. § 13-1, § 13-4) ----------------------------------------
    s("bv-skole-ingen", "Barnevernet vil dele barnevernsopplysninger med skolen uten samtykke",
      "barnevern", "skole", "barnevern", "oppfolging", 14, "none", CONSENT, BVL_131),
    s("bv-politi-begge", "Barnevernet deler familieopplysninger med politiet; 16-åringen og "
      "foresatte har samtykket", "barnevern", "politi", "familie", "forebygging", 16, "both",
      YES, f"{BVL_131}; {FVL_13A}"),
    s("bv-bydel-bare-foresatte-16", "Barnevernsopplysninger om en 16-åring, bare foresatte har "
      "samtykket", "barnevern", "bydel", "barnevern", "forebygging", 16, "guardian", CONSENT,
      f"{BVL_131}; {FVL_13A}"),
    s("bv-egne-tiltak", "Barnevernet gir skolen sine egne tiltak i planen for å fremme "
      "barnevernets oppgaver", "barnevern", "skole", "plan", "oppfolging", 14, "none", YES,
      "barnevernsloven § 13-4"),
    s("bv-politi-straffesak", "Politiet ber om barnevernsopplysninger til en straffesak: "
      "barnevernets taushetsplikt er strengere, ingen unntak for påtale",
      "barnevern", "politi", "barnevern", "straffesak", 15, "none", NO, BVL_131),
    # --- konfliktrådet: youth follow-up and youth sentence (konfliktrådsloven § 25) ------------
    s("kr-oppf-ingen", "Ungdomskoordinatoren vil dele i oppfølgingsteamet uten samtykke",
      "konfliktraad", "skole", "konfliktraad", "oppfolging", 16, "none", CONSENT, KRL_25,
      programme="ungdomsoppfolging"),
    s("kr-oppf-begge", "Ungdomsoppfølging: den unge og foresatte har samtykket",
      "konfliktraad", "skole", "konfliktraad", "oppfolging", 16, "both", YES, KRL_25,
      programme="ungdomsoppfolging"),
    s("kr-straff-bare-foresatte", "Ungdomsstraff for en 17-åring: bare foresatte har samtykket",
      "konfliktraad", "politi", "plan", "oppfolging", 17, "guardian", CONSENT, KRL_25,
      programme="ungdomsstraff"),
    s("kr-straff-ingen", "Ungdomsstraff for en 17-åring: planen til NAV uten samtykke",
      "konfliktraad", "nav", "plan", "oppfolging", 17, "none", CONSENT, KRL_25,
      programme="ungdomsstraff"),
    s("kr-straff-begge-15", "Ungdomsstraff for en 15-åring: den unge og foresatte har samtykket",
      "konfliktraad", "bydel", "konfliktraad", "oppfolging", 15, "both", YES, KRL_25,
      programme="ungdomsstraff"),
    s("kr-oppf-15-bare-foresatte", "Ungdomsoppfølging for en 15-åring: bare foresatte har "
      "samtykket; § 25 krever samtykke fra den unge og foresatte",
      "konfliktraad", "skole", "konfliktraad", "oppfolging", 15, "guardian", CONSENT, KRL_25,
      programme="ungdomsoppfolging"),
    # --- kriminalomsorg ↔ politi -------------------------------------------------------------
    s("politi-kriminalomsorg", "Politiet gir kriminalomsorgen det den trenger for å "
      "gjennomføre en straffereaksjon", "politi", "kriminalomsorg", "politi", "straffesak", 19,
      "none", YES, f"straffegjennomføringsloven § 7; {PRL_6}"),
    s("politi-kriminalomsorg-identitet", "Politiet gir kriminalomsorgen identiteten til en "
      "20-åring som skal sone", "politi", "kriminalomsorg", "identitet", "straffesak", 20,
      "none", YES, "straffegjennomføringsloven § 7"),
    s("kriminalomsorg-politi-straffesak", "Kriminalomsorgen gir påtalemyndigheten opplysninger "
      "om et nytt lovbrudd", "kriminalomsorg", "politi", "kriminalomsorg", "straffesak", 20,
      "none", YES, NR6),
    # --- intensive follow-up programme --------------------------------------------------------
    s("intensiv-skole-fritid-ingen", "Intensiv oppfølging: skolen vil gi aktivitetsplanen til "
      "fritidstilbudet uten samtykke", "skole", "fritid", "plan", "oppfolging", 15, "none",
      CONSENT, FVL_13A, programme="intensiv_oppfolging"),
    s("intensiv-skole-fritid-foresatte", "Intensiv oppfølging: foresatte samtykket ved opptak",
      "skole", "fritid", "plan", "oppfolging", 15, "guardian", YES, FVL_13A,
      programme="intensiv_oppfolging"),
    s("intensiv-nav-fritid-voksen", "Intensiv oppfølging: NAV deler aktiviteter med "
      "fritidstilbudet; 19-åringen samtykket", "nav", "fritid", "aktivitet", "oppfolging", 19,
      "youth", YES, FVL_13A, programme="intensiv_oppfolging"),
    # --- activity providers get no art. 9/10 data, even with consent ---------------------------
    s("fritid-politi-samtykke", "Politiet vil gi fritidstilbudet politiopplysninger; foresatte "
      "har samtykket", "politi", "fritid", "politi", "forebygging", 15, "guardian", NO,
      MINIMISE),
    s("fritid-politi-intensiv", "Intensiv oppfølging: politiopplysninger til fritidstilbudet, "
      "begge har samtykket", "politi", "fritid", "politi", "oppfolging", 16, "both", NO,
      MINIMISE, programme="intensiv_oppfolging"),
    s("fritid-helse-samtykke", "Helseopplysninger til fritidstilbudet; 17-åringen samtykket",
      "helse", "fritid", "helse", "oppfolging", 17, "youth", NO, MINIMISE),
    s("fritid-barnevern-samtykke", "Barnevernsopplysninger til fritidstilbudet; foresatte "
      "samtykket", "barnevern", "fritid", "barnevern", "oppfolging", 14, "guardian", NO,
      MINIMISE),
    s("fritid-konfliktraad", "Konfliktrådsopplysninger til fritidstilbudet i ungdomsoppfølging",
      "konfliktraad", "fritid", "konfliktraad", "oppfolging", 16, "both", NO, MINIMISE,
      programme="ungdomsoppfolging"),
    s("fritid-kriminalomsorg", "Kriminalomsorgsopplysninger til fritidstilbudet; 20-åringen "
      "samtykket", "kriminalomsorg", "fritid", "kriminalomsorg", "forebygging", 20, "youth",
      NO, MINIMISE),
    # --- the family sees its own plan -----------------------------------------------------------
    s("familie-egen-plan", "Familien ser sin egen plan fra bydelen",
      "bydel", "familie", "plan", "oppfolging", 15, "none", YES, INNSYN),
    s("familie-aktivitet-skole", "Familien ser aktivitetene skolen har lagt inn",
      "skole", "familie", "aktivitet", "oppfolging", 17, "none", YES, INNSYN),
    s("familie-identitet-nav", "Familien ser identitetsopplysningene NAV har registrert",
      "nav", "familie", "identitet", "oppfolging", 19, "none", YES, INNSYN),
    # --- deny by default: nothing applies -------------------------------------------------------
    s("ingen-regel-bydel-skole-straffesak", "Bydelen vil gi skolen planen til en straffesak",
      "bydel", "skole", "plan", "straffesak", 16, "both", NO, "forvaltningsloven § 13 (1)"),
    s("ingen-regel-fritid-barnevern-18", "Fritidstilbudet vil melde om en 18-åring "
      "til barnevernet", "fritid", "barnevern", "aktivitet", "melding_barnevern", 18, "none",
      NO, f"forvaltningsloven § 13 (1); {BVL_132}"),
)


#: Production semantics (no draft fixture): an unreviewed allow rule acts as consent_required.
PRODUCTION_SCENARIOS: tuple[Scenario, ...] = (
    s("prod-prl-uten-samtykke", "Politiets forebyggende utlevering er ikke juridisk vurdert: "
      "uten samtykke kreves samtykke", "politi", "bydel", "politi", "forebygging", 19, "none",
      CONSENT, PRL_6),
    s("prod-prl-med-samtykke", "Som over, 19-åringen har samtykket",
      "politi", "bydel", "politi", "forebygging", 19, "youth", YES, PRL_6),
    s("prod-prl-u16-bare-ungdom", "Under 16 er den unges eget samtykke ikke nok",
      "politi", "skole", "politi", "forebygging", 15, "youth", CONSENT, PRL_6),
    s("prod-prl-u16-foresatte", "Under 16 med foresattes samtykke",
      "politi", "skole", "politi", "forebygging", 15, "guardian", YES, PRL_6),
    s("prod-nav-anmeld", "En avslagsregel står også uten juridisk vurdering",
      "nav", "politi", "nav", "straffesak", 19, "youth", NO, NAV_7),
    s("prod-fritid-politi", "Dataminimering overfor fritid står også med samtykke",
      "politi", "fritid", "politi", "forebygging", 15, "guardian", NO, MINIMISE),
    s("prod-meldeplikt-uvurdert", "Meldeplikten er ✔, men ikke juridisk vurdert i Laget: i "
      "produksjon krever den samtykke til regelen er vurdert", "skole", "barnevern", "skole",
      "melding_barnevern", 14, "none", CONSENT, BVL_132),
    s("prod-samtykke-u16", "En samtykkeregel virker likt i produksjon",
      "skole", "bydel", "skole", "forebygging", 14, "none", CONSENT, FVL_13A),
    s("prod-ingen-regel", "Ingen regel: nei", "skole", "politi", "skole",
      "melding_barnevern", 14, "both", NO, "forvaltningsloven § 13 (1)"),
)
