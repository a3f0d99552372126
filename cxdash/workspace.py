"""The workspace: one DuckDB file holding feedback, the touchpoint map, the promise and imports.

The schema is built by numbered migrations (``MIGRATIONS``); a workspace
records which have run in ``schema_migrations`` and is brought up to date when
opened. Every write goes through :meth:`Workspace.transaction`, which commits
all or nothing and bumps the workspace *data version* that caches key on.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from cxdash.errors import WorkspaceError

DEFAULT_DB = Path("workspace") / "cxdash.duckdb"

Migration = tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None] | str]

_M1_CORE = """
CREATE TABLE imports (
    import_id     VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL,          -- feedback | touchpoints
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR NOT NULL,
    sheet         VARCHAR,
    fingerprint   VARCHAR,                   -- source layout (normalised header) of the first sheet
    layout        VARCHAR,                   -- long | wide
    header_rows   INTEGER,
    mapping       JSON,                      -- canonical field -> source column
    options       JSON,                      -- overrides the user gave
    rows_read     INTEGER,
    rows_loaded   INTEGER,
    rows_rejected INTEGER,
    rows_duplicate INTEGER,
    respondents   INTEGER,
    touchpoints   JSON,                      -- touchpoint names found
    warnings      JSON,
    errors        JSON,                      -- [{row, column, reason}]
    previous      JSON,                      -- touchpoint map / promise before this import (for undo)
    imported_at   TIMESTAMP NOT NULL DEFAULT current_timestamp,
    undone_at     TIMESTAMP
);

CREATE TABLE feedback (
    import_id     VARCHAR NOT NULL,
    sheet         VARCHAR,                   -- sheet the row came from (CSV: NULL)
    source_row    INTEGER NOT NULL,          -- row number as the user sees it in Excel
    response_id   VARCHAR NOT NULL,          -- given by the export, else "<import_id>-<row>"
    response_key  BIGINT NOT NULL,           -- one integer per (import_id, response_id), unique
                                             -- in the workspace: what analytics group responses by
    id_given      BOOLEAN NOT NULL,          -- response_id came from the file
    respondent_id VARCHAR,
    ts            TIMESTAMP,
    stage         VARCHAR,
    touchpoint    VARCHAR,
    channel       VARCHAR,
    segments      MAP(VARCHAR, VARCHAR),     -- segment dimension -> value
    metric        VARCHAR NOT NULL,          -- nps | csat | ces | rating | overall | unscored
    raw_value     VARCHAR,
    value         DOUBLE,
    scale_min     DOUBLE,
    scale_max     DOUBLE,
    score         DOUBLE,                    -- value normalised to 0-100
    comment       VARCHAR,
    language      VARCHAR,
    themes        VARCHAR[],
    theme_source  VARCHAR,                   -- export | codebook
    extra         JSON                       -- unmapped source columns, kept
);

CREATE TABLE touchpoints (
    touchpoint    VARCHAR PRIMARY KEY,
    stage         VARCHAR,
    stage_order   INTEGER,
    channel       VARCHAR,
    provider      VARCHAR,                   -- one of the seven experience providers
    owner         VARCHAR,
    importance    DOUBLE,                    -- stated importance
    pillar        VARCHAR,                   -- reason to believe it must prove
    target        DOUBLE,                    -- promise target in target_unit
    target_unit   VARCHAR,                   -- mean | share | nps | score
    target_metric VARCHAR,                   -- csat | ces | nps | rating | overall
    description   VARCHAR,
    import_id     VARCHAR
);

CREATE TABLE promise (
    position      INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,          -- statement | reason_to_believe
    name          VARCHAR NOT NULL,
    description   VARCHAR
);

CREATE TABLE settings (
    key           VARCHAR PRIMARY KEY,
    value         JSON
);

CREATE TABLE mapping_memory (
    fingerprint   VARCHAR PRIMARY KEY,      -- normalised header of a source layout
    kind          VARCHAR NOT NULL,
    overrides     JSON NOT NULL,            -- source column -> role (and options)
    updated_at    TIMESTAMP NOT NULL DEFAULT current_timestamp
);

INSERT INTO settings VALUES ('data_version', '0');
"""

MIGRATIONS: list[Migration] = [
    (1, "core tables", _M1_CORE),
]


def register_migration(
    version: int, name: str, step: Callable[[duckdb.DuckDBPyConnection], None] | str
) -> None:
    """Add a migration (library modules call this at import time for their own tables)."""
    if any(v == version for v, _, _ in MIGRATIONS):
        raise ValueError(f"migration {version} is already registered")
    MIGRATIONS.append((version, name, step))
    MIGRATIONS.sort(key=lambda m: m[0])


# Writes committed in this process, per database file (see Workspace.version_token).
_WRITE_STAMPS: dict[str, int] = {}
_WRITE_STAMPS_LOCK = threading.Lock()


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` wins, then ``CXDASH_DB``, then ``./workspace/cxdash.duckdb``."""
    if path:
        return Path(path)
    env = os.environ.get("CXDASH_DB")
    return Path(env) if env else DEFAULT_DB


