"""A run that finds the lock of a run that died: wait for its Terraform, say what happened, clean up after it.

If iac is killed (SIGKILL, a lost CI runner) while its Terraform works, that Terraform keeps running to
the end (iac/terraform/_worker.py) and the environment lock stays held by it. The next run (see
iac/terraform/lock.py) waits while it is still running, following its output, then takes the lock over
and calls `report`, which:
  * says which run died, and what its Terraform did, from the worker's journal;
  * appends the audit record the dead run never wrote (outcome `killed`);
  * removes what the dead run left: its run directory (Terraform's output files, a plan file) and a plan
    file left by an iac from before run directories.
The run then goes on as any other: it reads the state Terraform wrote and plans from there, so what
the dead run had applied is not applied again and what it had not yet applied is.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iac.terraform.audit import AuditRecord, append_record
from iac.terraform.lock import LockHolder, Waiting
from iac.terraform.workdir import Workdir

__all__ = ["follower", "report"]

Echo = Callable[[str], None]


def follower(workdir: Workdir, echo: Echo) -> Waiting:
    """What the run says while it waits for a dead holder's Terraform: once why, then that Terraform's output."""
    offsets: dict[Path, int] = {}

    def waiting(holder: LockHolder) -> None:
        run_dir = workdir.run_dir(holder.token)
        if not offsets:
            running = _last_started(_journal(run_dir))
            echo(f"The previous run ({_describe(holder)}) ended without releasing its lock, but the Terraform it "
                 f"started is still running{f' `terraform {running}`' if running else ''}: waiting for it to "
                 "finish and write the state.")
            offsets[run_dir] = 0
        for out in sorted(run_dir.glob("*.out"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
            try:
                with open(out, encoding="utf-8", errors="replace") as handle:
                    handle.seek(offsets.get(out, 0))
                    text = handle.read()
            except FileNotFoundError:
                continue
            complete, _, _ = text.rpartition("\n")
            if complete:
                offsets[out] = offsets.get(out, 0) + len(complete.encode("utf-8")) + 1
                for line in complete.split("\n"):
                    echo(f"  {line}")

    return waiting


def report(workdir: Workdir, predecessor: LockHolder, environment: str, echo: Echo, *,
           sandbox: bool = False) -> AuditRecord:
    """Say what happened to the run that left the lock, record it, and remove what it left behind."""
    run_dir = workdir.run_dir(predecessor.token) if predecessor.token else None
    journal = _journal(run_dir) if run_dir is not None else []
    finished = [entry for entry in journal if "finished" in entry]
    last = finished[-1] if finished else None
    if last is not None:
        outcome = f": {last['outcome']}" if last.get("outcome") else ""
        did = f"its last Terraform command, `terraform {last['finished'][0]}`, ended with exit code {last['exit']}{outcome}"
    elif journal:
        did = "its Terraform was stopped before a command finished"
    else:
        did = "it had not run a Terraform command yet"
    echo(f"Took over the lock of a run that did not finish: {_describe(predecessor)}; {did.rstrip('.')}. "
         "Planning again from the state Terraform wrote.")
    applied = [e for e in finished if e.get("finished") == ["apply"]]
    record = AuditRecord(environment=environment, command=_command_word(predecessor.command),
                         time=predecessor.since or AuditRecord(environment, "").time, user=predecessor.user,
                         host=predecessor.host, outcome="killed", sandbox=sandbox,
                         terraform_summary=applied[-1].get("outcome") if applied else None,
                         error=f"iac (pid {predecessor.pid}) ended without releasing its lock; {did}")
    append_record(workdir.audit_log, record)
    if run_dir is not None:
        shutil.rmtree(run_dir, ignore_errors=True)
    (workdir.meta / "run.tfplan").unlink(missing_ok=True)
    return record


def _describe(holder: LockHolder) -> str:
    return f"`{holder.command}` by {holder.user}, pid {holder.pid} on {holder.host}, since {holder.since}"


def _command_word(command: str) -> str:
    """`iac apply dev` -> `apply` (as the audit log names commands)."""
    words = command.split()
    return words[1] if len(words) > 1 and words[0] == "iac" else command


def _journal(run_dir: Path) -> list[dict[str, Any]]:
    try:
        text = (run_dir / "journal.jsonl").read_text(encoding="utf-8")
    except OSError:
        return []
    entries = []
    for line in text.splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue  # a line cut short when the worker itself was killed
    return entries


def _last_started(journal: list[dict[str, Any]]) -> str:
    started = [entry["started"][0] for entry in journal if "started" in entry]
    return started[-1] if started else ""
