"""Settings shared by every environment; each value that varies comes from the environment.

The README has a table of every variable read here.
"""

from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from config.env import env_bool, env_database, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    # Our apps first so their templates override third-party ones.
    "accounts",
    "pages",
    "learning",
    "courses",
    "scenarios",
    "directory",
    "events",
    "tracking",
    "reports",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.UsersAdminConfig",  # wagtail.users with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "crispy_forms_gds",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.AdminCSPMiddleware",
    "config.middleware.UploadedFileHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionPolicyMiddleware",
    "accounts.middleware.MembershipGateMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "csp.context_processors.nonce",
                "accounts.context_processors.roles",
                "accounts.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = env_url("CACHE_URL", None, schemes=("redis", "rediss", "locmem"))
if _cache_url and _cache_url.startswith("redis"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin and tests' force_login
    "allauth.account.auth_backends.AuthenticationBackend",  # email sign-in, case-insensitive
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: email is the identity; verification is mandatory before sign-in.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Name, agency, team and job role at sign-up; duplicate emails are a form error (accounts.forms).
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Safeguarding training: "
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Single sign-on: each agency's OpenID Connect provider is a SocialApp linked to the agency in
# the Wagtail admin (accounts.AgencyIdentityProvider; docs/accounts.md). accounts.oidc adds the
# nonce, signature and issuer checks allauth's generic provider leaves out. An address the
# provider asserts counts as confirmed only with email_verified true; a confirmed address in the
# agency's domains signs its existing owner in.
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "provider_class": "accounts.oidc.AgencyOIDCProvider",
    }
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_STORE_TOKENS = False
# One way in: the Wagtail and Django admins send sign-in, sign-out and password reset here
# (config.urls redirects their own pages), so verification and rate limits apply everywhere.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_RESET_ENABLED = False
# A signed-in person without admin access who opens the admin is sent to sign-in (as another
# account); redirecting them onwards from there would loop back to the admin.
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# Second factor (allauth MFA): an authenticator app plus recovery codes, required for privileged
# roles (accounts.roles.PRIVILEGED_GROUPS), who are sent to enrol at their first sign-in.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Safeguarding training"
# One 30-second step either side, for phones whose clocks drift.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "accounts.forms.MfaAuthenticateForm",
    "activate_totp": "accounts.forms.MfaActivateTOTPForm",
}

# Sessions end after a time without activity and after an absolute time, shorter for privileged
# roles (accounts.middleware.SessionPolicyMiddleware); the cookie never outlives the longest.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
PRIVILEGED_SESSION_IDLE_SECONDS = env_int("PRIVILEGED_SESSION_IDLE_SECONDS", 30 * 60)
PRIVILEGED_SESSION_ABSOLUTE_SECONDS = env_int("PRIVILEGED_SESSION_ABSOLUTE_SECONDS", 8 * 60 * 60)
SESSION_COOKIE_AGE = max(SESSION_ABSOLUTE_SECONDS, PRIVILEGED_SESSION_ABSOLUTE_SECONDS)

# Rate limits are keyed by account; per-address limits stay generous because an agency's staff
# share one proxy address (200 officers signing in at 9am must all get in). allauth reads the
# client address from X-Forwarded-For only behind this many proxies of ours (0: REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_RATE_LIMITS = {
    "login": "600/m/ip",
    "login_failed": "120/m/ip,5/300s/key",
    "signup": "100/m/ip",
    "reset_password": "100/m/ip,3/h/key",
    "reset_password_from_key": "100/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
    # Ours, through allauth's limiter: the directory's anonymous "report a problem" form.
    "report_problem": "20/h/ip",
}

# The LRS (issue 15): statements per POST (more is a 413; 0: no cap), requests per minute per
# LRS client (more is a 429 with Retry-After; 0: no limit; counted in the shared cache), and
# hosts a destination LRS may be on although they are loopback, private or link-local.
LRS_MAX_BATCH = env_int("LRS_MAX_BATCH", 1000)
LRS_RATE_LIMIT_PER_MINUTE = env_int("LRS_RATE_LIMIT_PER_MINUTE", 1200)
LRS_DESTINATION_ALLOWED_HOSTS = env_list("LRS_DESTINATION_ALLOWED_HOSTS", [])

# Evaluation figures cover whole reporting years starting in this month (4: April to March),
# never custom ranges, so that overlapping ranges cannot be differenced (reports/selectors).
REPORTING_YEAR_START_MONTH = 4

# Learning events (learning.services.learning_event_record): callables taking event=..., run in
# the event's transaction, so what they write exists exactly when the event does.
LEARNING_EVENT_SUBSCRIBERS = [
    "reports.services.rollup.rollup_apply_event",
    "tracking.services.learning_event_track",
    "courses.services.learning.learning_event_course_reevaluate",
]

