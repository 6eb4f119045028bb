"""One typed settings object, read from the environment and an optional TOML file.

Precedence: command-line options > environment (``THREADLINE_*``) > config file
(``THREADLINE_CONFIG`` or ``./threadline.toml``) > defaults.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from threadline.exc import ConfigError


def database_url(value: str) -> str:
    """Turn a path (``./threadline.db``) or a URL into an SQLAlchemy URL."""
    if "://" in value:
        if value.startswith("postgres://"):
            return "postgresql+psycopg://" + value[len("postgres://") :]
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value[len("postgresql://") :]
        return value
    return f"sqlite:///{Path(value).expanduser()}"


class Settings(BaseSettings):
    """Installation-wide configuration."""

    model_config = SettingsConfigDict(env_prefix="THREADLINE_", extra="ignore")

    db: str = Field(default="./threadline.db", description="SQLite path or database URL")
    default_agency: str = Field(default="local-unit", description="agency owning new collections")
    default_country: str = Field(default="XK", description="ISO 3166 country of that agency")
    batch_size: int = Field(default=50_000, ge=1, description="records per ingestion transaction")
    workers: int = Field(default=0, ge=0, description="ingestion parse processes (0: auto)")
    parallel_min_bytes: int = Field(
        default=8 * 1024 * 1024, ge=0, description="files this large are parsed in parallel"
    )
    data_dir: str = Field(default="./var", description="where uploads and artifacts are kept")
    audit_key_file: str = Field(
        default="",
        description="secret key of the audit chain (default: beside the SQLite file, else "
        "./threadline.audit.key); keep it where database administrators cannot read it",
    )
    audit_anchor_file: str = Field(
        default="",
        description="where the newest audit event is anchored (default: beside the key file)",
    )
    audit_all_agencies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="agencies whose auditors read every agency's audit events (coordinators)",
    )
    token_max_days: int = Field(
        default=365, ge=1, le=3650, description="longest lifetime of an API token, in days"
    )
    secure_cookies: bool = Field(
        default=False,
        description="mark the session cookie Secure (set when users reach the server by HTTPS, "
        "directly or through a proxy)",
    )
    sign_in_source_limit: int = Field(
        default=20, ge=1, description="failed sign-ins one client address may make per window"
    )
    sign_in_source_window_minutes: int = Field(
        default=15, ge=1, description="the window of that limit, in minutes"
    )
    manifest_retention_days: int = Field(
        default=30,
        ge=0,
        le=3650,
        description="days a screened manifest is kept for back-testing screening rules and "
        "re-screening recent travellers (0: keep none)",
    )

    analyse_on_arrival: bool = Field(
        default=True,
        description="queue the analyses that newly ingested data feeds (screen, trace, link, "
        "ads, re-screen) for a worker",
    )
    task_lease_seconds: int = Field(
        default=120,
        ge=5,
        description="a running task whose worker sent no heartbeat for this long is run again",
    )
    worker_poll_seconds: float = Field(
        default=0.2, gt=0, le=60, description="how often an idle worker looks for new tasks"
    )
    serve_worker: bool = Field(
        default=True, description="'threadline serve' runs a worker in its own process"
    )
    rescreen_days: int = Field(
        default=7,
        ge=0,
        description="when a watchlist changes, the manifests screened this many days back are "
        "screened again (within manifest_retention_days)",
    )
    task_retention_days: int = Field(
        default=30, ge=1, description="finished tasks are kept this many days"
    )

    @field_validator("audit_all_agencies", mode="before")
    @classmethod
    def _agency_list(cls, value: Any) -> Any:
        if isinstance(value, str):  # THREADLINE_AUDIT_ALL_AGENCIES="Europol, NCB Lisbon"
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("default_country")
    @classmethod
    def _country(cls, value: str) -> str:
        from threadline.exc import InputError
        from threadline.primitives.inputs import country_code

        try:
            return country_code("", value)
        except InputError as exc:  # pydantic reports a ValueError with the field's name
            raise ValueError(str(exc)) from None

    @property
    def database_url(self) -> str:
        return database_url(self.db)


def _file_values() -> dict[str, Any]:
    path = Path(os.environ.get("THREADLINE_CONFIG", "threadline.toml"))
    if not path.exists():
        if "THREADLINE_CONFIG" in os.environ:
            raise ConfigError(f"config file not found: {path}")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
    section = data.get("threadline", data)
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [threadline] must be a table of settings")
    unknown = [k for k in section if k not in Settings.model_fields]
    if section is not data:  # beside a [threadline] table, a key is read by nothing
        unknown += [k for k in data if k != "threadline"]
    if unknown:
        raise ConfigError(
            f"config file {path}: unknown key {unknown[0]!r} "
            f"(settings, under [threadline]: {', '.join(Settings.model_fields)})"
        )
    return {k: v for k, v in section.items() if f"THREADLINE_{k.upper()}" not in os.environ}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (cached; call ``get_settings.cache_clear()`` in tests)."""
    try:
        return Settings(**_file_values())
    except ValidationError as exc:
        raise ConfigError(f"invalid configuration: {_one_line(exc)}") from None


def _one_line(exc: ValidationError) -> str:
    """Each problem as ``setting: what is wrong`` (pydantic's own report spans many lines)."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()))
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def configure(**overrides: Any) -> Settings:
    """Override settings for this process (command-line options, tests)."""
    get_settings.cache_clear()
    for key, value in overrides.items():
        os.environ[f"THREADLINE_{key.upper()}"] = str(value)
    return get_settings()
