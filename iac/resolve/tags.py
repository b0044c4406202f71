"""Environment default tags, merged into every taggable resource (the resource's own tags win)."""

from __future__ import annotations

from iac.constructs import Job
from iac.diagnostics import Diagnostic
from iac.environment import Environment
from iac.stack import Stack

__all__ = ["add_default_tags"]


def add_default_tags(environment: Environment, stack: Stack) -> list[Diagnostic]:
    """Cluster/pool custom_tags, job tags and each job cluster's custom_tags, SQL warehouse tags,
    workspace custom_tags (AWS) and tags (Azure)."""
    defaults = environment.default_tags
    if not defaults:
        return []
    origin = f"default_tags of environment {environment.name}"
    for construct in stack.resources():
        if construct.TAGS_FIELD is not None or isinstance(construct, Job):
            with construct.recording(origin):  # what the plan's notes name for these tags
                _add_defaults(construct, defaults)
    return []


def _add_defaults(construct: object, defaults: dict[str, str]) -> None:
    field = construct.TAGS_FIELD  # type: ignore[attr-defined]
    if field is not None:
        setattr(construct, field, {**defaults, **(getattr(construct, field) or {})})
    if isinstance(construct, Job):
        for job_cluster in construct.job_clusters or []:
            cluster = job_cluster.new_cluster
            cluster.custom_tags = {**defaults, **(cluster.custom_tags or {})}
        for task in construct.tasks:
            if task.new_cluster is not None:
                task.new_cluster.custom_tags = {**defaults, **(task.new_cluster.custom_tags or {})}
