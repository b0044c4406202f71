"""Checks on the resolved stack: production rules, references, and the provider schema."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from iac.constructs import AccessControl, Cluster, Construct, Job, Library, NewCluster, Permissions
from iac.diagnostics import Diagnostic
from iac.environment import Environment, Mode
from iac.stack import Stack

__all__ = ["validate_production", "validate_references", "validate_schema"]

# A concrete runtime such as `15.4.x-scala2.12` (`x` is the maintenance wildcard Databricks itself uses).
_PINNED_RUNTIME = re.compile(r"^\d+\.\d+\.x-[a-z0-9.\-]+$")
_REFERENCE = re.compile(r"\$\{([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)")
_NOT_RESOURCES = {"var", "local", "data", "module", "each", "count", "self", "path", "terraform"}


def validate_production(environment: Environment, stack: Stack) -> list[Diagnostic]:
    """Production mode: jobs run as a service principal, nothing owned by a person, versions pinned."""
    if environment.mode is not Mode.production:
        return []
    problems: list[Diagnostic] = []
    for construct in stack.resources():
        problems += _run_as_service_principal(construct)
        problems += _not_owned_by_a_person(construct)
        problems += _versions_pinned(construct)
    return problems


def _run_as_service_principal(construct: Construct) -> list[Diagnostic]:
    if not isinstance(construct, Job):
        return []
    if construct.run_as is None or construct.run_as.service_principal_name is None:
        return [construct.diagnostic("production jobs must run as a service principal "
                                     "(set run_as=RunAs(service_principal_name=...))", attribute="run_as")]
    return []


def _is_person(value: Any) -> bool:
    return isinstance(value, str) and "@" in value


def _not_owned_by_a_person(construct: Construct) -> list[Diagnostic]:
    problems = []
    owner = getattr(construct, "owner", None)
    if _is_person(owner):
        problems.append(construct.diagnostic(
            f"owned by a person ({owner}); in production use a group or a service principal", attribute="owner"))
    if isinstance(construct, Permissions):
        for index, entry in enumerate(construct.access_control):
            if isinstance(entry, AccessControl) and entry.permission_level == "IS_OWNER" and entry.user_name:
                problems.append(construct.diagnostic(
                    f"IS_OWNER given to a person ({entry.user_name}); use a service principal",
                    attribute=f"access_control[{index}].user_name"))
    return problems


def _versions_pinned(construct: Construct) -> list[Diagnostic]:
    problems = []
    for path, value in _cluster_shapes(construct):
        version = value.spark_version
        if isinstance(version, str) and not _PINNED_RUNTIME.match(version):
            problems.append(construct.diagnostic(
                f"runtime {version!r} is not pinned: use a concrete version such as '15.4.x-scala2.12'",
                attribute=f"{path}spark_version"))
    for path, library in _libraries(construct):
        extra = library.__pydantic_extra__ or {}
        pypi = extra.get("pypi") or {}
        package = pypi.get("package") if isinstance(pypi, dict) else None
        if isinstance(package, str) and "==" not in package:
            problems.append(construct.diagnostic(f"library {package!r} is not pinned (use 'name==version')",
                                                 attribute=f"{path}pypi.package"))
        maven = extra.get("maven") or {}
        coordinates = maven.get("coordinates") if isinstance(maven, dict) else None
        if isinstance(coordinates, str) and len(coordinates.split(":")) < 3:
            problems.append(construct.diagnostic(f"maven library {coordinates!r} has no version",
                                                 attribute=f"{path}maven.coordinates"))
    return problems


def _cluster_shapes(construct: Construct) -> Iterator[tuple[str, Cluster | NewCluster]]:
    if isinstance(construct, Cluster):
        yield "", construct
    if isinstance(construct, Job):
        for cluster in construct.job_clusters or []:
            yield f"job_cluster[{cluster.job_cluster_key}].new_cluster.", cluster.new_cluster
        for task in construct.tasks:
            if task.new_cluster is not None:
                yield f"task[{task.task_key}].new_cluster.", task.new_cluster


def _libraries(construct: Construct) -> Iterator[tuple[str, Library]]:
    if isinstance(construct, Cluster):
        for index, library in enumerate(construct.library or []):
            yield f"library[{index}].", library
    if isinstance(construct, Job):
        for task in construct.tasks:
            for index, library in enumerate(task.library or []):
                yield f"task[{task.task_key}].library[{index}].", library


def validate_references(environment: Environment, stack: Stack) -> list[Diagnostic]:
    """Every reference points at a resource or data source of this stack (a typo'd or forgotten `stack.add`)."""
    problems = []
    bodies = stack.bodies()
    for construct in [*stack.resources(), *stack.data_sources()]:
        for ref in construct.references():
            if stack.get(ref.target.address) is not ref.target:
                problems.append(construct.diagnostic(
                    f"refers to {ref.target.address}, which was not added to the stack (created at {ref.target.source})"))
        for rtype, name in _REFERENCE.findall(_strings(bodies[construct.address])):
            if rtype not in _NOT_RESOURCES and stack.get(f"{rtype}.{name}") is None:
                problems.append(construct.diagnostic(f"refers to {rtype}.{name}, which is not in the stack"))
    return problems


def _strings(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return " ".join(_strings(v) for v in value)
    return ""


def validate_schema(environment: Environment, stack: Stack) -> list[Diagnostic]:
    """The final bodies (after presets and tags) still satisfy the provider schema."""
    bodies = stack.bodies()
    return [problem for construct in [*stack.resources(), *stack.data_sources()]
            for problem in construct.schema_problems(bodies[construct.address])]
