"""What every check receives, and helpers shared by the check families.

A check is a plain function `(CheckContext) -> Iterable[Finding]`. It reads the plan through
`ctx.index` (after-values with config fallback), the settings, the environment mode and the cost
estimate; it never raises to signal a decision, only to signal that it is broken (the engine turns
an exception into an error finding and the verdict `error`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from iac.cost.compute import PriceContext, Spec
from iac.cost.model import CostReport
from iac.plan.view import Path, PlanIndex, ResourceView, Unknown, format_path
from iac.policy.clusterpolicy import parse_definition
from iac.policy.model import Finding, Severity
from iac.policy.settings import PolicySettings

__all__ = ["Check", "CheckContext", "ClusterSpec", "cluster_specs"]


@dataclass
class CheckContext:
    """The plan, the environment's settings and mode, and the cost estimate of the plan."""

    index: PlanIndex
    settings: PolicySettings
    mode: str | None
    cost: CostReport
    price: PriceContext
    baseline: list[Finding] = field(default_factory=list)
    """What the baseline found about the settings themselves (iac/policy/baseline.py), reported by its check."""
    _policies: dict[str, Any] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.mode == "production"

    @property
    def undecided(self) -> Severity:
        """Severity of "cannot tell before apply": a warning, an error in production."""
        return Severity.error if self.production else Severity.warning

    def finding(self, check_id: str, severity: Severity, view: ResourceView | None, path: Path | str,
                message: str, fix: str = "", *, secret: Any = None) -> Finding:
        """A finding located on `view` (None: the whole environment) with its source file:line; `secret`, a
        value the check recognised as a secret, to be masked in every output (never shown)."""
        return Finding(
            check_id=check_id,
            severity=severity,
            address=view.address if view else "",
            path=path if isinstance(path, str) else format_path(path),
            message=message,
            fix=fix,
            source=view.source if view else None,
            secret=secret if isinstance(secret, str) else None,
        )

    def policy_of(self, view: ResourceView, spec: Spec) -> tuple[ResourceView | None, dict[str, Any] | None]:
        """The cluster policy a cluster spec references (resolved through the plan) and its rules."""
        policy_id = spec.get(("policy_id",))
        if policy_id is None:
            return None, None
        policy = self.index.resolve(view, policy_id, "databricks_cluster_policy", ("policy_id", "id"))
        if policy is None or policy.deleted:
            return policy, None
        if policy.address not in self._policies:
            definition = policy.get("definition")
            self._policies[policy.address] = None if isinstance(definition, Unknown) else parse_definition(definition)
        return policy, self._policies[policy.address]


Check = Callable[[CheckContext], Iterable[Finding]]


@dataclass(frozen=True)
class ClusterSpec:
    """One cluster definition inside a resource: where it is, what kind, its values."""

    path: Path
    kind: str  # "all-purpose", "job" or "dlt"
    spec: Spec


def cluster_specs(view: ResourceView) -> Iterator[ClusterSpec]:
    """Every classic cluster spec the resource defines after apply (none when it is deleted)."""
    if view.deleted or view.type not in ("databricks_cluster", "databricks_job", "databricks_pipeline"):
        return
    whole = Spec(view.effective, view)
    if view.type == "databricks_cluster":
        yield ClusterSpec((), "all-purpose", whole)
    elif view.type == "databricks_job":
        for i, _ in enumerate(whole.get(("job_cluster",), []) or []):
            if whole.get(("job_cluster", i, "new_cluster")) is not None:
                yield ClusterSpec(("job_cluster", i, "new_cluster"), "job", whole.sub(("job_cluster", i, "new_cluster")))
        for i, _ in enumerate(whole.get(("task",), []) or []):
            if whole.get(("task", i, "new_cluster")) is not None:
                yield ClusterSpec(("task", i, "new_cluster"), "job", whole.sub(("task", i, "new_cluster")))
        if whole.get(("new_cluster",)) is not None:
            yield ClusterSpec(("new_cluster",), "job", whole.sub(("new_cluster",)))
    elif view.type == "databricks_pipeline":
        for i, _ in enumerate(whole.get(("cluster",), []) or []):
            yield ClusterSpec(("cluster", i), "dlt", whole.sub(("cluster", i)))


def is_literal(value: Any) -> bool:
    """A value fully known before apply (no `Unknown` anywhere inside)."""
    if isinstance(value, Unknown):
        return False
    if isinstance(value, dict):
        return all(is_literal(v) for v in value.values())
    if isinstance(value, list):
        return all(is_literal(v) for v in value)
    return True


def each(views: Iterable[ResourceView]) -> Iterable[ResourceView]:
    """Resources that exist after apply, in address order."""
    return [v for v in views if not v.deleted]
