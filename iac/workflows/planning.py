"""Planning workflows: from "configuration + state" to a Plan, for the commands, apply's preview and the benches.

    plan_json = preview(document_or_module, state, environment="dev", mode="development")
    target = environment_target("dev", None, project, options, warn=print)     # what `iac plan dev` plans

Kept apart from the engine (iac.diff) and the plan model (iac.plan) so that neither knows how a plan is
put together: which loader, which schemas, which state (a file, the backend's, the sandbox's).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iac.config import Module, load_config, load_document
from iac.config.initvalues import VariableInputs
from iac.config.workspace import DEFAULT_WORKSPACE, local_state_file, selected_workspace
from iac.diagnostics import ConfigError, Diagnostic, Severity
from iac.diff.engine import PlanOptions, plan
from iac.plan.jsonplan import config_hash, to_json
from iac.plan.model import Mode, Plan, PlanMeta, StateSource
from iac.schema import load_schemas
from iac.state import State, parse_state, pull_state, read_state

if TYPE_CHECKING:  # the constructs (pydantic): loaded by the workflows that synthesize, not by every command
    from iac.synth import Synthesized
    from iac.terraform.runner import EngineChoice
    from iac.workflows.refreshing import Refreshed

__all__ = ["PlanTarget", "Warn", "config_target", "environment_target", "environment_targets", "gc_paused", "make_plan",
           "plan_document", "plan_environment", "preview"]

Warn = Callable[[str], None]
"""Where a workflow says something the user should see (the commands pass stderr)."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while planning. A plan allocates millions of small,
    acyclic objects; every collection would rescan all of them (measured: about 30% of the CPU time
    at 10,000 resources). Reference counting still frees everything; collection resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def make_plan(config: Module | Mapping[str, Any], state: State | str | None, *, config_text: str | bytes | None = None,
              base_dir: str | Path = ".", environment: str | None = None, mode: str | None = None,
              destroy: bool = False, replace: Sequence[str] = (), variables: Mapping[str, str] | None = None,
              env: Mapping[str, str] | None = None, targets: Sequence[str] = (),
              state_source: StateSource | None = None, workspace: str = DEFAULT_WORKSPACE) -> Plan:
    """Plan a loaded module or a Terraform JSON document against a State (or state JSON text; None =
    no state). `config_text` is hashed into `iac.config_hash` (default: the canonical document)."""
    if isinstance(state, str):
        state = parse_state(state, source="state")
    if state is None:
        state = State.empty()
    if isinstance(config, Module):
        module = config
    else:
        module = load_document(dict(config), file=str(Path(base_dir) / "main.tf.json"), base_dir=base_dir)
        if config_text is None:
            from iac._jsonio import dumps

            config_text = dumps(dict(config))
    options = PlanOptions(
        mode=Mode.DESTROY if destroy else Mode.NORMAL, replace=tuple(replace), variables=dict(variables or {}),
        env=os.environ if env is None else env, targets=tuple(targets),  # read by name: a copy costs a fleet member 2 ms
        workspace=workspace,
        meta=PlanMeta(environment=environment, mode=mode, targets=tuple(targets), state_source=state_source,
                      config_hash=config_hash(config_text) if config_text is not None else None),
    )
    try:  # the command line runs with a raised recursion limit (iac/lang/depth.py); past any limit, one line
        return plan(module, state, load_schemas(), options)
    except RecursionError:
        raise ConfigError(Diagnostic("Nesting too deep: the configuration nests expressions or values deeper than "
                                     "iac can follow", environment=environment)) from None


def preview(config: Module | Mapping[str, Any], state: State | str | None, **kwargs: Any) -> dict[str, Any]:
    """`make_plan` then the plan JSON dict (numbers exact, secrets masked, `iac` key filled)."""
    with gc_paused():
        return to_json(make_plan(config, state, **kwargs))


@dataclass
class PlanTarget:
    """One thing planned by `iac plan`: a label (environment name or config path) and its plan."""

    label: str
    plan: Plan
    environment: Any = None
    """The Environment planned (None for --config): its policy settings and mode drive the checks."""
    config: dict[str, Any] | None = None
    """The synthesized main.tf.json: the checks read literals from it where the plan has unknowns."""
    origins: dict[str, dict[str, str]] | None = None
    """Which values a resolve step set (default tags, presets): `Synthesized.origins`, for the plan's reasons."""


