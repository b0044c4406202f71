"""What a provider's Read does to the API object before it reaches Terraform's state.

databricks_job (jobs/jobs_api.go `JobsAPI.Read`): the tasks are sorted by `task_key`, each task's
`depends_on` by `task_key` and its `webhook_notifications` by webhook id, and the job's own
`webhook_notifications` by id (`adjustTasks`, `sortWebhooksByID`). A configuration written in another order
therefore plans a change on every run, with the real provider as here: the order of these lists is part of
what the configuration says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["read_back"]

_WEBHOOK_EVENTS = ("on_start", "on_failure", "on_success", "on_duration_warning_threshold_exceeded",
                   "on_streaming_backlog_exceeded")


def _by(key: str) -> Callable[[Any], str]:
    return lambda item: str(item.get(key) or "") if isinstance(item, dict) else ""


def _sorted_webhooks(blocks: Any) -> Any:
    if not isinstance(blocks, list):
        return blocks
    return [{**block, **{event: sorted(block[event], key=_by("id")) for event in _WEBHOOK_EVENTS
                         if isinstance(block.get(event), list)}} if isinstance(block, dict) else block
            for block in blocks]


def _job(job: dict[str, Any]) -> dict[str, Any]:
    tasks = job.get("task")
    if isinstance(tasks, list):
        tasks = [{**task, "depends_on": sorted(task["depends_on"], key=_by("task_key"))
                  if isinstance(task.get("depends_on"), list) else task.get("depends_on"),
                  "webhook_notifications": _sorted_webhooks(task.get("webhook_notifications"))}
                 if isinstance(task, dict) else task
                 for task in sorted(tasks, key=_by("task_key"))]
    return {**job, "task": tasks, "webhook_notifications": _sorted_webhooks(job.get("webhook_notifications"))}


_READS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"databricks_job": _job}


def read_back(resource_type: str, remote: dict[str, Any]) -> dict[str, Any]:
    """The object as the provider's Read writes it to state."""
    read = _READS.get(resource_type)
    return read(remote) if read is not None else remote
