"""Default settings.

Load order (see ``create_app``): these defaults, then ``instance/config.py``, then
``MATCHING_*`` environment variables (``MATCHING_DATABASE_URL``, ``MATCHING_MAIL_SERVER``…),
then the test configuration. Every setting that a deployment may change is listed in the
README.
"""

from datetime import timedelta

# "development" or "production". Production refuses to start without a SECRET_KEY,
# marks cookies Secure, sends HSTS and refuses the demo data.
ENV = "development"

SECRET_KEY = None
# Public address of the site; e-mailed links are built from it, never from the request's
# Host header.
BASE_URL = "http://127.0.0.1:5000"

# Database: a SQLite file in the instance folder unless MATCHING_DATABASE_URL is set
# (postgresql+psycopg://user:password@host:5432/passerelle).
DATABASE_URL = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

# Sessions and cookies.
SESSION_COOKIE_NAME = "passerelle_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False  # forced to True in production
REMEMBER_COOKIE_NAME = "passerelle_remember"
REMEMBER_COOKIE_DURATION = timedelta(days=30)
REMEMBER_COOKIE_HTTPONLY = True
REMEMBER_COOKIE_SAMESITE = "Lax"
REMEMBER_COOKIE_SECURE = False  # forced to True in production
# A session without "remember me" ends after this many minutes without a request.
IDLE_TIMEOUT_MINUTES = 60
PERMANENT_SESSION_LIFETIME = timedelta(days=30)

# Requests larger than this are refused with 413 (file imports included).
MAX_CONTENT_LENGTH = 10 * 1024 * 1024
# Number of trusted reverse proxies in front of the app (X-Forwarded-For/Proto).
PROXY_COUNT = 0

# Passwords: argon2id. The defaults follow argon2-cffi (RFC 9106 low-memory profile).
PASSWORD_MIN_LENGTH = 12
PASSWORD_MAX_LENGTH = 128
ARGON2_TIME_COST = 3
ARGON2_MEMORY_COST = 65536  # KiB
ARGON2_PARALLELISM = 4
PASSWORD_RESET_MAX_AGE = 3600  # seconds
INVITATION_MAX_AGE = 14 * 24 * 3600  # seconds

# Rate limiting (Flask-Limiter). memory:// is per process; use redis:// with several
# gunicorn workers.
RATELIMIT_ENABLED = True
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
LOGIN_LIMIT_PER_ACCOUNT = "10 per 15 minutes"
LOGIN_LIMIT_PER_IP = "10 per 15 minutes"
RESET_LIMIT = "5 per hour"

# Internationalisation.
BABEL_DEFAULT_LOCALE = "fr"
BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
LANGUAGES = {"fr": "Français", "en": "English"}

# E-mail. MAIL_BACKEND "log" writes messages to the log and keeps them in the outbox
# table (readable at /admin/emails) without sending; "smtp" sends them with Flask-Mail.
MAIL_BACKEND = "log"
MAIL_SERVER = "localhost"
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USE_SSL = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_DEFAULT_SENDER = "Passerelle <ne-pas-repondre@passerelle.invalid>"
MAIL_TIMEOUT = 10  # seconds, for the SMTP connection and each command
MAIL_MESSAGE_ID_DOMAIN = "passerelle.invalid"

# Pagination.
PAGE_SIZE = 25

# Logging level for the application logger.
LOG_LEVEL = "INFO"

# Reminders (matching/reminders). Immediate reminders are sent at this hour
# (Europe/Paris) on their due day; digests at each person's chosen hour.
REMINDER_SEND_HOUR = 8
# Rows claimed per dispatcher batch; a batch never holds its claim for longer than half
# of the recovery delay (10 minutes), so another dispatcher never sends it twice.
REMINDER_BATCH_SIZE = 50
# The scheduler process (flask --app matching scheduler): seconds a late tick may still run.
SCHEDULER_MISFIRE_GRACE_TIME = 300
