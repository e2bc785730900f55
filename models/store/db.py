"""Opening the store: engine, sessions, migrations to the newest schema."""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")


def default_url(home: Path) -> str:
    """`REEXPORT_DB_URL` when set (PostgreSQL for several machines), else SQLite under the data directory."""
    return os.environ.get("REEXPORT_DB_URL") or f"sqlite:///{(home / 'reexport.db').resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the web screens read while a flow writes; busy_timeout turns short lock
    # waits into waits instead of "database is locked"; SQLite ignores FKs unless asked.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str):
    # Imported here: only a migration needs Alembic, and every flow-run and CLI process that
    # opens the store would otherwise load it (0.17 s) before its first page.
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(url: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(url), "head")


@dataclass
class Store:
    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back on an exception."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, home: Path | None = None, migrate_schema: bool = True) -> Store:
    """Open (and migrate to the newest schema) the store at `url` or the data directory's default.
    Flow runs of a started service pass migrate_schema=False: the service migrated at start."""
    if url is None:
        home = home or Path(os.environ.get("REEXPORT_HOME", "var"))
        home.mkdir(parents=True, exist_ok=True)
        url = default_url(home)
    if migrate_schema:
        migrate(url)
    engine = make_engine(url)
    return Store(url, engine, sessionmaker(engine, expire_on_commit=False))