def plan_document(target: PlanTarget) -> dict[str, Any]:
    """The target's plan JSON; an attribute change whose value a resolve step set says so in `iac.reasons`
    (`set by default_tags of environment dev`) instead of the engine's `set in config` (the line of the
    construct, `iac.sources`, holds every other value)."""
    document = to_json(target.plan)
    reasons = document.get("iac", {}).get("reasons") or {}
    for address, by_path in reasons.items() if target.origins else ():
        origins = (target.origins or {}).get(address) or {}
        for path, why in by_path.items():
            origin = _origin_of(path, origins) if why == "set in config" and origins else None
            if origin is not None:
                by_path[path] = f"set by {origin}"
    return document


def _origin_of(path: str, origins: Mapping[str, str]) -> str | None:
    """The origin recorded at `path` or at the nearest path above it (`tags` covers `tags.owner`). A change
    of a whole map some of whose keys a step set is not attributed: it mixes the construct's own values."""
    if path in origins:
        return origins[path]
    above = [p for p in origins if path.startswith((p + ".", p + "["))]
    return origins[max(above, key=len)] if above else None


def config_target(config: Path, state_file: Path | None, options: dict[str, Any]) -> PlanTarget:
    """Any Terraform JSON (a file or a directory) against `state_file`, else its backend's state."""
    # the variables the plan uses, read while loading only by const variables (a module source may use them)
    module = load_config(config, VariableInputs(options.get("variables") or {}, options.get("env")))
    files = [Path(f) for f in module.files]
    text = b"".join(f.read_bytes() for f in files)
    base = config if config.is_dir() else config.parent
    workspace = selected_workspace(base, options.get("env") or os.environ)
    state = read_state(state_file) if state_file is not None else _backend_state(module.backend, base, workspace)
    source = _unrefreshed(state_file, module.backend, base, workspace)
    plan = make_plan(module, state, config_text=text, base_dir=base, state_source=source, workspace=workspace,
                     **options)
    return PlanTarget(str(config), plan)


def environment_target(name: str, state_file: Path | None, project: Path | None, options: dict[str, Any],
                       *, sandbox: bool = False, warn: Warn) -> PlanTarget:
    """Synthesize environment `name` (its warnings through `warn`), then plan it (`plan_environment`)."""
    return environment_targets([name], state_file, project, options, sandbox=sandbox, warn=warn)[0]


def environment_targets(names: Sequence[str], state_file: Path | None, project: Path | None, options: dict[str, Any],
                        *, sandbox: bool = False, warn: Warn, refresh: bool = False,
                        engine: EngineChoice = "auto") -> list[PlanTarget]:
    """Synthesize each environment (warnings through `warn`); with `refresh`, read their real objects
    through the engine, all at once (iac.workflows.refreshing); then plan each (`plan_environment`)."""
    from iac.synth import synthesize

    synthesized = []
    for name in names:
        synthesized.append(synthesize(name, project))
        for warning in synthesized[-1].warnings:
            warn(warning.format())
    refreshed: dict[str, Refreshed] = {}
    if refresh:
        from iac.workflows.refreshing import refresh_environments

        refreshed = refresh_environments(synthesized, sandbox=sandbox, engine=engine, warn=warn)
    return [PlanTarget(s.environment.name, plan_environment(s, state_file, sandbox=sandbox, warn=warn,
                                                            refreshed=refreshed.get(s.environment.name), **options),
                       s.environment, s.document, s.origins)
            for s in synthesized]