class Workspace:
    """An open workspace. Safe to share between threads: every query runs on its own cursor."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, read_only: bool = False):
        self.path = resolve_db_path(path)
        self.read_only = read_only
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                raise WorkspaceError(
                    f"The workspace {self.path} is in use by another program (is the app running?). "
                    "Close it, or pass --db to use another workspace."
                ) from exc
            raise WorkspaceError(f"The workspace {self.path} cannot be opened: {msg}") from exc
        except duckdb.Error as exc:
            raise WorkspaceError(f"The workspace {self.path} cannot be opened: {exc}") from exc
        self._write_lock = threading.RLock()
        # Every in-memory database is its own; a file is shared by the Workspaces opened on it.
        in_memory = str(self.path) == ":memory:"
        self._stamp_key = f":memory:{id(self)}" if in_memory else str(self.path.resolve())
        self._known_version: tuple[int, int] | None = None  # (write stamp, data version)
        if not read_only:
            self.migrate()

    # -- life cycle -----------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[int]:
        """Run the migrations this workspace has not had yet; returns their numbers."""
        # Importing these registers their migrations (themes adds the codebook, ...).
        _load_migration_modules()
        cur = self.con.cursor()
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)"
        )
        done = {r[0] for r in cur.execute("SELECT version FROM schema_migrations").fetchall()}
        ran = []
        for version, name, step in MIGRATIONS:
            if version in done:
                continue
            with self._write_lock:
                cur.execute("BEGIN TRANSACTION")
                try:
                    if callable(step):
                        step(cur)
                    else:
                        cur.execute(step)
                    cur.execute(
                        "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                        [version, name],
                    )
                    cur.execute("COMMIT")
                except Exception:
                    cur.execute("ROLLBACK")
                    raise
            ran.append(version)
        return ran

    # -- access ---------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor of its own for one unit of work (DuckDB cursors are per thread)."""
        return self.con.cursor()

    def query_df(self, sql: str, params: list[Any] | dict[str, Any] | None = None):
        """Run one read query on a fresh cursor and return a pandas DataFrame."""
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def fetchall(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> list[tuple]:
        cur = self.cursor()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit when the block ends, roll back on any exception.

        A committed transaction bumps the data version, so every cached query
        result keyed on :meth:`data_version` is refreshed.
        """
        if self.read_only:
            raise WorkspaceError("This workspace was opened read-only.")
        with self._write_lock:
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                yield cur
                cur.execute(
                    "UPDATE settings SET value = to_json(CAST(value AS INTEGER) + 1) WHERE key = 'data_version'"
                )
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            finally:
                cur.close()
                self._note_write()

    def _note_write(self) -> None:
        """Tell every Workspace on this file that the data may have changed (after a commit)."""
        with _WRITE_STAMPS_LOCK:
            _WRITE_STAMPS[self._stamp_key] = _WRITE_STAMPS.get(self._stamp_key, 0) + 1

    def data_version(self) -> int:
        """The data version stored in the workspace (read from the file on every call)."""
        row = self.fetchall(
            "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'data_version'"
        )
        return int(row[0][0]) if row else 0

    def version_token(self) -> int:
        """:meth:`data_version`, read from the file only when it may have changed: what caches
        key on, cheap enough to call before every cached lookup.

        Only this process can change the file while it is open (DuckDB locks a file it writes
        against every other process, and a read-only one against writers), and every change
        goes through :meth:`transaction`, which bumps a per-file stamp after it commits or
        rolls back. The version is reread whenever that stamp moved since the last read; the
        stamp is read first, so a write racing with the read only causes one more reread.
        """
        with _WRITE_STAMPS_LOCK:
            stamp = _WRITE_STAMPS.get(self._stamp_key, 0)
        known = self._known_version
        if known is not None and known[0] == stamp:
            return known[1]
        version = self.data_version()
        self._known_version = (stamp, version)
        return version

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.fetchall("SELECT value FROM settings WHERE key = ?", [key])
        return json.loads(row[0][0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO settings VALUES (?, ?)",
                [key, json.dumps(value, ensure_ascii=False)],
            )

    def is_empty(self) -> bool:
        """True when the workspace holds no feedback and no touchpoint map."""
        n = self.fetchall(
            "SELECT (SELECT count(*) FROM feedback) + (SELECT count(*) FROM touchpoints)"
        )
        return n[0][0] == 0


def _load_migration_modules() -> None:
    """Import the library modules that own tables beyond the core ones."""
    import importlib

    for name in _MIGRATION_MODULES:
        importlib.import_module(name)


# Modules that call register_migration(); listed here so opening a workspace
# always brings every table up to date, whichever modules the caller imported.
_MIGRATION_MODULES: list[str] = ["cxdash.themes", "cxdash.actions"]
