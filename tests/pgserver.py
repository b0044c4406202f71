"""A throwaway PostgreSQL server for tests: Debian's binaries, a data directory in a temporary directory, on
127.0.0.1 at a free port, trust authentication, stopped and removed afterwards.

    with pg_server() as server:      # skips (with the reason) where the server binaries are not installed
        server.conn_str              # postgres://iac@127.0.0.1:PORT/terraform?sslmode=disable
        server.sql("select 1")       # psql, one statement, the output's rows

PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user Debian's package creates.
`.ci/run` installs the package when it is missing.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

__all__ = ["PgServer", "pg_server"]

_USER = "iac"
DATABASE = "terraform"


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found and Path(found).resolve().with_name("postgres").exists():
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


@dataclass(frozen=True)
class PgServer:
    bin_dir: Path
    port: int
    run_as: list[str]

    @property
    def conn_str(self) -> str:
        return f"postgres://{_USER}@127.0.0.1:{self.port}/{DATABASE}?sslmode=disable"

    def sql(self, statement: str) -> list[str]:
        result = subprocess.run([*self.run_as, str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                                 "-U", _USER, "-d", DATABASE, "-At", "-c", statement],
                                capture_output=True, text=True, timeout=60, check=True)
        return result.stdout.splitlines()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def pg_server() -> Iterator[PgServer]:
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (pg_ctl, postgres): apt-get install postgresql (.ci/run does)")
    run_as: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="iac-pg-"))
    if os.geteuid() == 0:  # the server will not run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root)
            pytest.skip("running as root and there is no `postgres` user to run the PostgreSQL server as")
        os.chown(root, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", _free_port()
    server = PgServer(bin_dir, port, run_as)

    def run(*args: str) -> None:
        result = subprocess.run([*run_as, *args], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, f"{args[0]}: {result.stderr or result.stdout}"

    started = False
    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", _USER, "-A", "trust", "-E", "UTF8", "--no-sync")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "-o",
            f"-h 127.0.0.1 -p {port} -k {root} -F", "start")
        started = True
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", _USER, DATABASE)
        yield server
    finally:
        if started:
            subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           capture_output=True, timeout=120)
        shutil.rmtree(root, ignore_errors=True)