def plan_environment(synthesized: Synthesized, state_file: Path | None = None, *, sandbox: bool = False,
                     warn: Warn, refreshed: Refreshed | None = None, unknown_variables: Sequence[str] = (),
                     **options: Any) -> Plan:
    """A synthesized environment's plan against the state `refreshed` read through the engine, else against
    `state_file`, the sandbox's state (`sandbox`), or its backend's state: what `iac plan ENV` and
    `iac check ENV` judge."""
    workdir = synthesized.workdir
    if state_file is None:
        _refuse_split_fleet(synthesized, sandbox)
    # Named after the environment file: a plan never writes main.tf.json, so no message may point there.
    label = os.path.relpath(synthesized.project_dir / "environments" / f"{synthesized.environment.name}.py")
    module = load_document(synthesized.document, file=label, base_dir=workdir)
    config_text = synthesized.text
    if sandbox:
        from iac.apply.target import without_backend

        state_file = _sandbox_state(workdir)
        options = {**options, "env": _sandbox_env(synthesized.document, warn, unknown_variables)}
        config_text = without_backend(config_text)  # what `iac apply --sandbox` runs: a reviewed plan matches it
    source: StateSource
    if refreshed is not None:
        state = parse_state(refreshed.state_text, source="the refreshed state") if refreshed.state_text else State.empty()
        source = StateSource(refreshed=True, engine=refreshed.engine, drift=refreshed.drift)
    else:
        state = read_state(state_file) if state_file is not None else _backend_state(module.backend, workdir)
        source = _unrefreshed(state_file, module.backend, workdir)
    environment = synthesized.environment
    return make_plan(module, state, config_text=config_text, base_dir=workdir, environment=environment.name,
                     mode=getattr(environment.mode, "value", str(environment.mode)), state_source=source, **options)


def _unrefreshed(state_file: Path | None, backend: tuple[str, dict[str, Any]] | None, base: Path,
                 workspace: str = DEFAULT_WORKSPACE) -> StateSource:
    """The state as last written: when its file was written (a remote backend does not say)."""
    if state_file is None and backend is not None and backend[0] != "local":
        return StateSource(backend=backend[0])
    path = state_file if state_file is not None else local_state_file(base, backend[1] if backend else None, workspace)
    try:
        written = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OSError:
        written = None
    return StateSource(written=written)


def _refuse_split_fleet(synthesized: Synthesized, sandbox: bool) -> None:
    """A fleet whose state is split per member has no one state: planning it as one would plan every object as
    new. `iac plan ENV` plans it member by member (iac/workflows/fleet_planning.py)."""
    from iac.fleet.model import fleet_of
    from iac.fleet.parts import SPLIT, detect_layout

    environment = synthesized.environment
    if fleet_of(environment) is not None and detect_layout(environment, synthesized.project_dir, sandbox=sandbox) == SPLIT:
        raise ConfigError(Diagnostic("a fleet with a state per member is planned member by member: `iac plan "
                                     f"{environment.name}` (with --member KEY for one), not as one state",
                                     environment=environment.name))


def _sandbox_env(document: dict[str, Any], warn: Warn, unknown: Sequence[str] = ()) -> dict[str, str]:
    """The environment with the placeholders `iac apply ENV --sandbox` gives variables without a value, but
    `unknown` ones (a fleet member's shared values not known before the shared part is applied)."""
    from iac.sandbox.session import placeholder_notice, placeholders_for

    variables = {k: v for k, v in (document.get("variable") or {}).items() if k not in unknown}
    placeholders = placeholders_for(variables)
    if placeholders:
        warn(placeholder_notice(placeholders))
    return {**os.environ, **placeholders}


def _sandbox_state(workdir: Path) -> Path:
    """Where `iac apply ENV --sandbox` keeps the sandbox's state (the same place apply's Workdir uses)."""
    from iac.terraform.workdir import Workdir

    return Workdir(workdir.resolve()).sandbox.root / "terraform.tfstate"


def _backend_state(backend: tuple[str, dict[str, Any]] | None, base: Path,
                   workspace: str = DEFAULT_WORKSPACE) -> State:
    """Local backend (or none): read the selected workspace's file relative to `base`; a remote backend:
    `state pull` through the Terraform engine in `base` (it must have been initialised; Terraform pulls the
    workspace the directory has selected)."""
    if backend is None or backend[0] == "local":
        return read_state(local_state_file(base, backend[1] if backend else None, workspace))
    if not (base / ".terraform").is_dir():
        raise ConfigError(Diagnostic(
            f"the {backend[0]} backend needs `terraform init` in {base} before iac can read its state "
            "(or pass --state FILE)", severity=Severity.error))
    return pull_state(base, source=f"{backend[0]} backend ({base})")
