"""The simulated workspaces: one JSON file of objects by workspace, resource type and id, safe for parallel writers.

Terraform applies up to 10 resources at once through one provider process, and with several provider
configurations (aliases) or launched providers, through several processes. Every read-modify-write holds
a thread lock and an exclusive `flock` on `<store>.lock`, and the file is replaced atomically, so readers
never see half a file and no write is lost.

Layout (deterministic JSON, `iac._jsonio`):

    {"format_version": "2", "serial": 7,
     "workspaces": {"https://dbc-4f1c9a2e-7b3d.cloud.databricks.com":
                        {"databricks_cluster": {"0419-103512-k3p9x2q1": {...attributes...}}},
                    "https://accounts.cloud.databricks.com/accounts/<account id>": {...}}}

Objects live in the workspace (scope) of the provider configuration that created them, so two workspaces
can each hold their `databricks_workspace_conf` "_" or a secret scope of the same name, as real ones do.
`serial` counts created objects; the computed-value generator derives ids from it so a fresh store gives
the same ids every run. Objects never hold sensitive attribute values (the provider strips them, like an
API that cannot read a secret back). Deleting an object from this file by hand is how you simulate drift.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from iac._jsonio import atomic_write, dumps, read_json
from iac.diagnostics import IacError

__all__ = ["Store", "StoreError"]

_FORMAT_VERSION = "2"
_THREAD_LOCKS: dict[Path, threading.Lock] = {}
_THREAD_LOCKS_GUARD = threading.Lock()


class StoreError(IacError):
    """Raised when the sandbox store file exists but is not a sandbox store."""


def _empty() -> dict[str, Any]:
    return {"format_version": _FORMAT_VERSION, "serial": 0, "workspaces": {}}


def _thread_lock(path: Path) -> threading.Lock:
    with _THREAD_LOCKS_GUARD:
        return _THREAD_LOCKS.setdefault(path, threading.Lock())


class Store:
    """A locked JSON store of simulated Databricks objects."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).absolute()

    @contextmanager
    def transaction(self) -> Iterator[dict[str, Any]]:
        """Lock, load, yield the whole document for changes, write it back if it changed."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _thread_lock(self.path), open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                data = self._load()
                before = dumps(data)
                yield data
                after = dumps(data)
                if after != before or not self.path.exists():
                    atomic_write(self.path, after)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _load(self) -> dict[str, Any]:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return _empty()
        try:
            data = read_json(self.path)
        except ValueError as error:
            raise StoreError(f"{self.path}: not a sandbox store ({error})") from None
        if not isinstance(data, dict) or data.get("format_version") != _FORMAT_VERSION:
            raise StoreError(f"{self.path}: not a sandbox store (format_version {_FORMAT_VERSION} expected)")
        return data

    def snapshot(self) -> dict[str, Any]:
        """The whole document, read under the lock (for tests and `iac sandbox` listings)."""
        with self.transaction() as data:
            return data

    def get(self, scope: str, resource_type: str, object_id: str) -> dict[str, Any] | None:
        """The stored object, or None when it does not exist (never created, deleted, or removed by hand)."""
        with self.transaction() as data:
            found = data["workspaces"].get(scope, {}).get(resource_type, {}).get(object_id)
            return dict(found) if found is not None else None

    def put(self, scope: str, resource_type: str, object_id: str, attributes: dict[str, Any]) -> None:
        with self.transaction() as data:
            data["workspaces"].setdefault(scope, {}).setdefault(resource_type, {})[object_id] = attributes

    def delete(self, resource_type: str, object_id: str, scope: str | None = None) -> bool:
        """Remove an object (from `scope`, or from every workspace holding that id); True if one was there."""
        with self.transaction() as data:
            found = False
            for name in [scope] if scope is not None else sorted(data["workspaces"]):
                found = _pop(data["workspaces"], name, resource_type, object_id) or found
            return found

    def objects(self, resource_type: str | None = None) -> list[tuple[str, str, str, dict[str, Any]]]:
        """Every stored object as (scope, type, id, attributes), sorted; only `resource_type` when given."""
        data = self.snapshot()
        return [(scope, type_, object_id, attributes)
                for scope, types in sorted(data["workspaces"].items())
                for type_, objects in sorted(types.items()) if resource_type in (None, type_)
                for object_id, attributes in sorted(objects.items())]

    def next_serial(self) -> int:
        """Reserve the next object serial number (1, 2, 3... for a fresh store)."""
        with self.transaction() as data:
            data["serial"] = int(data.get("serial", 0)) + 1
            return int(data["serial"])

    def count(self) -> int:
        """How many objects the store holds, in every workspace."""
        return len(self.objects())


def _pop(workspaces: dict[str, Any], scope: str, resource_type: str, object_id: str) -> bool:
    """Remove one object and any container it leaves empty."""
    types = workspaces.get(scope, {})
    objects = types.get(resource_type, {})
    found = objects.pop(object_id, None) is not None
    if not objects:
        types.pop(resource_type, None)
    if not types:
        workspaces.pop(scope, None)
    return found
