"""What an apply or destroy runs against: a name, a mode, a working directory and the configuration text.

Two sources:
  * an environment (`iac apply dev`): synthesized by `iac.synth.synthesize`, applied in the
    environment's working directory with its backend;
  * a configuration directory (`iac apply --config-dir DIR`): any `main.tf.json` already on disk,
    applied in DIR itself (development mode, local state unless the file names a backend).
A sandbox run (`--sandbox`) uses the same configuration without its backend, in `<workdir>/.sandbox`,
so its state is separate and the real state is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from iac import _jsonio
from iac.diagnostics import ConfigError, Diagnostic
from iac.terraform.workdir import CONFIG_FILE, Workdir

__all__ = ["ApplyTarget", "from_config_dir", "from_environment", "from_synthesized", "sandboxed", "target_of",
           "without_backend"]


@dataclass(frozen=True)
class ApplyTarget:
    """One place to apply to."""

    name: str
    """Environment name; the directory name for `--config-dir`. Typed by the user to confirm risky runs."""
    mode: str
    """`development` or `production`."""
    workdir: Workdir
    config_text: str
    """The main.tf.json to apply, exactly as it will be written and hashed."""
    settings: Any = None
    """The environment object (check settings, backend), None for `--config-dir`."""
    sandbox: bool = False

    @property
    def production(self) -> bool:
        return self.mode == "production"


def target_of(environment: str | None, config_dir: Path | None, project_dir: Path | None) -> ApplyTarget:
    """The target a command names: an environment (`iac apply ENV`) or a directory (`--config-dir DIR`), not both."""
    if (environment is None) == (config_dir is None):
        raise ConfigError(Diagnostic(summary="name exactly one of: an environment (ENV) or --config-dir DIR"))
    return from_config_dir(config_dir) if config_dir is not None else from_environment(str(environment), project_dir)


def from_config_dir(directory: Path) -> ApplyTarget:
    """A directory holding main.tf.json; it is its own working directory."""
    root = directory.resolve()
    config = root / CONFIG_FILE
    if not config.is_file():
        raise ConfigError(Diagnostic(summary=f"{directory}: no {CONFIG_FILE} to apply"))
    return ApplyTarget(name=root.name, mode="development", workdir=Workdir(root),
                       config_text=config.read_text(encoding="utf-8"))


def from_environment(name: str, project_dir: Path | None) -> ApplyTarget:
    """Synthesize environment `name` (project: `project_dir` or the nearest one); its own working directory."""
    from iac.synth import synthesize  # the foundation; imported here so `--config-dir` works without it

    return from_synthesized(synthesize(name, project_dir))


def from_synthesized(result: Any) -> ApplyTarget:
    """An environment already synthesized (`iac.synth.Synthesized`), in its own working directory."""
    environment = result.environment
    return ApplyTarget(name=environment.name, mode=str(getattr(environment.mode, "value", environment.mode)),
                       workdir=Workdir(result.workdir.resolve()), config_text=result.text, settings=environment)


def sandboxed(target: ApplyTarget) -> ApplyTarget:
    """The same configuration without its backend block, in the sandbox directory: a separate local state."""
    return replace(target, workdir=target.workdir.sandbox, config_text=without_backend(target.config_text), sandbox=True)


def without_backend(config_text: str) -> str:
    """The configuration a sandbox runs (and `iac plan --sandbox` hashes): no `backend` or `cloud` block."""
    document = _jsonio.loads(config_text)
    terraform = document.get("terraform")
    if isinstance(terraform, dict):
        terraform.pop("backend", None)
        terraform.pop("cloud", None)
        if not terraform:
            document.pop("terraform")
    return _jsonio.dumps(document)
