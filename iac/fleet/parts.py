"""The parts of a fleet environment and where each keeps its state.

    <workdir>/terraform.tfstate                     the joined form: one state for everything (before a split)
    <workdir>/shared/main.tf.json, terraform.tfstate    the shared part (metastore, account groups)
    <workdir>/members/<key>/main.tf.json, ...       one member each, with its own state, lock, audit and sandbox

Each part is synthesized as an environment of its own, derived from the fleet environment: the same name,
mode, settings and checks; its own working directory, backend key and build. Its backend is the
environment's with the part's path appended (`prod/terraform.tfstate` becomes `prod/members/fraud/terraform.tfstate`;
a local path stays relative to the part's directory; a `pg` backend's schema gets the part appended:
`terraform_remote_state/members/fraud`, every state in one database), so adding a member adds a state and removing one
leaves a state to destroy.

How a member reads the shared part: input variables (`shared_metastore_id`), whose default iac writes into
the member's `main.tf.json` from the shared state's outputs (or, while the shared part has a pending change,
leaves out: the value is then known only after the shared part's apply, and iac plans it so). Chosen over a
`terraform_remote_state` data source because that is what Terraform then plans exactly: a known literal in
the member's own configuration, covered by its configuration hash (a reviewed plan goes stale when the shared
value changes), planned the same way by Terraform and by iac, in the real run and in the sandbox (whose
state is elsewhere: a data source would have to be pointed at it), with nothing of the shared state copied
into a thousand member states. It is also how Terraform's own multi-state tools pass values (Terragrunt's
dependency outputs, Stacks' component inputs). Rejected: `terraform_remote_state` (read at plan time from
a path or bucket that differs between the real and the sandbox run, and stored again in each member's
state), and `TF_VAR_` values set by iac at apply (a member directory could not be planned by Terraform alone).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from iac.diagnostics import ConfigError, Diagnostic
from iac.environment import AzurermBackend, Environment, GcsBackend, LocalBackend, PgBackend, S3Backend, Variable
from iac.fleet.model import EXPORT_VARIABLE_PREFIX, Fleet, fleet_of

if TYPE_CHECKING:
    from iac.stack import Stack

__all__ = ["JOINED", "SPLIT", "Part", "detect_layout", "member_dirs", "part_environment", "recorded_shared_values",
           "shared_part", "member_part", "state_file"]

JOINED = "joined"
SPLIT = "split"
_UNKNOWN = object()
_PG_IDENTIFIER = 63  # PostgreSQL truncates longer names: two members' schemas could become one


@dataclass(frozen=True)
class Part:
    """The shared part, or one member (by key)."""

    kind: str
    """`shared` or `member`."""
    key: str
    """The member's key; `shared` for the shared part (members live under `members/`, so no key clashes)."""

    @property
    def relative_dir(self) -> PurePosixPath:
        return PurePosixPath("shared") if self.kind == "shared" else PurePosixPath("members", self.key)

    @property
    def label(self) -> str:
        return "(shared)" if self.kind == "shared" else self.key


def shared_part() -> Part:
    return Part("shared", "shared")


def member_part(key: str) -> Part:
    return Part("member", key)


def part_environment(environment: Environment, fleet: Fleet, part: Part, *, export_names: Sequence[str] = (),
                     shared_values: Mapping[str, Any] | None = None) -> Environment:
    """The environment one part is synthesized as (see the module docstring). `shared_values` are the
    shared outputs a member's variables default to; a name left out is known only after apply."""
    if part.kind == "shared":
        def build(stack: Stack) -> None:
            fleet.build_shared(stack)
        variables = list(environment.variables)
    else:
        member = fleet.member(part.key)

        def build(stack: Stack) -> None:
            fleet.build_member(stack, member, export_names)
        variables = [*environment.variables, *_export_variables(export_names, shared_values or {})]
    derived = environment.model_copy(update={
        "build": build,
        "workdir": str(PurePosixPath(environment.workdir or f".iac/{environment.name}") / part.relative_dir),
        "backend": part_backend(environment.backend, part),
        "variables": variables,
    })
    derived._fleet_part = part.label  # its own section of the environment's imports (iac/synth/imports.py)
    return derived


def _export_variables(names: Sequence[str], values: Mapping[str, Any]) -> list[Variable]:
    out = []
    for name in names:
        value = values.get(name, _UNKNOWN)
        kind = "string" if value is _UNKNOWN or isinstance(value, str) else "any"
        why = "from the shared part's state" if value is not _UNKNOWN else "known once the shared part is applied"
        out.append(Variable(name=EXPORT_VARIABLE_PREFIX + name, type=kind,
                            default=None if value is _UNKNOWN else value,
                            description=f"the shared part's output {name} ({why})"))
    return out


