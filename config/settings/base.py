"""Settings shared by every environment. Environment files override what differs."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CQTT_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "cqtt.core",
    "cqtt.units",
    "cqtt.accounts",
    "cqtt.workdays",
    "cqtt.procedures",
    "cqtt.notifications",
    "cqtt.dossiers",
    "cqtt.letters",
    "cqtt.ratings",
    "cqtt.feedback",
    "cqtt.surveys",
    "cqtt.complaints",
    "cqtt.reception",
    "cqtt.dialogues",
    "cqtt.evaluation",
    "cqtt.portal",
    "cqtt.api",
    "cqtt.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cqtt.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cqtt.core.middleware.VietnameseFirstLocaleMiddleware",
    "cqtt.core.middleware.NulPathMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cqtt.core.middleware.SessionExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'cqtt.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process and the task worker use one file at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            # the processes of `make run` share the file: a writer waits up to 30 s for another's transaction
            # (the relay's batch after the demo load) instead of failing after the default 5 s
            "timeout": 30,
        }
    )
elif (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and os.environ.get("DB_PREPARED_STATEMENTS", "0") == "1"
):
    # Opt-in: parameters bound on the server, and a statement run more than 5 times on a connection is prepared
    # there (parsed and planned once). Off by default: with server-side binding a GROUP BY over a parameter
    # fails (Django ticket #34255), and poolers in transaction mode cannot keep prepared statements.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("server_side_binding", True)
    _options.setdefault("prepare_threshold", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff sessions end a working day after the login, however busy, and after an idle period
# (cqtt.core.middleware.SessionExpiryMiddleware; the cookie itself lasts no longer than the working day).
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_MAX_HOURS", "10")) * 3600)
SESSION_IDLE_SECONDS = int(float(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60)
CSRF_FAILURE_VIEW = "cqtt.core.views.csrf_failure"  # in Vietnamese, in the site's layout
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed-login throttling (django-axes): lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cqtt.core.formats"]  # dd/mm/yyyy input for Vietnamese
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never served publicly; files go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Shared cache (rate limits, sessions of several web processes): Redis when REDIS_URL is set, else per-process.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # several deployments (or test runs) may share one Redis
            "KEY_PREFIX": os.environ.get("CQTT_CACHE_KEY_PREFIX", ""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cqtt.api.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the OpenAPI schema and its viewer document the API (no browsable HTML pages)
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "cqtt.api.negotiation.JSONFirstNegotiation",
    # DRF's default parsers, with a JSON parser that refuses bodies nested too deeply (400 rather than 500)
    "DEFAULT_PARSER_CLASSES": [
        "cqtt.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "cqtt.core.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "cqtt.core.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cqtt.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"token": "10/min"},
    # 0: the throttles key on REMOTE_ADDR, never on a client-written X-Forwarded-For (see NUM_PROXIES below)
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES") or 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chính quyền thân thiện API",
    "DESCRIPTION": "API v1 — đơn vị hành chính, thủ tục hành chính, lịch ngày làm việc.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # request bodies get their own components, with what the server refuses (non-blank texts: minLength 1)
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ChannelEnum": "cqtt.dossiers.models.Channel",
        "ApplicantKindEnum": "cqtt.dossiers.models.ApplicantKind",
        "DocumentKindEnum": "cqtt.dossiers.models.DocumentKind",
    },
    # Swagger UI and ReDoc from our own static files (drf-spectacular-sidecar): the docs work without internet
    # and under the Content-Security-Policy below.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Content-Security-Policy (django-csp): scripts, styles, fonts and fetches from our own origin only, no inline
# script, style or event handler anywhere (templates keep their JavaScript and CSS in static files), no frames,
# no plugins; images may also be data: URIs (the QR codes, Swagger UI's icons). See docs/adr/0010.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Working-day calendar (cqtt.workdays). Each part of the counting rule is a setting; see docs/adr/0003.
WORKDAYS = {
    "MORNING": ("07:30", "11:30"),
    "AFTERNOON": ("13:30", "17:00"),
    "CUTOFF": "15:00",
    # Civil Code 2015 Art. 147: the day of receipt is not counted; the period starts the next working day.
    "COUNT_RECEIPT_DAY": False,
    "YEARS": (2015, 2040),
    # how often a process re-checks the override table for changes made by other processes
    "RECHECK_SECONDS": 5,
}

# One-stop dossiers (cqtt.dossiers)
DOSSIERS = {
    # "date": finishing any time on the due date is on time; "datetime": late once the due instant passes
    "TIMELINESS_COMPARE": os.environ.get("DOSSIER_TIMELINESS_COMPARE", "date"),
    # callable(unit_identifier, day, seq) -> str; swap when TT 03/2025 changes the code syntax
    "CODE_GENERATOR": "cqtt.dossiers.rules.dossier_code",
    "SUPPLEMENT_WARNING_DAYS": 3,
    "UPLOAD_MAX_BYTES": 10 * 1024 * 1024,
    # public lookup: wrong phone endings per dossier code (every address together) before the code locks
    "LOOKUP_WRONG_GUESSES": int(os.environ.get("LOOKUP_WRONG_GUESSES", "5")),
    "LOOKUP_LOCK_SECONDS": 15 * 60,
}

# Public lookup budget per client address, shared by the page, the QR page and the API. A commune kiosk or an
# office behind one NAT address serves a morning queue: 30 a minute is one lookup every 2 s from that address.
# Guessing a dossier's 4 phone digits is stopped by the per-code lock above, not by this budget.
LOOKUP_RATE = os.environ.get("LOOKUP_RATE", "30/m")
PORTAL_SUBMIT_RATE = os.environ.get("PORTAL_SUBMIT_RATE", "20/h")
# survey answers per client address (counted in the cache only; the address is never stored — ADR 0019)
SURVEY_ANSWER_RATE = os.environ.get("SURVEY_ANSWER_RATE", "30/h")
# reverse proxies in front of the app (nginx: 1); unset or 0: X-Forwarded-For is not trusted (cqtt.core.ratelimit)
NUM_PROXIES = int(os.environ.get("NUM_PROXIES") or 0)
AXES_CLIENT_IP_CALLABLE = "cqtt.core.ratelimit.client_ip_for_axes"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Outgoing mail (Django's SMTP backend in production: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend,
# EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"

# Citizens' notices (cqtt.notifications; ADR 0016). The SMS adapter: NOTIFY_SMS_GATEWAY_URL alone selects the
# generic JSON gateway; NOTIFY_SMS_BACKEND=esms with the eSMS keys the eSMS.vn brandname API; else the console.
# Zalo ZNS when NOTIFY_ZALO_ACCESS_TOKEN is set. Receipts and SMS replies are accepted with NOTIFY_CALLBACK_TOKEN.
NOTIFY = {
    "SMS_BACKEND": os.environ.get("NOTIFY_SMS_BACKEND", ""),
    "SMS_GATEWAY_URL": os.environ.get("NOTIFY_SMS_GATEWAY_URL", ""),
    "SMS_GATEWAY_TOKEN": os.environ.get("NOTIFY_SMS_GATEWAY_TOKEN", ""),
    "ESMS_URL": os.environ.get("NOTIFY_ESMS_URL", ""),
    "ESMS_API_KEY": os.environ.get("NOTIFY_ESMS_API_KEY", ""),
    "ESMS_SECRET_KEY": os.environ.get("NOTIFY_ESMS_SECRET_KEY", ""),
    "ESMS_BRANDNAME": os.environ.get("NOTIFY_ESMS_BRANDNAME", ""),
    "ESMS_SANDBOX": os.environ.get("NOTIFY_ESMS_SANDBOX", "0") == "1",
    # eSMS's MO (SMS to the unit's service number): its `sign` is checked too when this key is set
    "ESMS_MO_PRIVATE_KEY": os.environ.get("NOTIFY_ESMS_MO_PRIVATE_KEY", ""),
    "ZALO_URL": os.environ.get("NOTIFY_ZALO_URL", ""),
    "ZALO_ACCESS_TOKEN": os.environ.get("NOTIFY_ZALO_ACCESS_TOKEN", ""),
    "ZALO_DEVELOPMENT": os.environ.get("NOTIFY_ZALO_DEVELOPMENT", "0") == "1",
    "ZALO_APP_ID": os.environ.get("NOTIFY_ZALO_APP_ID", ""),
    "ZALO_OA_SECRET": os.environ.get("NOTIFY_ZALO_OA_SECRET", ""),
    "CALLBACK_TOKEN": os.environ.get("NOTIFY_CALLBACK_TOKEN", ""),
    "CALLBACK_BASE_URL": os.environ.get("NOTIFY_CALLBACK_BASE_URL", ""),
    "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    "HTTP_TIMEOUT_SECONDS": float(os.environ.get("NOTIFY_HTTP_TIMEOUT_SECONDS", "10")),
    "STUCK_AFTER_SECONDS": float(os.environ.get("NOTIFY_STUCK_AFTER_SECONDS", "900")),
    "EMAIL_MESSAGE_ID_DOMAIN": os.environ.get("NOTIFY_EMAIL_DOMAIN", "cqtt.local"),
}

# The letters' signature: a hand signature on the printed letter unless a provider class is named (ADR 0017).
LETTERS_SIGNATURE_PROVIDER = os.environ.get("LETTERS_SIGNATURE_PROVIDER", "")

# How outbox events reach their consumers (ADR 0015): "relay" (manage.py outbox_relay reads the outbox; make run
# starts it) or "task" (a task enqueued on commit; the test settings, where the immediate backend runs it at once).
OUTBOX_DELIVERY = os.environ.get("OUTBOX_DELIVERY", "relay")

# Feedback inbox (cqtt.feedback; ADR 0018). Submissions per client address (the form and the API together);
# Zalo OA and Facebook page webhooks' secrets (which unit a message goes to is the unit's own setting); the IMAP
# mailboxes are per unit (staff page), each with the name of the environment variable holding its password.
FEEDBACK_SUBMIT_RATE = os.environ.get("FEEDBACK_SUBMIT_RATE", "10/h")
FEEDBACK = {
    "ZALO_APP_ID": os.environ.get("FEEDBACK_ZALO_APP_ID", ""),
    "ZALO_OA_SECRET": os.environ.get("FEEDBACK_ZALO_OA_SECRET", ""),
    "FACEBOOK_APP_SECRET": os.environ.get("FEEDBACK_FACEBOOK_APP_SECRET", ""),
    "FACEBOOK_VERIFY_TOKEN": os.environ.get("FEEDBACK_FACEBOOK_VERIFY_TOKEN", ""),
    "IMAP_TIMEOUT_SECONDS": float(os.environ.get("FEEDBACK_IMAP_TIMEOUT_SECONDS", "30")),
    "IMAP_BATCH": int(os.environ.get("FEEDBACK_IMAP_BATCH", "50")),
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "FeedbackKindEnum": "cqtt.feedback.models.Kind",
        "FeedbackPublicKindEnum": "cqtt.feedback.models.PUBLIC_KIND_CHOICES",
        "FeedbackStatusEnum": "cqtt.feedback.models.Status",
        "FeedbackChannelEnum": "cqtt.feedback.models.Channel",
    }
)

# --- citizen reception (cqtt.reception) ----------------------------------------------------------------------
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ReceptionVisitKindEnum": "cqtt.reception.models.VisitKind",
        "ReceptionVisitStatusEnum": "cqtt.reception.models.VisitStatus",
        "ReceptionSessionStatusEnum": "cqtt.reception.models.SessionStatus",
        "ReceptionRefusalGroundEnum": "cqtt.reception.models.RefusalGround",
    }
)
