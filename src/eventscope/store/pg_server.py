"""A throwaway PostgreSQL server on loopback, for the tests and the benchmarks.

Debian's `postgresql` package (installed by `make test`'s set-up) brings `initdb` and
`pg_ctl`; the server runs from a new data folder in the system temp dir, listens on
127.0.0.1 at a free port, trusts local connections and writes without fsync (its data is
thrown away). Both tools refuse to run as root, so as root they run as the `postgres`
user the package creates.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


def pg_bin() -> Path | None:
    """The folder of `initdb` and `pg_ctl` (the newest installed version), if any."""
    found = shutil.which("initdb") or shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    return Path(versions[-1]).parent if versions else None


def _version(path: str) -> int:
    part = Path(path).parts[-3]
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalServer:
    """One server: `start()`, `url(dbname)`, `create_database(name)`, `stop()`."""

    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="eventscope-pg-")))
    port: int = field(default_factory=_free_port)
    _user: list[str] = field(default_factory=list)

    def _run(self, *args: str) -> None:
        subprocess.run([*self._user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> LocalServer:
        bin_ = pg_bin()
        if bin_ is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
        data = self.folder / "data"
        if os.geteuid() == 0:  # initdb and pg_ctl refuse root
            self._user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o755)
        self._run(str(bin_ / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                   " -c max_connections=200")  # fmt: skip
        self._run(str(bin_ / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"),
                  "-w", "-o", options, "start")  # fmt: skip
        return self

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database on the server; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        bin_ = pg_bin()
        data = self.folder / "data"
        if bin_ is not None and (data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError):
                self._run(str(bin_ / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


__all__ = ["LocalServer", "pg_bin"]