def part_backend(backend: Any, part: Part) -> Any:
    """The environment's backend with the part's own key (see the module docstring)."""
    if isinstance(backend, LocalBackend):
        path = PurePosixPath(backend.path)
        if not path.is_absolute():
            return backend  # relative to the part's own working directory
        return backend.model_copy(update={"path": str(path.parent / path.stem / part.relative_dir / path.name)})
    if isinstance(backend, (S3Backend, AzurermBackend)):
        key = PurePosixPath(backend.key)
        return backend.model_copy(update={"key": str(key.parent / part.relative_dir / key.name)})
    if isinstance(backend, GcsBackend):
        return backend.model_copy(update={"prefix": str(PurePosixPath(backend.prefix) / part.relative_dir)})
    if isinstance(backend, PgBackend):  # one database, a schema per part (Terraform quotes it; 63 bytes at most)
        schema = f"{backend.schema_name}/{part.relative_dir}"
        if len(schema.encode("utf-8")) > _PG_IDENTIFIER:
            raise ConfigError(Diagnostic(f"pg backend: the schema {schema!r} of {part.label} is longer than PostgreSQL's "
                                         f"{_PG_IDENTIFIER} bytes: use a shorter schema_name or member key"))
        return backend.model_copy(update={"schema_name": schema})
    raise ConfigError(Diagnostic(f"fleets do not know the {type(backend).__name__} backend yet"))


def state_file(environment: Environment, project_dir: Path, part: Part | None = None, *,
               sandbox: bool = False) -> Path | None:
    """The local state file of the joined form (`part` None) or of one part; None for a remote backend. With
    `sandbox`: the sandbox's state, where `iac apply --sandbox` keeps it (`<workdir>/.sandbox/terraform.tfstate`)."""
    workdir = environment.working_directory(project_dir)
    if part is not None:
        workdir = workdir / part.relative_dir
    if sandbox:
        return workdir / ".sandbox" / "terraform.tfstate"
    backend = environment.backend if part is None else part_backend(environment.backend, part)
    if not isinstance(backend, LocalBackend):
        return None
    return workdir / backend.path


def recorded_shared_values(environment: Environment, project_dir: Path, exports: Sequence[str], *,
                           sandbox: bool = False) -> dict[str, Any]:
    """The shared outputs as the shared part's local state records them (what its members were applied with);
    none for a remote backend or before the shared part is applied."""
    from iac.state import read_state

    path = state_file(environment, project_dir, shared_part(), sandbox=sandbox)
    if path is None or not path.is_file():
        return {}
    return {k: o.value for k, o in read_state(path).outputs.items() if k in exports}


def member_dirs(environment: Environment, project_dir: Path) -> list[str]:
    """Keys of the member directories on disk (members planned before, whether or not still in the fleet)."""
    root = environment.working_directory(project_dir) / "members"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def detect_layout(environment: Environment, project_dir: Path, *, sandbox: bool = False, strict: bool = True) -> str:
    """`joined` while the environment's one state exists (before `iac fleet split`), else `split`.

    A remote backend is taken as split (iac cannot look at it without Terraform). Both at once means a split
    or a join was interrupted; the one state is then the complete one (a split removes it last, a join writes
    it first), and planning refuses (`strict`) until `iac fleet split` is run again to finish."""
    fleet = fleet_of(environment)
    if fleet is None:
        return JOINED
    joined = state_file(environment, project_dir, sandbox=sandbox)
    if joined is None or not _has_state(joined):
        return SPLIT
    if strict:
        parts = [shared_part(), *(member_part(k) for k in member_dirs(environment, project_dir))]
        split = [f for f in (state_file(environment, project_dir, p, sandbox=sandbox) for p in parts)
                 if f is not None and _has_state(f)]
        if split:
            raise ConfigError(Diagnostic(
                f"both the single state {joined} and {len(split)} fleet state(s) ({split[0]}, ...) exist: a split or "
                "join was interrupted; the single state is the complete one: run `iac fleet split` to finish",
                environment=environment.name))
    return JOINED


def _has_state(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except FileNotFoundError:
        return False


def export_names(environment: Environment, fleet: Fleet) -> list[str]:
    """The names the shared part exports (it is built into a throw-away stack to find out)."""
    from iac.constructs._base import environment_context
    from iac.stack import Stack

    if fleet.shared is None:
        return []
    with environment_context(environment.name):
        return fleet.build_shared(Stack(environment), joined=True).names()


def without_budget(environment: Environment) -> Environment:
    """The environment as one part is checked: every check but the budget, which holds for the fleet's total
    (iac/fleet/checks.py judges it once, on the sum of every part's cost). The budget stays stated, so the
    safety baseline sees the environment has one."""
    policy = environment.policy
    budget = policy.guardrails.budget.model_copy(update={"for_fleet_total": True})
    guardrails = policy.guardrails.model_copy(update={"budget": budget})
    return environment.model_copy(update={"policy": policy.model_copy(update={"guardrails": guardrails})})