# Review traceability (reports.selectors.traceability): callables taking no arguments and
# returning {review reference code: [(title, url), ...]} of live training events serving it.
REVIEW_EVENT_SOURCES = ["events.selectors.events_by_review_reference"]

# Required learning that apps above courses and reports own (a rule naming training events):
# callables taking users= and at= and returning learning.selectors.RequirementStanding rows.
# My learning, the staff list and the required-learning figures count them.
REQUIRED_LEARNING_PROVIDERS = [
    "events.selectors.event_requirement_standings",
]

# "Download your data": callables taking user=... and returning a dict of sections. Each app
# appends its own (accounts.services.user_data_export merges them).
PERSONAL_DATA_EXPORTERS = [
    "accounts.selectors.personal_data_for_user",
    "learning.selectors.personal_data_for_user",
    "courses.selectors.records.personal_data_for_user",
    "events.selectors.personal_data_for_user",
    "scenarios.selectors.personal_data_for_user",
    "tracking.selectors.personal_data_for_user",
    "reports.selectors.personal_data.personal_data_for_user",
    "directory.selectors.personal_data.personal_data_for_user",
]

# Erasure (accounts.services.person_erase): callables taking user=... that remove what their
# app holds about the person beyond what cascades with the account; each returns counts.
PERSONAL_DATA_ERASERS = [
    "tracking.services.erasure.person_statements_erase",
    "directory.services.erasure.person_problem_reports_erase",
]

# Retention schedule, in days (None keeps for ever); applied daily by beat (see docs/privacy.md).
RETENTION = {
    "unconfirmed_accounts": env_int("RETENTION_UNCONFIRMED_ACCOUNTS_DAYS", 30),
    "inactive_accounts": env_int("RETENTION_INACTIVE_ACCOUNTS_DAYS", 6 * 365),
    "deliveries_sent": env_int("RETENTION_DELIVERIES_SENT_DAYS", 90),
    "client_statements": env_int("RETENTION_CLIENT_STATEMENTS_DAYS", 2 * 365),
    "problem_report_reporters": env_int("RETENTION_PROBLEM_REPORT_REPORTERS_DAYS", 365),
    "read_notifications": env_int("RETENTION_READ_NOTIFICATIONS_DAYS", 365),
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Content that holds in one area only (local procedures, named policies): another partnership
# points this at its own file, and `local` blocks in content/courses are filled from it.
CONTENT_LOCAL_FILE = Path(env_str("CONTENT_LOCAL_FILE", str(BASE_DIR / "content" / "local.yaml")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Safeguarding training <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run eagerly in-process (the embedded default).
CELERY_BROKER_URL = env_url("CELERY_BROKER_URL", None, schemes=("redis", "rediss", "amqp"))
CELERY_RESULT_BACKEND = env_url("CELERY_RESULT_BACKEND", None, schemes=("redis", "rediss"))
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
if CELERY_TASK_ALWAYS_EAGER:
    # The embedded default: tasks run in the process that queues them, and `celery beat`
    # (which `make run` starts beside the web server) runs the periodic ones in its own
    # process, so due retries and the sweeper need no person. Beat still opens a broker
    # connection; the in-memory transport needs no server and carries nothing.
    CELERY_BROKER_URL = "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_TIMEZONE = TIME_ZONE

WAGTAIL_SITE_NAME = "Safeguarding training"
# No Gravatar: the CSP blocks it (and it would tell a third party who uses the admin).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The database backend picks PostgreSQL full-text search there; stem English words
    # (the directory's "interpreters" finds "interpreting"). SQLite uses FTS5.
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "english"
# No SVG: an SVG is a document that can carry script, and is served from our own origin.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "txt", "vtt", "csv"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_WORKFLOW_ENABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Content Security Policy (django-csp 4). Inline scripts need the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The Wagtail admin relies on inline styles and scripts; config.middleware relaxes the policy there.
CSP_ADMIN_PATHS = ("/admin/", "/django-admin/")

# No framing; the admin's own page previews get SAMEORIGIN from config.middleware.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read on every signed-in request: from the cache (Redis in production), falling
# back to the database, which stays the record.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Wagtail runs its search-index and reference-index tasks in-process; one line per task
    # state change drowns everything else.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}

# manage.py load_demo creates accounts with a published password; production turns this off.
DEMO_DATA_ALLOWED = True

PHASE_BANNER = env_str("PHASE_BANNER", "beta")
FEEDBACK_EMAIL = env_str("FEEDBACK_EMAIL", "training@example.org")
