"""Laget's settings: one module, configured from environment variables.

Production is the default (DEBUG off, secure cookies, HSTS). `make demo` and the test suite turn on
what they need through the environment; see README.md and docs/ARCHITECTURE.md.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from laget.core.conf import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LAGET_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)

# Demo-only conveniences (the TOTP hint on the login page). They can never be on in a
# production configuration: a demo needs DEBUG and synthetic identifiers.
LAGET_DEMO = env_bool("LAGET_DEMO", False)
# Tenor-style synthetic fødselsnumre (birth month + 80) are valid only when this is on.
LAGET_ALLOW_SYNTHETIC_IDS = env_bool("LAGET_ALLOW_SYNTHETIC_IDS", False)
if LAGET_DEMO and not (DEBUG and LAGET_ALLOW_SYNTHETIC_IDS):
    raise ImproperlyConfigured("LAGET_DEMO needs DEBUG=1 and LAGET_ALLOW_SYNTHETIC_IDS=1.")

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "laget-insecure-development-key-never-use-in-production")
else:
    SECRET_KEY = env_str("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "laget.core",
    "laget.areas",
    "laget.accounts",
    "laget.people",
    "laget.audit",
    "laget.records",
    "laget.sharing",
    "laget.notify",
    "laget.cases",
    "laget.pathways",
    "laget.intensive",
    "laget.mentors",
    "laget.familysupport",
    "laget.policing",
    "laget.fasttrack",
    "laget.reentry",
    "laget.schools",
    "laget.lifecycle",
    "laget.rectification",
    "laget.family",
    "laget.analytics",
    "laget.web",
    "laget.apiclients",
    "laget.api",
    "laget.demo",
]

MIDDLEWARE = [
    # /healthz, /readyz, /metrics: answered before everything else (laget.web.probes)
    "laget.web.probes.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "laget.core.middleware.RequestContextMiddleware",
    "laget.core.requestlog.RequestLogMiddleware",  # one line per request, by route name
    "laget.web.metrics.RequestMetricsMiddleware",  # latency histogram, by route name
    "laget.api.middleware.ProblemMethodNotAllowedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "laget.family.language.FamilyLanguageMiddleware",  # /familie/ only: nn, so, ar, ur, pl, ti
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "laget.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "laget.accounts.freshness.IdleTimeoutMiddleware",
    "laget.web.middleware.RateLimitMiddleware",
    "laget.web.middleware.DatabaseUnavailableMiddleware",  # 503 when PostgreSQL is away
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "laget.urls"
WSGI_APPLICATION = "laget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "laget.web.context_processors.laget",
            ],
        },
    },
]

# Database: DATABASE_URL, or an embedded SQLite file under var/.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'laget.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker use the file at once; IMMEDIATE transactions take the
    # write lock up front so concurrent writers wait (busy_timeout) instead of failing mid-way.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so that tests can start other processes (worker, scheduler) against it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# A streaming replica (read-only) for the analytics pages and the exports: laget.core.dbrouter
# sends the reads of views wrapped in `reads_from_replica` there, everything else to default.
# LAGET_REPLICA_MAX_LAG_S: further behind than this, or unreachable, and they read from default
# (0: never checked). docs/DEPLOYMENT.md, «For a city».
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["laget.core.dbrouter.ReplicaRouter"]
LAGET_REPLICA_MAX_LAG_S = env_int("LAGET_REPLICA_MAX_LAG_S", 30)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Single sign-on for staff through OpenID Connect (laget.accounts.sso): off while the issuer is
# empty. The local login stays for the demo and for break-glass accounts either way.
LAGET_OIDC_ISSUER = env_str("LAGET_OIDC_ISSUER", "").rstrip("/")
LAGET_OIDC_CLIENT_ID = env_str("LAGET_OIDC_CLIENT_ID", "")
LAGET_OIDC_CLIENT_SECRET = env_str("LAGET_OIDC_CLIENT_SECRET", "")
LAGET_OIDC_SCOPES = env_list("LAGET_OIDC_SCOPES", ["openid", "email"])
# The provider's login counts as two factors only with one of these acr values or amr methods.
LAGET_OIDC_ACR_TWO_FACTOR = env_list(
    "LAGET_OIDC_ACR_TWO_FACTOR", ["idporten-loa-high", "idporten-loa-substantial"])
LAGET_OIDC_AMR_TWO_FACTOR = env_list("LAGET_OIDC_AMR_TWO_FACTOR", ["mfa", "otp", "hwk"])
# A first login may link to the active user with the provider's verified e-mail address.
LAGET_OIDC_LINK_BY_EMAIL = env_bool("LAGET_OIDC_LINK_BY_EMAIL", True)
# When set, a membership counts only if the claim lists "<agency code>:<role>".
LAGET_OIDC_GROUPS_CLAIM = env_str("LAGET_OIDC_GROUPS_CLAIM", "")
LAGET_OIDC_TIMEOUT_SECONDS = env_int("LAGET_OIDC_TIMEOUT_SECONDS", 10)

# The family's own pages (laget.family): citizens log in through an ID-porten-style OpenID Connect
# provider (the national identity number in `pid`). Off while the issuer is empty.
LAGET_FAMILY_OIDC_ISSUER = env_str("LAGET_FAMILY_OIDC_ISSUER", "").rstrip("/")
LAGET_FAMILY_OIDC_CLIENT_ID = env_str("LAGET_FAMILY_OIDC_CLIENT_ID", "")
LAGET_FAMILY_OIDC_CLIENT_SECRET = env_str("LAGET_FAMILY_OIDC_CLIENT_SECRET", "")
LAGET_FAMILY_OIDC_SCOPES = env_list("LAGET_FAMILY_OIDC_SCOPES", ["openid", "profile"])
# Only these levels of assurance are let in (ID-porten's substantial and high).
LAGET_FAMILY_OIDC_ACR = env_list(
    "LAGET_FAMILY_OIDC_ACR", ["idporten-loa-substantial", "idporten-loa-high"])
# A citizen's session on the family pages ends this long after the login.
LAGET_FAMILY_SESSION_SECONDS = env_int("LAGET_FAMILY_SESSION_SECONDS", 30 * 60)
# From this age the young person sees their own case (DOMAIN.md, Consent).
LAGET_FAMILY_OWN_ACCESS_AGE = env_int("LAGET_FAMILY_OWN_ACCESS_AGE", 15)

# Lockout after repeated failed logins (django-axes), per user name and address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "laget.accounts.views.locked_out_view"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)

OTP_TOTP_ISSUER = "Laget"
OTP_TOTP_THROTTLE_FACTOR = 1

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
#: a staff session unused this long is logged out (laget.accounts.freshness)
LAGET_SESSION_IDLE_SECONDS = env_int("LAGET_SESSION_IDLE_SECONDS", 30 * 60)
#: an export of personal data asks for the password and code again after this long
LAGET_REAUTH_SECONDS = env_int("LAGET_REAUTH_SECONDS", 15 * 60)
#: rate limits (laget.core.ratelimit): group -> (attempts, per seconds). The login steps per
#: address (django-axes locks a user name after 5 failures; this stops one address trying many
#: names), searches per user, the API per client and, for its open operations, per address.
LAGET_RATE_LIMITS = {
    "login": (env_int("LAGET_RATE_LOGIN", 30), 5 * 60),
    "search": (env_int("LAGET_RATE_SEARCH", 120), 60),
    "api": (env_int("LAGET_RATE_API", 600), 60),
    "api_open": (env_int("LAGET_RATE_API_OPEN", 300), 60),
}
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Behind TLS in production: secure cookies, HSTS, redirects. SECURE_SSL_REDIRECT can be switched
# off where a proxy in front terminates and redirects.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preloading commits the whole domain to HTTPS in browsers; that is the domain owner's decision.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool(
    "TRUST_X_FORWARDED_PROTO", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [Path(env_str("LAGET_LOCALE_DIR", str(BASE_DIR / "locale")))]
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Hashed, compressed static files (collectstatic) in production; plain files in development
# and tests.
STATIC_MANIFEST = env_bool("LAGET_STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage" if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Periodic work (laget.core.scheduler): name → dotted task path and interval in seconds.
LAGET_PERIODIC_TASKS = {
    "prune_task_results": {"task": "laget.core.tasks.prune_task_results", "every": 24 * 3600},
    "clear_expired_sessions": {"task": "laget.core.tasks.clear_expired_sessions", "every": 3600},
    "prune_rate_counters": {"task": "laget.core.tasks.prune_rate_counters", "every": 3600},
    "prune_idempotency_records": {"task": "laget.apiclients.tasks.prune_idempotency_records",
                                  "every": 3600},
    # `manage.py audit sequencer` integrates and signs every second; this is the safety net when
    # it is not running.
    "sign_audit_checkpoint": {"task": "laget.audit.tasks.sign_checkpoint", "every": 60},
    "erase_expired_audit_events": {"task": "laget.audit.tasks.erase_expired_events",
                                   "every": 24 * 3600},
    # The outbox: each message has its own task; this sweep takes what is due besides (retries
    # whose task was lost, messages whose worker died once their lease has run out).
    "deliver_messages": {"task": "laget.notify.tasks.deliver_due_messages", "every": 60},
    "scrub_old_messages": {"task": "laget.notify.tasks.scrub_old_messages", "every": 24 * 3600},
    # Daily reminders: run every hour, act from LAGET_NOTIFY_REMINDER_HOUR (Oslo time), and send
    # at most one message per person per day (idempotency keys); a missed hour catches up.
    "remind_overdue_tasks": {"task": "laget.cases.tasks.remind_overdue_tasks", "every": 3600},
    "warn_turning_18": {"task": "laget.cases.tasks.warn_turning_18", "every": 3600},
    "remind_meetings": {"task": "laget.cases.meetings.meeting_reminders", "every": 3600},
    # A weapon trigger's missed checkpoint (barnevern informed, follow-up meeting): once each.
    "alert_weapon_checkpoints": {"task": "laget.cases.tasks.alert_weapon_checkpoints",
                                 "every": 3600},
    # The youth fast track's deadline alerts (laget.fasttrack.alerts): hourly, from the same hour.
    "fasttrack_deadline_alerts": {"task": "laget.fasttrack.tasks.deadline_alerts",
                                  "every": 3600},
    # Reentry: the NAV advisor's readiness alerts before a release (laget.reentry.alerts).
    "reentry_readiness_alerts": {"task": "laget.reentry.tasks.readiness_alerts", "every": 3600},
    # Area analytics: the indicators computed from Laget's own data, nightly.
    "analytics_recompute": {"task": "laget.analytics.compute.recompute_indicators",
                            "every": 24 * 3600},
    # Retention: what is due for erasure, for the owning bydel leader to confirm (issue 15).
    "find_due_erasures": {"task": "laget.lifecycle.tasks.find_due_erasures", "every": 24 * 3600},
    # Rectification: the deciding agency reminded a week before a request's deadline and after.
    "rectification_reminders": {"task": "laget.rectification.tasks.remind_due",
                                "every": 24 * 3600},
}
LAGET_TASK_RESULT_RETENTION_DAYS = env_int("LAGET_TASK_RESULT_RETENTION_DAYS", 14)

# Who SaLTo is for (DOMAIN.md): age range is a setting, not code.
LAGET_SALTO_MIN_AGE = env_int("LAGET_SALTO_MIN_AGE", 10)
LAGET_SALTO_MAX_AGE = env_int("LAGET_SALTO_MAX_AGE", 22)
LAGET_REENTRY_MAX_AGE = env_int("LAGET_REENTRY_MAX_AGE", 24)
# Reentry (laget.reentry): a release is registered at least this many weeks ahead where known
# (else a reason is asked); the NAV advisor is alerted at these days before release while the
# readiness checklist has open items.
LAGET_REENTRY_NOTICE_WEEKS = env_int("LAGET_REENTRY_NOTICE_WEEKS", 8)
LAGET_REENTRY_ALERT_DAYS = [int(d) for d in env_list("LAGET_REENTRY_ALERT_DAYS",
                                                     ["14", "7", "2"])]

# Sharing engine. An allow rule no lawyer has reviewed acts as "consent required" unless this is
# on (the demo turns it on and marks such rules "utkast").
LAGET_RULES_UNREVIEWED_IN_FORCE = env_bool("LAGET_RULES_UNREVIEWED_IN_FORCE", LAGET_DEMO)
# Days the source agency's leader has to review an emergency access.
LAGET_EMERGENCY_REVIEW_DAYS = env_int("LAGET_EMERGENCY_REVIEW_DAYS", 3)
# The leader's quarterly access review flags members who have not used their access (logged in
# or left an audit event) for this many days.
LAGET_ACCESS_REVIEW_IDLE_DAYS = env_int("LAGET_ACCESS_REVIEW_IDLE_DAYS", 90)
# Days ahead of a 16th or 18th birthday that the coordinator is warned a consent will lapse.
LAGET_CONSENT_LAPSE_WARNING_DAYS = env_int("LAGET_CONSENT_LAPSE_WARNING_DAYS", 30)
#: The number guardians are told to call after a police registration (the police's own 02800
#: unless a district sets its unit's line).
LAGET_POLICE_PHONE = env_str("LAGET_POLICE_PHONE", "02800")
# Weapon trigger follow-up: days from the trigger until barnevern must be informed (0: the same
# day) and until the team must have met (or planned a meeting).
LAGET_WEAPON_BARNEVERN_DAYS = env_int("LAGET_WEAPON_BARNEVERN_DAYS", 0)
LAGET_WEAPON_MEETING_DAYS = env_int("LAGET_WEAPON_MEETING_DAYS", 7)

# The youth fast track (laget.fasttrack, DOMAIN.md "Youth justice speed"). Who it is for: under 18
# at the offence (strpl. § 249); 18–24 only when the city turns young adults on. Nobody under the
# age of criminal responsibility (15, straffeloven § 20) can be prosecuted.
LAGET_FASTTRACK_MIN_AGE = env_int("LAGET_FASTTRACK_MIN_AGE", 15)
LAGET_FASTTRACK_MAX_AGE = env_int("LAGET_FASTTRACK_MAX_AGE", 17)
LAGET_FASTTRACK_YOUNG_ADULTS = env_bool("LAGET_FASTTRACK_YOUNG_ADULTS", False)
LAGET_FASTTRACK_YOUNG_ADULT_MAX_AGE = env_int("LAGET_FASTTRACK_YOUNG_ADULT_MAX_AGE", 24)
# Target times per stage (laget.fasttrack.deadlines.STAGES says what each stage measures):
# `days`, counted as "calendar" or "working" days (weekends and Norwegian public holidays skipped).
# "legal" holds the statutory deadlines and the courts' own target; "hurtiglop" the city's stricter
# ambitions. A stage missing from a set has no target in it (a hurtigløp case falls back to legal).
LAGET_FASTTRACK_TARGETS = {
    "legal": {
        # strpl. § 249: charge decision within 6 weeks of becoming a suspect (under 18).
        "charge_decision": {"days": 42, "count": "calendar"},
        # strpl. § 275 (1): the main hearing to be scheduled within 2 weeks of the case coming in.
        "main_hearing": {"days": 14, "count": "calendar"},
        # The courts' 6-week target for under-18 cases (no exact §; DOMAIN.md ◐).
        "judgment": {"days": 42, "count": "calendar"},
    },
    "hurtiglop": {
        "investigation": {"days": 21, "count": "calendar"},
        "charge_decision": {"days": 28, "count": "calendar"},
        "main_hearing": {"days": 10, "count": "working"},
        "judgment": {"days": 28, "count": "calendar"},
        "konfliktraad": {"days": 15, "count": "working"},
        "reaction_start": {"days": 10, "count": "working"},
    },
}
# Days before a deadline that the responsible agency is warned (and again on the day).
LAGET_FASTTRACK_WARN_DAYS = env_int("LAGET_FASTTRACK_WARN_DAYS", 7)
# The city statistics publish no cell with fewer cases than this (small-number suppression).
LAGET_FASTTRACK_MIN_CELL = env_int("LAGET_FASTTRACK_MIN_CELL", 5)
# Area analytics (laget.analytics.publish): counts 1 … MIN_CELL − 1 show as «<5» (with
# complementary suppression); medians only for groups of MIN_GROUP or more.
LAGET_ANALYTICS_MIN_CELL = env_int("LAGET_ANALYTICS_MIN_CELL", 5)
LAGET_ANALYTICS_MIN_GROUP = env_int("LAGET_ANALYTICS_MIN_GROUP", 10)
# Ungdomsfengsel in a reaction plan (the source document's short youth custody): its limits.
LAGET_FASTTRACK_YOUTH_CUSTODY_MIN_DAYS = env_int("LAGET_FASTTRACK_YOUTH_CUSTODY_MIN_DAYS", 1)
LAGET_FASTTRACK_YOUTH_CUSTODY_MAX_DAYS = env_int("LAGET_FASTTRACK_YOUTH_CUSTODY_MAX_DAYS", 60)
# Schools (laget.schools, issue 10): the city-wide ambulant team is the agency with this code (type
# "by"); days the pupil and guardians have to be heard before a forced school change is decided;
# response-time medians are shown only for groups of at least LAGET_SCHOOL_STATS_MIN_GROUP
# requests, and counts under LAGET_SCHOOL_MIN_CELL are suppressed.
LAGET_AMBULANT_TEAM_AGENCY = env_str("LAGET_AMBULANT_TEAM_AGENCY", "oslo-ambulant-team")
LAGET_SCHOOL_HEARING_DAYS = env_int("LAGET_SCHOOL_HEARING_DAYS", 14)
LAGET_SCHOOL_STATS_MIN_GROUP = env_int("LAGET_SCHOOL_STATS_MIN_GROUP", 10)
LAGET_SCHOOL_MIN_CELL = env_int("LAGET_SCHOOL_MIN_CELL", 5)
# Intensive follow-up («aktive gutter»): youths enrolled at once per bydel; an idle stretch in
# the week plan longer than this many hours is a gap; the hours watched for gaps (from the hour
# given to 23) on weekdays — school covers the morning — and at weekends.
LAGET_INTENSIVE_CAPACITY = env_int("LAGET_INTENSIVE_CAPACITY", 5)
LAGET_INTENSIVE_MAX_GAP_HOURS = env_int("LAGET_INTENSIVE_MAX_GAP_HOURS", 3)
LAGET_INTENSIVE_WATCH_WEEKDAYS_FROM = env_int("LAGET_INTENSIVE_WATCH_WEEKDAYS_FROM", 12)
LAGET_INTENSIVE_WATCH_WEEKENDS_FROM = env_int("LAGET_INTENSIVE_WATCH_WEEKENDS_FROM", 7)
# Unge forbilder (mentors): under this age a young person's application or a mentee's linkage
# needs the consent of the guardians with parental responsibility as well as the young person's.
LAGET_MENTORS_GUARDIAN_CONSENT_UNDER = env_int("LAGET_MENTORS_GUARDIAN_CONSENT_UNDER", 16)
# Innsyn: the longest a leader may withhold their agency's accesses from a person's access report
# in one go (days); a longer need is a new, separately logged decision.
LAGET_INNSYN_WITHHOLDING_MAX_DAYS = env_int("LAGET_INNSYN_WITHHOLDING_MAX_DAYS", 180)
# The audit log: its origin line, and the Ed25519 signing key as a note signer key string
# (environment or a file, never the database). Without one, development and the demo generate a
# key file under var/; production refuses to sign.
LAGET_LOG_ORIGIN = env_str("LAGET_LOG_ORIGIN", "laget.invalid/audit-log")
LAGET_LOG_SIGNING_KEY = env_str("LAGET_LOG_SIGNING_KEY", "")
LAGET_LOG_SIGNING_KEY_FILE = env_str("LAGET_LOG_SIGNING_KEY_FILE",
                                     str(VAR_DIR / "log-signing.key"))
LAGET_LOG_GENERATE_KEY = env_bool("LAGET_LOG_GENERATE_KEY", DEBUG)
# How long the audit events keep what identifies people (days; 0 = for ever). The data controller
# sets it from the archive and logging rules that apply; the leaves stay and the log verifies.
LAGET_AUDIT_RETENTION_DAYS = env_int("LAGET_AUDIT_RETENTION_DAYS", 5 * 365)
# Records lifecycle (laget.lifecycle): a closed case is due for the Noark 5 archive extract this
# many days after closing; the controller, the data protection officer and the processors named
# in the record of processing activities (GDPR art. 30) and the DPIA's starting document.
LAGET_ARCHIVE_AFTER_DAYS = env_int("LAGET_ARCHIVE_AFTER_DAYS", 365)
LAGET_CONTROLLER_NAME = env_str(
    "LAGET_CONTROLLER_NAME", "Oslo kommune ved bydelene (må bekreftes)")
LAGET_DPO_CONTACT = env_str(
    "LAGET_DPO_CONTACT", "Oslo kommunes personvernombud, personvernombudet@oslo.kommune.no"
    " (må bekreftes)")
LAGET_PROCESSORS = [
    {"name": "Driftsleverandør (må fylles ut)", "role": "Drift og lagring (må fylles ut)",
     "country": "må fylles ut"},
]
# Who may read the log's checkpoints, tiles and proofs: everyone (the demo, or a public log), or
# auditors and outside witnesses holding one of these bearer tokens (comma-separated).
LAGET_LOG_PUBLIC = env_bool("LAGET_LOG_PUBLIC", LAGET_DEMO)
LAGET_LOG_WITNESS_TOKENS = [
    token.strip() for token in env_str("LAGET_LOG_WITNESS_TOKENS", "").split(",") if token.strip()
]
# After a key rotation: the verifier keys of earlier signing keys, comma-separated.
LAGET_LOG_PREVIOUS_VERIFIERS = [
    key for key in env_str("LAGET_LOG_PREVIOUS_VERIFIERS", "").split(",") if key.strip()
]
# The auditor's unusual-access report: a user who reads at least this many distinct persons
# within this many minutes is listed (reads: laget.audit.unusual.READ_ACTIONS — opening a person,
# case, entries, attachment, consent or emergency access; lists are not counted).
LAGET_UNUSUAL_MANY_PERSONS = env_int("LAGET_UNUSUAL_MANY_PERSONS", 20)
LAGET_UNUSUAL_WINDOW_MINUTES = env_int("LAGET_UNUSUAL_WINDOW_MINUTES", 10)
# The most events one XLSX export of the auditor's search holds; a larger result must be narrowed.
LAGET_AUDIT_EXPORT_MAX_ROWS = env_int("LAGET_AUDIT_EXPORT_MAX_ROWS", 100_000)
# Notifications (laget.notify): delivery attempts with exponential backoff (base, 2 × base, …
# up to the max), then the message is marked failed for a human to follow up; a worker's lease on
# a message it is sending (longer than any channel's timeout; after it, another worker resends).
LAGET_NOTIFY_MAX_ATTEMPTS = env_int("LAGET_NOTIFY_MAX_ATTEMPTS", 6)
LAGET_NOTIFY_BACKOFF_BASE_SECONDS = env_int("LAGET_NOTIFY_BACKOFF_BASE_SECONDS", 30)
LAGET_NOTIFY_BACKOFF_MAX_SECONDS = env_int("LAGET_NOTIFY_BACKOFF_MAX_SECONDS", 3600)
LAGET_NOTIFY_LEASE_SECONDS = env_int("LAGET_NOTIFY_LEASE_SECONDS", 120)
LAGET_NOTIFY_BATCH_SIZE = env_int("LAGET_NOTIFY_BATCH_SIZE", 100)
# API clients' bearer tokens (laget.apiclients): default and longest validity, in days.
LAGET_API_TOKEN_DAYS = env_int("LAGET_API_TOKEN_DAYS", 90)
LAGET_API_TOKEN_MAX_DAYS = env_int("LAGET_API_TOKEN_MAX_DAYS", 365)
#: how long a creating request's response is kept for a retry under its Idempotency-Key
LAGET_API_IDEMPOTENCY_HOURS = env_int("LAGET_API_IDEMPOTENCY_HOURS", 48)
# The SMS gateway (JSON over HTTPS, bearer token; plain HTTP only to loopback).
LAGET_NOTIFY_SMS_URL = env_str("LAGET_NOTIFY_SMS_URL", "")
LAGET_NOTIFY_SMS_TOKEN = env_str("LAGET_NOTIFY_SMS_TOKEN", "")
LAGET_NOTIFY_SMS_TIMEOUT_SECONDS = env_int("LAGET_NOTIFY_SMS_TIMEOUT_SECONDS", 10)
# Delivery receipts: the gateway POSTs them to LAGET_NOTIFY_SMS_RECEIPT_URL (sent along with each
# message; e.g. https://laget.example/api/v1/notify/sms/receipts), signed with HMAC-SHA256 and
# this shared secret (no secret: receipts are refused), at most this far from Laget's clock.
LAGET_NOTIFY_SMS_RECEIPT_URL = env_str("LAGET_NOTIFY_SMS_RECEIPT_URL", "")
LAGET_NOTIFY_SMS_RECEIPT_SECRET = env_str("LAGET_NOTIFY_SMS_RECEIPT_SECRET", "")
LAGET_NOTIFY_SMS_RECEIPT_TOLERANCE_SECONDS = env_int(
    "LAGET_NOTIFY_SMS_RECEIPT_TOLERANCE_SECONDS", 300)
# Webhooks to agencies' own systems (laget.notify.webhooks): the key their signing secrets are
# derived from (default: SECRET_KEY — set it on its own so rotating SECRET_KEY does not change
# every agency's secret), the HTTP timeout, and how long a rotated secret still signs.
LAGET_WEBHOOK_KEY = env_str("LAGET_WEBHOOK_KEY", "") or SECRET_KEY
LAGET_WEBHOOK_TIMEOUT_SECONDS = env_int("LAGET_WEBHOOK_TIMEOUT_SECONDS", 10)
LAGET_WEBHOOK_ROTATION_GRACE_HOURS = env_int("LAGET_WEBHOOK_ROTATION_GRACE_HOURS", 24)
# Kontakt- og reservasjonsregisteret (Digdir's Oppslagstjenesten REST, e.g.
# https://kontaktregisteret.no/rest/v1/personer; bearer token; plain HTTP only to loopback):
# guardians' reservations and contact details. Empty = not asked (the demo): the guardian records
# are used. The lookup runs inside the registration's transaction, hence the short timeout.
LAGET_KRR_URL = env_str("LAGET_KRR_URL", "")
LAGET_KRR_TOKEN = env_str("LAGET_KRR_TOKEN", "")
LAGET_KRR_TIMEOUT_SECONDS = env_int("LAGET_KRR_TIMEOUT_SECONDS", 3)
# The demo's console channel (staff without an e-mail address) appends to this file.
LAGET_NOTIFY_CONSOLE_FILE = env_str("LAGET_NOTIFY_CONSOLE_FILE",
                                    str(VAR_DIR / "notify" / "console.log"))
# Links in e-mails are made absolute with this (e.g. https://laget.oslo.kommune.no).
LAGET_NOTIFY_LINK_BASE_URL = env_str("LAGET_NOTIFY_LINK_BASE_URL",
                                     "http://localhost:8000" if DEBUG else "")
LAGET_NOTIFY_MESSAGE_ID_DOMAIN = env_str("LAGET_NOTIFY_MESSAGE_ID_DOMAIN", "laget.invalid")
# Sent and failed messages keep their address and text this many days (0 = for ever).
LAGET_NOTIFY_RETENTION_DAYS = env_int("LAGET_NOTIFY_RETENTION_DAYS", 90)
# The hour (Oslo time) from which the daily reminders go out.
LAGET_NOTIFY_REMINDER_HOUR = env_int("LAGET_NOTIFY_REMINDER_HOUR", 7)
# E-mail (Django's mailers) from EMAIL_* environment variables: SMTP in production, files under
# var/mail in development and the demo.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Laget <ikke-svar@laget.invalid>")
_email_backend = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_email_options: dict[str, object] = {}
if _email_backend.endswith(".smtp.EmailBackend"):
    _email_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
elif _email_backend.endswith(".filebased.EmailBackend"):
    _email_options = {"file_path": env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))}
MAILERS = {"default": {"BACKEND": _email_backend, "OPTIONS": _email_options}}

# Tests that restore the database (serialized_rollback) must not read entries around the sharing
# engine: the records app holds no reference data to restore.
TEST_NON_SERIALIZED_APPS = ["laget.records"]


# Operations (docs/DEPLOYMENT.md): /readyz answers 503 while more audit events wait for the
# sequencer than LAGET_READY_MAX_SEQUENCER_LAG, or the oldest has waited longer than
# LAGET_READY_MAX_SEQUENCER_AGE_SECONDS, or more outbox messages are overdue (queued and due more
# than LAGET_READY_OUTBOX_OVERDUE_SECONDS ago) than LAGET_READY_MAX_OUTBOX_BACKLOG; 0 switches a
# check off. /metrics answers the loopback (without a proxy's forwarding headers) unless
# LAGET_METRICS_LOOPBACK is off, and anyone sending `Authorization: Bearer LAGET_METRICS_TOKEN`.
LAGET_METRICS_TOKEN = env_str("LAGET_METRICS_TOKEN", "")
LAGET_METRICS_LOOPBACK = env_bool("LAGET_METRICS_LOOPBACK", True)
LAGET_READY_MAX_SEQUENCER_LAG = env_int("LAGET_READY_MAX_SEQUENCER_LAG", 10_000)
LAGET_READY_MAX_SEQUENCER_AGE_SECONDS = env_int("LAGET_READY_MAX_SEQUENCER_AGE_SECONDS", 300)
LAGET_READY_MAX_OUTBOX_BACKLOG = env_int("LAGET_READY_MAX_OUTBOX_BACKLOG", 100)
LAGET_READY_OUTBOX_OVERDUE_SECONDS = env_int("LAGET_READY_OUTBOX_OVERDUE_SECONDS", 600)
# Log lines as text (plain) or one JSON object a line (json: laget.core.jsonlog) for a shipper.
LAGET_LOG_FORMAT = env_str("LAGET_LOG_FORMAT", "plain")
if LAGET_LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LAGET_LOG_FORMAT must be plain or json.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "laget.core.jsonlog.JsonFormatter"}},
    # Django's request and security lines name the route instead of the path (PathAsRoute).
    "filters": {"path_as_route": {"()": "laget.core.requestlog.PathAsRoute"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LAGET_LOG_FORMAT,
                             "filters": ["path_as_route"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request lines: errors only, with the route instead of the path (above).
        "django.request": {"level": "ERROR", "filters": ["path_as_route"]},
        "axes": {"level": "WARNING"},
        # Never at DEBUG, even with LOG_LEVEL=DEBUG: the template engine logs a failed variable
        # lookup with the whole context (persons' names), the database backend every query with
        # its parameters (fødselsnumre). tests/test_logs_no_personal_data.py holds this.
        "django.template": {"level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}
