"""Multi-task jobs: tasks with dependencies, job clusters, schedule, run_as, tags, notifications."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import model_validator

from iac.constructs._base import Block, Construct
from iac.constructs._types import Num, Str, StrMap
from iac.constructs.compute import Library, _ClusterShape

__all__ = [
    "EmailNotifications",
    "Job",
    "JobCluster",
    "NewCluster",
    "NotebookTask",
    "PythonWheelTask",
    "RunAs",
    "Schedule",
    "SparkPythonTask",
    "Task",
]


class NewCluster(_ClusterShape):
    """A cluster created for a job run (billed as Jobs Compute)."""


class JobCluster(Block):
    job_cluster_key: str
    new_cluster: NewCluster


class NotebookTask(Block):
    notebook_path: Str
    base_parameters: StrMap | None = None
    source: Literal["WORKSPACE", "GIT"] | None = None


class SparkPythonTask(Block):
    python_file: Str
    parameters: list[Str] | None = None


class PythonWheelTask(Block):
    package_name: Str
    entry_point: Str
    parameters: list[Str] | None = None


class Task(Block):
    """One task. `depends_on` lists the task keys it waits for."""

    task_key: str
    depends_on: list[str] | None = None
    job_cluster_key: str | None = None
    existing_cluster_id: Str | None = None
    new_cluster: NewCluster | None = None
    notebook_task: NotebookTask | None = None
    spark_python_task: SparkPythonTask | None = None
    python_wheel_task: PythonWheelTask | None = None
    library: list[Library] | None = None
    max_retries: Num | None = None
    timeout_seconds: Num | None = None
    run_if: Literal["ALL_SUCCESS", "AT_LEAST_ONE_SUCCESS", "NONE_FAILED", "ALL_DONE", "AT_LEAST_ONE_FAILED", "ALL_FAILED"] | None = None

    def to_body(self) -> dict[str, Any]:
        from iac.constructs._base import to_json

        fields = {k: v for k, v in self.__dict__.items() if v is not None}
        fields.update(self.__pydantic_extra__ or {})
        body = {k: to_json(v) for k, v in fields.items() if k != "depends_on"}
        if self.depends_on:
            # Sorted: the provider sorts depends_on and would otherwise swap them on every plan (#2942).
            body["depends_on"] = [{"task_key": key} for key in sorted(self.depends_on)]
        return body


class Schedule(Block):
    quartz_cron_expression: str
    timezone_id: str = "UTC"
    pause_status: Literal["PAUSED", "UNPAUSED"] | None = None


class RunAs(Block):
    """Exactly one identity: a service principal (application id) or a user."""

    service_principal_name: Str | None = None
    user_name: Str | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> RunAs:
        if (self.service_principal_name is None) == (self.user_name is None):
            raise ValueError("run_as needs exactly one of service_principal_name or user_name")
        return self


class EmailNotifications(Block):
    on_failure: list[Str] | None = None
    on_success: list[Str] | None = None
    on_start: list[Str] | None = None
    no_alert_for_skipped_runs: bool | None = None


class Job(Construct):
    """A multi-task job. Tasks and job clusters are emitted sorted by key: the provider matches
    tasks by position after sorting them, so any other order plans a swap on every run (#1542, #3126)."""

    TF_TYPE: ClassVar[str] = "databricks_job"
    TAGS_FIELD: ClassVar[str | None] = "tags"
    DISPLAY_NAME_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
    name: Str
    tasks: list[Task]
    job_clusters: list[JobCluster] | None = None
    schedule: Schedule | None = None
    run_as: RunAs | None = None
    tags: StrMap | None = None
    email_notifications: EmailNotifications | None = None
    max_concurrent_runs: Num | None = None
    timeout_seconds: Num | None = None

    @model_validator(mode="after")
    def _task_graph(self) -> Job:
        keys = [t.task_key for t in self.tasks]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"duplicate task_key {duplicates[0]!r}")
        clusters = {c.job_cluster_key for c in self.job_clusters or []}
        for task in self.tasks:
            for dependency in task.depends_on or []:
                if dependency not in keys:
                    raise ValueError(f"task {task.task_key!r} depends on unknown task {dependency!r}")
            if task.job_cluster_key and task.job_cluster_key not in clusters:
                raise ValueError(f"task {task.task_key!r} uses unknown job cluster {task.job_cluster_key!r}")
        _reject_cycles({t.task_key: t.depends_on or [] for t in self.tasks})
        return self

    def body(self) -> dict[str, Any]:
        body = super().body()
        body["task"] = sorted(body.pop("tasks"), key=lambda t: t["task_key"])
        if "job_clusters" in body:
            body["job_cluster"] = sorted(body.pop("job_clusters"), key=lambda c: c["job_cluster_key"])
        return body


def _reject_cycles(graph: dict[str, list[str]]) -> None:
    state: dict[str, int] = {}

    def visit(key: str, trail: list[str]) -> None:
        if state.get(key) == 1:
            cycle = trail[trail.index(key):] + [key]
            raise ValueError("task dependency cycle: " + " -> ".join(cycle))
        if state.get(key) == 2:
            return
        state[key] = 1
        for dependency in graph.get(key, []):
            visit(dependency, [*trail, key])
        state[key] = 2

    for key in sorted(graph):
        visit(key, [])
