"""One env-driven settings module; bad values fail loudly at start-up.

Every variable is documented in `.env.example`.
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ejournal.core.dburl import database_parse

BASE_DIR = Path(__file__).resolve().parent.parent


def _env(name: str, default: str | None = None) -> str:
    import os

    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required")
    return value


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name, "1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def _env_int(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in _env(name, default).split(",") if item.strip()]


DEBUG = _env_bool("DJANGO_DEBUG", False)
# Production config: DJANGO_PRODUCTION=1 turns on secure cookies, HSTS, SSL redirect.
PRODUCTION = _env_bool("DJANGO_PRODUCTION", False)

_DEV_SECRET = "dev-insecure-secret-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - dev only, refused in production
SECRET_KEY = _env("DJANGO_SECRET_KEY", None if PRODUCTION else _DEV_SECRET)
if PRODUCTION and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")

ALLOWED_HOSTS = _env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Domain apps, from the foundations up (see docs/architecture.md).
    "ejournal.access",
    "ejournal.core",
    "ejournal.accounts",
    "ejournal.schools",
    "ejournal.people",
    "ejournal.regulation",
    "ejournal.curriculum",
    "ejournal.timetable",
    "ejournal.journal",
    "ejournal.diary",
    "ejournal.notifications",
    "ejournal.service",
    "ejournal.control",
    "ejournal.support",
    "ejournal.reports",
    "ejournal.archive",
    "ejournal.city",
    "ejournal.portal",
    # The open API and the OAuth2/OIDC authorization server (docs/decisions/0013-open-api.md).
    "oauth2_provider",
    "ejournal.api",
    "ejournal.demo",
]

MIDDLEWARE = [
    # Outermost: times every request (Prometheus, ejournal/core/metrics.py).
    "ejournal.core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the session is read: a diary or report page reads from the standby (ejournal/core/routing.py).
    "ejournal.core.routing.ReadRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ejournal.core.middleware.LanguageMiddleware",
    # Before anything that reads the body (the CSRF check reads the form): oversized bodies are refused unread.
    "ejournal.core.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ejournal.portal.middleware.ActorMiddleware",
    "ejournal.people.middleware.PasswordChangeRequiredMiddleware",
    # After it: a user who must enrol a second factor is kept on the enrolment page; last seen of the session.
    "ejournal.accounts.middleware.SignInSessionMiddleware",
    "ejournal.core.middleware.SecurityHeadersMiddleware",
    "ejournal.core.middleware.OutageMiddleware",  # a view's OperationalError: 503, not 500
    # AxesMiddleware last, as its docs require.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ejournal.urls"
WSGI_APPLICATION = "ejournal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ejournal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ejournal.portal.context_processors.navigation",
            ],
        },
    },
    {  # the hot-path fragments (`<app>/jinja2/`): compiled once per process (decision 0025)
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "ejournal.core.templating.environment",
            "autoescape": True,
            "trim_blocks": True,  # a line holding only a block tag leaves nothing in the HTML
            "lstrip_blocks": True,
            "libraries": ("ejournal.core.templatetags.ru_format", "ejournal.diary.templatetags.diary_format"),
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite file under var/ by default; PostgreSQL by DATABASE_URL.
(BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
DATABASE_URL = _env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'ejournal.sqlite3'}")
# A list of hosts (pg_auto_failover's `…@h1:5432,h2:5432/db?target_session_attrs=read-write`) goes to libpq as it is.
DATABASES = {"default": database_parse(DATABASE_URL, conn_max_age=_env_int("DB_CONN_MAX_AGE", 60))}
# Production topology (docs/deploy.md): the standby(s) for reads that tolerate a second of lag, through
# ejournal.core.routing (`…?target_session_attrs=prefer-standby` over every node). Empty: one database.
DATABASE_REPLICA_URL = _env("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database_parse(DATABASE_REPLICA_URL, conn_max_age=_env_int("DB_CONN_MAX_AGE", 60))
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["ejournal.core.routing.ReplicaRouter"]
READ_REPLICA_ALIAS = "replica" if DATABASE_REPLICA_URL else ""
# GET pages under these paths read from the standby (the diary, the city's reports and monitoring, the control).
READ_REPLICA_PATHS = _env_list("READ_REPLICA_PATHS", "/diary/,/city/,/control/")
# After a request that may have written, the user's reads stay on the primary this long (read-your-writes).
READ_PIN_SECONDS = _env_int("READ_PIN_SECONDS", 10)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and IMMEDIATE transactions: writers queue instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    # DB_POOL_MAX > 0: Django's psycopg pool in each process (psycopg-pool), DB_POOL_MAX connections at most per
    # alias, DB_POOL_MIN kept open; a request takes one at its first query and gives it back at its end, and
    # waits DB_POOL_TIMEOUT seconds at most for one (then 503, core.outage). 0 (the default): one persistent
    # connection per thread (DB_CONN_MAX_AGE). Measured against each other: docs/decisions/0019-cluster-pooling.md.
    DB_POOL_MAX = _env_int("DB_POOL_MAX", 0)
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database["ENGINE"] = "ejournal.core.postgresql"
        # Checked at each request's first query (persistent) or as the pool hands it out (pool); by the socket,
        # not by a round trip (ejournal/core/postgresql).
        _database["CONN_HEALTH_CHECKS"] = True
        if DB_POOL_MAX:
            _database["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django's own persistence is off
            _database.setdefault("OPTIONS", {})["pool"] = {
                "min_size": min(_env_int("DB_POOL_MIN", 1), DB_POOL_MAX),
                "max_size": DB_POOL_MAX,
                "timeout": _env_int("DB_POOL_TIMEOUT", 10),
                "max_idle": 300,
            }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
REDIS_URL = _env("REDIS_URL", "")
# Sessions, users' roles and actors live here. With several worker processes the cache
# must be shared (Redis): a per-process LocMem cache would not see another worker's
# invalidation (see docs/decisions/0004-actor-cache.md).
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "ejournal.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": _env_int("LOCMEM_CACHE_MAX_ENTRIES", 10000)},
        }
    }
# A user's roles and actors are cached this long at most (a safety net: every change made
# through the application forgets them at once; see ejournal/access/generation.py).
ACCESS_CACHE_SECONDS = _env_int("ACCESS_CACHE_SECONDS", 3600)

# --- Outages: Redis and PostgreSQL away ----------------------------------------
# Redis is optional (ejournal/core/cache.py, docs/decisions/0007-outages.md): every connect and every
# reply waits at most this long, a failure makes reads miss and writes drop (sessions, access and pages
# then come from the database), and Redis is left alone for CACHE_DOWN_SECONDS before one background
# thread tries it again. Keys written while it was away (at most CACHE_LOST_KEYS_MAX, else all of ours)
# are deleted before it is used again, so no invalidation lost meanwhile leaves a stale entry.
CACHE_CONNECT_TIMEOUT_MS = _env_int("CACHE_CONNECT_TIMEOUT_MS", 250)
CACHE_TIMEOUT_MS = _env_int("CACHE_TIMEOUT_MS", 250)
CACHE_DOWN_SECONDS = _env_int("CACHE_DOWN_SECONDS", 5)
CACHE_LOST_KEYS_MAX = _env_int("CACHE_LOST_KEYS_MAX", 20000)
if not (0 < CACHE_CONNECT_TIMEOUT_MS <= 1000 and 0 < CACHE_TIMEOUT_MS <= 1000 and CACHE_DOWN_SECONDS > 0):
    raise ImproperlyConfigured("CACHE_*_TIMEOUT_MS must be 1..1000 (250 advised) and CACHE_DOWN_SECONDS positive")
# PostgreSQL away (OperationalError/InterfaceError): 503 with this Retry-After, a Russian page
# (templates/503.html) or, for htmx and JSON requests, a short text the journal's grid shows.
OUTAGE_RETRY_AFTER_SECONDS = _env_int("OUTAGE_RETRY_AFTER_SECONDS", 30)
# Login throttling keeps its counters in the database, never in the cache (Redis away must not 500 it).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

# The interpreter's thread switch interval in the WSGI server's processes (ejournal/wsgi.py), in
# microseconds. With threaded workers a request waiting on a reply from PostgreSQL or Redis takes the GIL
# back only when the thread rendering a page gives it up: after 5 ms by default, for each of its round
# trips; bench/README.md (diary_load, session 6) has the cached diary week's latency with and without it.
WSGI_SWITCH_INTERVAL_US = _env_int("WSGI_SWITCH_INTERVAL_US", 1000)

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ejournal.accounts.backends.UserBackend",  # ModelBackend, the session's user read by a prepared statement
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# --- The city's monthly indicators computed live (ejournal.control.indicators.school_month_indicators) ------
# The schools are counted in this many parts at once, each on its own thread and database connection (PostgreSQL,
# outside a transaction): the whole city's month is one core's work per statement otherwise.
INDICATORS_PARALLEL = _env_int("INDICATORS_PARALLEL", 2)
# --- Sign-in at the peak (ejournal.accounts.signin_gate) ------------------------------------------
# Password checks at once per process; another sign-in waits this long for a slot, then is asked to try again.
SIGNIN_CONCURRENCY = _env_int("SIGNIN_CONCURRENCY", 1)
SIGNIN_WAIT_SECONDS = _env_int("SIGNIN_WAIT_MS", 2000) / 1000
# --- Credential slips: one-time passwords (ejournal.accounts.passwords) -----------------------------
# Random passwords of the slips (changed at the first sign-in, then re-hashed at the site's cost) are
# hashed with Argon2id at OWASP's minimum, not at the sign-in cost: a class's sheet in 2 s, not 21 s.
CREDENTIALS_PASSWORD_LENGTH = _env_int("CREDENTIALS_PASSWORD_LENGTH", 10)
CREDENTIALS_ARGON2_MEMORY_KIB = _env_int("CREDENTIALS_ARGON2_MEMORY_KIB", 19456)
CREDENTIALS_ARGON2_TIME_COST = _env_int("CREDENTIALS_ARGON2_TIME_COST", 2)
CREDENTIALS_ARGON2_PARALLELISM = _env_int("CREDENTIALS_ARGON2_PARALLELISM", 1)
if CREDENTIALS_PASSWORD_LENGTH < 10:
    raise ImproperlyConfigured("CREDENTIALS_PASSWORD_LENGTH must be at least 10 (the slips' hashing relies on it)")
if CREDENTIALS_ARGON2_MEMORY_KIB < 19456 or CREDENTIALS_ARGON2_TIME_COST < 2 or CREDENTIALS_ARGON2_PARALLELISM < 1:
    raise ImproperlyConfigured("CREDENTIALS_ARGON2_*: not below OWASP's Argon2id minimum (19456 KiB, t=2, p=1)")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"


# --- OAuth 2.0 / OpenID Connect authorization server (django-oauth-toolkit) ------------------------
# The RSA key that signs ID tokens: OIDC_RSA_PRIVATE_KEY (PEM text) or OIDC_RSA_PRIVATE_KEY_FILE; required in
# production. Elsewhere a development key is generated once into var/ and shared by every process.
def _oidc_private_key() -> str:
    import os

    if os.environ.get("OIDC_RSA_PRIVATE_KEY"):
        return os.environ["OIDC_RSA_PRIVATE_KEY"]
    path = os.environ.get("OIDC_RSA_PRIVATE_KEY_FILE")
    if path:
        return Path(path).read_text()
    if PRODUCTION:
        raise ImproperlyConfigured("OIDC_RSA_PRIVATE_KEY or OIDC_RSA_PRIVATE_KEY_FILE must be set in production")
    dev = BASE_DIR / "var" / "oidc-dev-key.pem"
    if not dev.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        dev.parent.mkdir(parents=True, exist_ok=True)
        tmp = dev.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pem)
        os.replace(tmp, dev)  # atomic: concurrent first starts each write a whole key, one wins
    return dev.read_text()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _oidc_private_key(),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "ejournal.api.oauth.Validator",
    "SCOPES_BACKEND_CLASS": "ejournal.api.scopes.AreaScopes",
    "ACCESS_TOKEN_EXPIRE_SECONDS": _env_int("OAUTH_ACCESS_TOKEN_SECONDS", 3600),
    "REFRESH_TOKEN_EXPIRE_SECONDS": _env_int("OAUTH_REFRESH_TOKEN_SECONDS", 30 * 24 * 3600),
    "ID_TOKEN_EXPIRE_SECONDS": _env_int("OAUTH_ID_TOKEN_SECONDS", 3600),
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if PRODUCTION else ["https", "http"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # RFC 9700 (the OAuth 2.0 Security BCP), every item: no implicit or password grant, PKCE S256 only, tokens
    # in the Authorization header only, `iss` in the authorization response, tokens stored hashed, a replayed
    # refresh token revokes its whole family. (`manage.py check --deploy` warns otherwise.)
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
# Requests per minute one API client (an application, or an application for one person) may make;
# counted in the shared cache, and not counted at all while Redis is away (docs/decisions/0013).
API_RATE_LIMIT_PER_MINUTE = _env_int("API_RATE_LIMIT_PER_MINUTE", 600)
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: lock by login name AND address together, so that somebody
# guessing a teacher's password from elsewhere cannot lock the teacher out.
AXES_FAILURE_LIMIT = _env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Our own page: axes passes only a timedelta, we show the clock time to retry at.
AXES_LOCKOUT_CALLABLE = "ejournal.accounts.lockout.lockout"
AXES_VERBOSE = False
# Reverse proxies of our own in front of the application (nginx: 1). With 0 the client's
# address is REMOTE_ADDR; otherwise the entry that many places from the right of
# X-Forwarded-For (see ejournal/core/net.py). Login throttling and the public form's
# rate limit both use it. AXES_PROXY_COUNT is the former name of this variable.
TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", _env_int("AXES_PROXY_COUNT", 0))
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must not be negative")
AXES_CLIENT_IP_CALLABLE = "ejournal.core.net.client_ip"

# --- Second factor (TOTP, django-otp) -----------------------------------------------------------
# Roles that cannot sign in without a second factor (docs/decisions/0014-second-factor-and-provider.md).
# Empty (OTP_REQUIRED_ROLES=) requires it of nobody: the demo and the walk, which sign in by password only;
# `check --deploy` warns about that. Other roles may switch it on for themselves.
OTP_REQUIRED_ROLES = _env_list(
    "OTP_REQUIRED_ROLES", "director,deputy_head,journal_coordinator,district_officer,municipal_officer,methodist"
)
# The roles a user holds today, by import path (accounts sits below the app that knows appointments).
OTP_ROLES_OF_USER = "ejournal.people.selectors.user_roles_today"
OTP_TOTP_ISSUER = _env("OTP_TOTP_ISSUER", "Электронный журнал")
# Wrong codes are throttled by django-axes together with wrong passwords, not by django-otp's own back-off.
OTP_TOTP_THROTTLE_FACTOR = 0
# How long the password step stays good while the code is being typed.
OTP_PENDING_SECONDS = _env_int("OTP_PENDING_SECONDS", 300)
# The session's «last seen» is written at most this often (no write per request at evening peaks).
SIGN_IN_SEEN_EVERY_SECONDS = _env_int("SIGN_IN_SEEN_EVERY_SECONDS", 600)

# --- Sign-in through an external OpenID Connect provider (ЕСИА-style), docs/ru/sign-in-provider.md -------
# Off while OIDC_RP_DISCOVERY_URL is empty. The client is registered at the provider with the redirect URI
# SITE_URL/accounts/provider/callback/.
OIDC_RP_DISCOVERY_URL = _env("OIDC_RP_DISCOVERY_URL", "")
OIDC_RP_CLIENT_ID = _env("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = _env("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SCOPES = " ".join(dict.fromkeys(["openid", *_env("OIDC_RP_SCOPES", "openid profile email").split()]))
OIDC_RP_PROVIDER_NAME = _env("OIDC_RP_PROVIDER_NAME", "Госуслуги")
OIDC_RP_TIMEOUT_SECONDS = _env_int("OIDC_RP_TIMEOUT_SECONDS", 5)
# Clock difference tolerated on the ID token's times (seconds).
OIDC_RP_LEEWAY_SECONDS = _env_int("OIDC_RP_LEEWAY_SECONDS", 60)
if OIDC_RP_DISCOVERY_URL and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured("OIDC_RP_CLIENT_ID is required when OIDC_RP_DISCOVERY_URL is set")
if PRODUCTION and OIDC_RP_DISCOVERY_URL and not OIDC_RP_DISCOVERY_URL.startswith("https://"):
    raise ImproperlyConfigured("OIDC_RP_DISCOVERY_URL must be https in production")

# Sessions end when the browser closes, and at the latest a working day after the
# session last changed (sign-in, role switch): no session write on every request at evening peaks.
# Sessions are read from the cache and written through to the database (survive a cache flush).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = _env_int("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = _env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- E-mail (municipality's own SMTP; no third-party mail service) ------------
EMAIL_HOST = _env("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = _env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = _env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = _env("DEFAULT_FROM_EMAIL", "ejournal@localhost")
EMAIL_BACKEND = _env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)

# --- Language and time --------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "ejournal" / "locale"]
TIME_ZONE = _env("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "ejournal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(_env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: a roster file larger than this is refused before it is parsed.
IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = _env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 12 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Request size limits (ejournal.core.middleware.RequestSizeLimitMiddleware) ----------
# A request body larger than its path's limit is refused with 413 before a byte of it is read
# (nothing is spooled to disk). nginx applies the same limits (client_max_body_size, docs/deploy.md).
# The general limit covers the support desk (5 files of 5 MB) and the imports (IMPORT_MAX_BYTES).
REQUEST_MAX_BYTES = _env_int("REQUEST_MAX_BYTES", 30 * 1024 * 1024)
# The public pages of the municipal service (/u/…): forms of text only.
SERVICE_REQUEST_MAX_BYTES = _env_int("SERVICE_REQUEST_MAX_BYTES", 64 * 1024)
# A homework with its files (/journal/lesson/<id>/homework/): 5 files of 10 MB (the journal rules'
# homework_max_files × homework_max_bytes) and the form; raise it with those rules.
HOMEWORK_REQUEST_MAX_BYTES = _env_int("HOMEWORK_REQUEST_MAX_BYTES", 52 * 1024 * 1024)
for _name in ("REQUEST_MAX_BYTES", "SERVICE_REQUEST_MAX_BYTES", "HOMEWORK_REQUEST_MAX_BYTES"):
    if globals()[_name] <= 0:
        raise ImproperlyConfigured(f"{_name} must be positive")
# The first pattern matching the path (PATH_INFO) gives its limit; other paths get REQUEST_MAX_BYTES.
REQUEST_MAX_BYTES_BY_PATH = [
    (r"^/u/", SERVICE_REQUEST_MAX_BYTES),
    (r"^/journal/lesson/\d+/homework/$", HOMEWORK_REQUEST_MAX_BYTES),
]

# Background jobs (imports…): "thread" in this process, "sync" inline, or a dotted
# path to a runner callable (e.g. one that hands the job to a Celery worker).
TASK_RUNNER = _env("TASK_RUNNER", "thread")
# An import still queued or running this long after the upload was cut off by a restart:
# it is marked failed (Celery beat, `manage.py import_jobs_expire` from cron, and the import pages).
IMPORT_JOB_STALE_MINUTES = _env_int("IMPORT_JOB_STALE_MINUTES", 30)
if IMPORT_JOB_STALE_MINUTES <= 0:
    raise ImproperlyConfigured("IMPORT_JOB_STALE_MINUTES must be positive")

# --- Caps of an uploaded table (core.imports.caps): a file over any of them is refused with a message naming it ---
# Rows and cells the file holds, empty or not; the last column that may hold a value.
IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 20_000)
IMPORT_MAX_COLUMNS = _env_int("IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_CELLS = _env_int("IMPORT_MAX_CELLS", 500_000)
# An XLSX is a zip: the sizes its parts declare unpacked (all together), checked before anything is unpacked,
# and how many times a part (of 1 MB or more unpacked) may be bigger unpacked than packed; 0 turns that off.
IMPORT_MAX_UNCOMPRESSED_MB = _env_int("IMPORT_MAX_UNCOMPRESSED_MB", 25)
IMPORT_MAX_COMPRESSION_RATIO = _env_int("IMPORT_MAX_COMPRESSION_RATIO", 100)
for _name in ("IMPORT_MAX_ROWS", "IMPORT_MAX_COLUMNS", "IMPORT_MAX_CELLS", "IMPORT_MAX_UNCOMPRESSED_MB"):
    if globals()[_name] <= 0:
        raise ImproperlyConfigured(f"{_name} must be positive")
if IMPORT_MAX_COMPRESSION_RATIO < 0:
    raise ImproperlyConfigured("IMPORT_MAX_COMPRESSION_RATIO must be 0 (off) or positive")

# --- E-mail digests for families (ejournal.notifications) ----------------------
# Links in e-mails (diary, settings, unsubscribe) are built from this address.
SITE_URL = _env("SITE_URL", "http://127.0.0.1:8000")
NOTIFICATIONS_TIME_ZONE = _env("NOTIFICATIONS_TIME_ZONE", "Europe/Moscow")
try:
    __import__("zoneinfo").ZoneInfo(NOTIFICATIONS_TIME_ZONE)
except (ValueError, LookupError) as exc:
    raise ImproperlyConfigured(f"NOTIFICATIONS_TIME_ZONE: unknown time zone {NOTIFICATIONS_TIME_ZONE!r}") from exc
# Send times and quiet hours are chosen in steps of this many minutes (a divisor of 60).
NOTIFICATIONS_TIME_STEP_MINUTES = _env_int("NOTIFICATIONS_TIME_STEP_MINUTES", 30)
if NOTIFICATIONS_TIME_STEP_MINUTES <= 0 or 60 % NOTIFICATIONS_TIME_STEP_MINUTES:
    raise ImproperlyConfigured("NOTIFICATIONS_TIME_STEP_MINUTES must divide 60")
# How often the periodic run looks for due digests (Celery beat; cron uses its own line).
NOTIFICATIONS_RUN_EVERY_MINUTES = _env_int("NOTIFICATIONS_RUN_EVERY_MINUTES", 5)
if NOTIFICATIONS_RUN_EVERY_MINUTES <= 0:
    raise ImproperlyConfigured("NOTIFICATIONS_RUN_EVERY_MINUTES must be positive")
# A digest covers changes up to this many seconds ago, so journal saves still in flight are not skipped.
NOTIFICATIONS_SETTLE_SECONDS = _env_int("NOTIFICATIONS_SETTLE_SECONDS", 60)
# Attempts at one digest when the SMTP server refuses it; later its items go with the next day's digest.
NOTIFICATIONS_MAX_ATTEMPTS = _env_int("NOTIFICATIONS_MAX_ATTEMPTS", 5)

# --- City layer: the monthly figures' history (ejournal.city) -------------------------
# The 5-minute refresh also keeps the stored journal figures of this many months before the current one (the
# monitoring's charts); a past month is recomputed when a change record touches its lessons (or its terms'), and
# at the latest after CITY_FIGURES_PAST_RECOMPUTE_MINUTES. The other EJ_CITY numbers: ejournal/city/rules.py.
EJ_CITY = {
    "figures_past_months": _env_int("CITY_FIGURES_PAST_MONTHS", 12),
    "figures_past_recompute_minutes": _env_int("CITY_FIGURES_PAST_RECOMPUTE_MINUTES", 24 * 60),
}

# --- Year-end archive and tamper evidence (decision 0012) ----------------------------------
# АП-147/07 (the list of standard archival documents): the class journals are kept 5 years, the summary sheets of
# marks (сводные ведомости) 25 years. The archive lists each file's «храниться до» from these.
ARCHIVE_ROOT = Path(_env("ARCHIVE_ROOT", str(BASE_DIR / "var" / "archive")))
ARCHIVE_RETENTION_JOURNAL_YEARS = _env_int("ARCHIVE_RETENTION_JOURNAL_YEARS", 5)
ARCHIVE_RETENTION_SUMMARY_YEARS = _env_int("ARCHIVE_RETENTION_SUMMARY_YEARS", 25)
# PDFs of one archive rendered in parallel (processes); 1 renders in the job's own process.
ARCHIVE_PDF_WORKERS = _env_int("ARCHIVE_PDF_WORKERS", 1)
# The archive's PDFs embed DejaVu Sans (Debian: fonts-dejavu-core) from this directory.
ARCHIVE_FONT_DIR = Path(_env("ARCHIVE_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
JOURNAL_VERIFY_EVERY_HOURS = _env_int("JOURNAL_VERIFY_EVERY_HOURS", 24)

# Celery (optional worker for the digests: `make worker`); the broker is the municipality's own Redis.
CELERY_BROKER_URL = _env("CELERY_BROKER_URL", "") or REDIS_URL or "redis://127.0.0.1:6379/0"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "notifications-send-due-digests": {
        "task": "notifications.send_due_digests",
        "schedule": NOTIFICATIONS_RUN_EVERY_MINUTES * 60.0,
        # A run not started before the next one is due is dropped, never piled up.
        "options": {"expires": NOTIFICATIONS_RUN_EVERY_MINUTES * 60.0},
    },
    "core-expire-import-jobs": {
        "task": "core.expire_import_jobs",
        "schedule": 600.0,
        "options": {"expires": 600.0},
    },
    # The city's stored monthly figures, maintained: every 5 minutes the schools whose journal changed since their
    # figures are recomputed, the others only marked checked (EJ_CITY figures_max_age_minutes, figures_recompute_minutes).
    "city-month-figures": {
        "task": "city.refresh_month_figures",
        "schedule": 300.0,
        "options": {"expires": 300.0},
    },
    # The journal's hash chains verified and anchored (decision 0012); the anchors feed the city's monthly report.
    "journal-verify-chains": {
        "task": "journal.verify_chains",
        "schedule": JOURNAL_VERIFY_EVERY_HOURS * 3600.0,
        "options": {"expires": JOURNAL_VERIFY_EVERY_HOURS * 3600.0},
    },
    # At the year's end each school's year is archived once (decision 0012).
    "archive-year-end": {
        "task": "archive.year_end",
        "schedule": 6 * 3600.0,
        "options": {"expires": 6 * 3600.0},
    },
    # Archives past their retention: the print journals, later the whole zip, deleted (the rows stay, marked).
    "archive-retention": {
        "task": "archive.retention",
        "schedule": 24 * 3600.0,
        "options": {"expires": 24 * 3600.0},
    },
}

# --- Site frame: long lists (task G, «Journeys without dead ends») ------------------------
# Findings per page of the filling control's drill-down list: a month of a school's findings can be
# thousands of rows, too many for a phone and for screen readers.
CONTROL_FINDINGS_PAGE_SIZE = _env_int("CONTROL_FINDINGS_PAGE_SIZE", 100)
# School reports: a student who missed more than this share of lessons (%) is listed (REQUIREMENTS §3).
REPORTS_ABSENCE_ALERT_PERCENT = _env_int("REPORTS_ABSENCE_ALERT_PERCENT", 30)

# LOG_FORMAT=json: one JSON object a line on stderr (ejournal/core/logs.py), for a log shipper; `text` by default.
LOG_FORMAT = _env("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ejournal.core.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "WARNING")},
}
