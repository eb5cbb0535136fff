"""Settings, read from the environment once per process (or built by tests)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Everything configurable about one Polydesk process.

    - `POLYDESK_DATA_DIR`: where the SQLite file and the secret key live
      (default `./polydesk-data`).
    - `DATABASE_URL`: `postgresql://user:pass@host:port/db` to use PostgreSQL;
      unset means SQLite in the data directory.
    - `POLYDESK_SECRET_KEY`: signs session cookies; generated into the data
      directory when unset.
    - `POLYDESK_DISABLE_PLUGINS`: comma-separated plugins never to load.
    - `POLYDESK_REQUIRED_PLUGINS`: comma-separated plugins that must be present.
    - `POLYDESK_PLUGINS`: comma-separated plugin modules to load besides the
      installed entry points, each `name=dotted.module` (or `dotted.module`,
      named by its path); for a plugin in development without a distribution.
    - `POLYDESK_PLUGIN_STATE_TTL`: seconds a worker trusts its view of which
      plugins are enabled before re-checking the database (default 1).
    - `POLYDESK_SECURE_COOKIES`: set to 1 behind HTTPS.
    - `POLYDESK_LOGIN_MAX_FAILURES` (5), `POLYDESK_LOGIN_WINDOW_MINUTES` (15),
      `POLYDESK_LOGIN_LOCK_MINUTES` (15): that many failed logins for one
      username within the window lock it for the lock time, right password or not.
    - `POLYDESK_LOGIN_MAX_FAILURES_PER_ADDRESS` (30): failed logins from one
      client address within the window (any usernames) before it must wait.
    - `POLYDESK_SMTP_HOST`, `POLYDESK_SMTP_PORT` (587 with STARTTLS, else 25),
      `POLYDESK_SMTP_USER`, `POLYDESK_SMTP_PASSWORD`, `POLYDESK_SMTP_STARTTLS`
      (1 by default; 0 for a local relay): where notifications are sent. Unset
      host: notifications wait in the queue and the admin page says so.
    - `POLYDESK_MAIL_FROM`: the From address of notifications.
    - `POLYDESK_BASE_URL`: the public address of the portal, for links in mail.
    - `POLYDESK_SMTP_LISTEN`: `HOST:PORT` for the built-in SMTP listener
      (inbound mail); unset means no listener.
    - `POLYDESK_MAIL_MAX_BYTES` (25 MiB): larger inbound messages are refused.
    - `POLYDESK_MAIL_MAX_PER_SENDER_HOUR` (30): messages one sender may send
      the mailboxes in an hour; more are dropped (a mail loop breaker).
    - `POLYDESK_IMAP_POLL_SECONDS` (60): how often IMAP mailboxes are polled.
    - `POLYDESK_DEFAULT_LOCALE` (en): the organisation's language (en, zh-Hans,
      zh-Hant, pl) when neither the profile nor the browser names one;
      `POLYDESK_DEFAULT_TIMEZONE` (UTC): times are shown in it unless the
      person's profile has a time zone.
    - `POLYDESK_DB_POOL`: 0 turns off the PostgreSQL connection pool (each
      query opens its own connection; the tests do this because their client
      runs the app on another event loop).
    - `POLYDESK_SQLITE_POOL` (1): the server reuses SQLite connections (2-3x
      faster under load); 0 opens one per statement and transaction, as Piccolo
      does (`POLYDESK_DB_POOL=0` turns it off as well).
    """

    data_dir: Path = field(default_factory=lambda: Path("polydesk-data").resolve())
    database_url: str | None = None
    secret_key: str | None = None
    disabled_plugins: tuple[str, ...] = ()
    required_plugins: tuple[str, ...] = ()
    plugin_modules: tuple[str, ...] = ()
    plugin_state_ttl: float = 1.0
    secure_cookies: bool = False
    db_pool: bool = True
    sqlite_pool: bool = True
    smtp_listen: str | None = None
    mail_max_bytes: int = 25 * 1024 * 1024
    mail_max_per_sender_hour: int = 30
    imap_poll_seconds: float = 60
    smtp_host: str = ""
    smtp_port: int = 0  # 0: 587 with STARTTLS, else 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = "polydesk@localhost"
    base_url: str = "http://127.0.0.1:8000"
    login_max_failures: int = 5
    login_max_failures_per_address: int = 30
    login_window_minutes: float = 15
    login_lock_minutes: float = 15
    default_locale: str = "en"
    default_timezone: str = "UTC"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            data_dir=Path(env.get("POLYDESK_DATA_DIR", "polydesk-data")).resolve(),
            database_url=env.get("DATABASE_URL") or None,
            secret_key=env.get("POLYDESK_SECRET_KEY") or None,
            disabled_plugins=_split(env.get("POLYDESK_DISABLE_PLUGINS")),
            required_plugins=_split(env.get("POLYDESK_REQUIRED_PLUGINS")),
            plugin_modules=_split(env.get("POLYDESK_PLUGINS")),
            plugin_state_ttl=float(env.get("POLYDESK_PLUGIN_STATE_TTL", "1")),
            secure_cookies=env.get("POLYDESK_SECURE_COOKIES", "") in ("1", "true", "yes"),
            db_pool=env.get("POLYDESK_DB_POOL", "1") not in ("0", "false", "no"),
            sqlite_pool=env.get("POLYDESK_SQLITE_POOL", "1") not in ("0", "false", "no"),
            smtp_listen=env.get("POLYDESK_SMTP_LISTEN") or None,
            mail_max_bytes=int(env.get("POLYDESK_MAIL_MAX_BYTES", str(25 * 1024 * 1024))),
            mail_max_per_sender_hour=int(env.get("POLYDESK_MAIL_MAX_PER_SENDER_HOUR", "30")),
            imap_poll_seconds=float(env.get("POLYDESK_IMAP_POLL_SECONDS", "60")),
            smtp_host=env.get("POLYDESK_SMTP_HOST", ""),
            smtp_port=int(env.get("POLYDESK_SMTP_PORT") or 0),
            smtp_user=env.get("POLYDESK_SMTP_USER", ""),
            smtp_password=env.get("POLYDESK_SMTP_PASSWORD", ""),
            smtp_starttls=env.get("POLYDESK_SMTP_STARTTLS", "1") not in ("0", "false", "no"),
            mail_from=env.get("POLYDESK_MAIL_FROM") or "polydesk@localhost",
            base_url=(env.get("POLYDESK_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            login_max_failures=int(env.get("POLYDESK_LOGIN_MAX_FAILURES", "5")),
            login_max_failures_per_address=int(
                env.get("POLYDESK_LOGIN_MAX_FAILURES_PER_ADDRESS", "30")
            ),
            login_window_minutes=float(env.get("POLYDESK_LOGIN_WINDOW_MINUTES", "15")),
            login_lock_minutes=float(env.get("POLYDESK_LOGIN_LOCK_MINUTES", "15")),
            default_locale=env.get("POLYDESK_DEFAULT_LOCALE") or "en",
            default_timezone=env.get("POLYDESK_DEFAULT_TIMEZONE") or "UTC",
        )

    @property
    def is_postgres(self) -> bool:
        return bool(self.database_url) and self.database_url.startswith(  # type: ignore[union-attr]
            ("postgres://", "postgresql://")
        )

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "polydesk.sqlite3"

    def session_secret(self) -> bytes:
        """The cookie-signing key: from the setting, else a file in the data directory."""
        if self.secret_key:
            return self.secret_key.encode()[:32].ljust(32, b"0")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.write_text(secrets.token_hex(16))
            path.chmod(0o600)
        return path.read_text().strip().encode()[:32]
