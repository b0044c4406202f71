"""A fleet's states in a real PostgreSQL database through Terraform's `pg` backend (Debian's server, started on
127.0.0.1 in a temporary directory by tests/pgserver.py): every part's state in one database, a schema each;
iac reads them through the engine (`state pull`); Terraform's own lock refuses a second apply of one member
from another checkout, while two different members apply at once.

The members are `terraform_data` resources (no cloud account needed); the environment's Databricks provider is
still initialised, from the sandbox's provider (no registry download)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from iac.diagnostics import ConfigError
from iac.environment import PgBackend
from iac.fleet.parts import member_part, part_backend
from tests.conftest import PROJECT
from tests.pgserver import PgServer, pg_server

ENVIRONMENT = '''import os
from dataclasses import dataclass
from iac import Environment, Fleet, Mode, PgBackend, Resource


@dataclass(frozen=True)
class Member:
    key: str


def member(stack, m, shared):
    slow = os.environ.get("SLOW_MEMBER") == m.key  # this apply holds the member's state lock for a while
    stack.add(Resource("terraform_data", f"{m.key}_marker", input=m.key, triggers_replace=os.environ["ROUND"],
                       **({"provisioner": [{"local-exec": {"command": "sleep 15"}}]} if slow else {})))


environment = Environment(
    name="pgf", mode=Mode.development, cloud="aws", region="us-east-1",
    account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001", default_tags={"project": "p", "environment": "dev", "owner": "o"},
    policy={"relax": {"budget": "a test fleet of terraform_data"}},
    backend=PgBackend(schema_name="fleet"), build=Fleet(blueprint=member, members=[Member("a"), Member("b"), Member("c")]),
)
'''


def test_each_part_gets_its_own_schema_within_postgres_limits() -> None:
    assert part_backend(PgBackend(), member_part("fraud")).schema_name == "terraform_remote_state/members/fraud"
    with pytest.raises(ConfigError, match="longer than PostgreSQL's 63 bytes"):
        part_backend(PgBackend(schema_name="s" * 50), member_part("fraud"))


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    with pg_server() as running:
        yield running


@pytest.fixture
def env(server: PgServer, tmp_path: Path) -> Iterator[dict[str, str]]:
    from iac.sandbox.session import start_sandbox

    with start_sandbox(tmp_path / "provider") as provider:  # the Databricks provider, installed without a registry
        base = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
        yield {**base, **provider.env, "PG_CONN_STR": server.conn_str, "PYTHONPATH": str(PROJECT)}


def _checkout(root: Path) -> Path:
    (root / "environments").mkdir(parents=True)
    (root / "environments" / "pgf.py").write_text(ENVIRONMENT)
    return root


def _iac(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "iac", *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.slow
def test_states_in_one_database_and_terraform_s_lock(server: PgServer, env: dict[str, str], tmp_path: Path) -> None:
    first, second = _checkout(tmp_path / "ci-runner-1"), _checkout(tmp_path / "ci-runner-2")  # two machines
    apply = ["apply", "pgf", "--auto-approve", "--engine", "embedded"]
    # a state's creation holds Terraform's database-wide lock (-1) for the whole run: each member's first apply
    # is a wave of its own (b and c would otherwise be one wave, and one of them refused)
    created = _iac(first, {**env, "ROUND": "1"}, *apply)
    assert created.returncode == 0 and "Fleet pgf rollout: 3 applied" in created.stdout, created.stderr[-2000:]
    assert "wave 2/3: b" in created.stdout and "wave 3/3: c" in created.stdout, created.stdout

    env = {**env, "ROUND": "2"}  # a change to every member: each is replaced (the slow one sleeps on create)
    slow = subprocess.Popen([sys.executable, "-m", "iac", *apply, "--member", "a"], cwd=first, text=True,
                            env={**env, "SLOW_MEMBER": "a"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not server.sql("select 1 from pg_locks where locktype = 'advisory'") and slow.poll() is None:
            assert time.monotonic() < deadline, "the first apply never took Terraform's lock"
            time.sleep(0.1)
        assert slow.poll() is None, slow.communicate()
        same = _iac(second, env, *apply, "--member", "a")  # the same member from elsewhere: Terraform refuses
        other = _iac(second, env, *apply, "--member", "b")  # another member's state: its own lock, it proceeds
        assert slow.poll() is None, "the first apply must still hold the lock while the others ran"
        stdout, stderr = slow.communicate(timeout=120)
    finally:
        if slow.poll() is None:
            slow.kill()
    assert slow.returncode == 0, stderr[-2000:]
    assert same.returncode == 1 and "Traceback" not in same.stderr
    # with the backend's own reason (Terraform's "Error message:" line), not only the title
    assert "member a: embedded terraform plan failed: Error acquiring the state lock: Workspace is already locked" \
        in same.stderr, same.stderr
    assert other.returncode == 0, other.stderr[-2000:]
    assert "Fleet pgf rollout: 1 applied" in stdout and "Fleet pgf rollout: 1 applied" in other.stdout

    schemas = server.sql("select nspname from pg_namespace where nspname like 'fleet/%' order by 1")
    assert schemas == ["fleet/members/a", "fleet/members/b", "fleet/members/c", "fleet/shared"]
    for schema in ("fleet/members/a", "fleet/members/b", "fleet/members/c"):
        assert server.sql(f'select name from "{schema}".states') == ["default"]
    # every part's state read back through the engine from the other checkout: a and b are at ROUND 2, c is not
    planned = _iac(second, env, "plan", "pgf")
    assert planned.returncode == 0, planned.stderr[-2000:]
    assert planned.stdout.startswith("Fleet pgf: 3 members: 1 changed, 2 unchanged, 0 failing.")
    assert server.conn_str not in planned.stdout + planned.stderr + same.stdout + same.stderr
