"""The plan JSON's `checks` array, in the shape of Terraform's `jsonchecks`: one entry per checkable object
(its configuration address, aggregate status, and each instance's address, status and problems)."""

from __future__ import annotations

from typing import Any

from iac.plan.model import CheckInstance, CheckResult

__all__ = ["checks_json"]


def checks_json(results: tuple[CheckResult, ...]) -> list[dict[str, Any]]:
    """The `checks` entries, in the order the plan keeps them (by address, as Terraform sorts them)."""
    return [_entry(result) for result in results]


def _entry(result: CheckResult) -> dict[str, Any]:
    address: dict[str, Any] = {"kind": result.kind, "name": result.name, "to_display": result.address}
    if result.module is not None:
        address["module"] = result.module
    if result.mode is not None:
        address["mode"] = result.mode
        address["type"] = result.type
    entry: dict[str, Any] = {"address": address, "status": result.status}
    if result.instances:  # Terraform leaves the list out when there is no instance (count = 0)
        entry["instances"] = [_instance(instance) for instance in result.instances]
    return entry


def _instance(instance: CheckInstance) -> dict[str, Any]:
    address: dict[str, Any] = {"to_display": instance.address}
    if instance.module is not None:
        address["module"] = instance.module
    if instance.key is not None:
        address["instance_key"] = instance.key
    entry: dict[str, Any] = {"address": address, "status": instance.status}
    if instance.problems:
        entry["problems"] = [{"message": message} for message in instance.problems]
    return entry
