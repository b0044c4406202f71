from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from iac.sandbox.store import Store, StoreError


def _put_many(path: str, worker: int, count: int = 20) -> None:
    store = Store(path)
    for i in range(count):
        serial = store.next_serial()
        store.put("https://w", "databricks_job", f"{worker}-{i}", {"id": f"{worker}-{i}", "serial": serial})


def test_parallel_threads_and_processes_lose_no_write(tmp_path: Path) -> None:
    path = str(tmp_path / "store.json")
    with ThreadPoolExecutor(4) as threads, ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as processes:
        jobs = [threads.submit(_put_many, path, w) for w in range(4)]
        jobs += [processes.submit(_put_many, path, w) for w in range(4, 6)]
        for job in jobs:
            job.result()
    data = Store(path).snapshot()
    assert len(data["workspaces"]["https://w"]["databricks_job"]) == 6 * 20
    assert data["serial"] == 6 * 20
    serials = sorted(o["serial"] for o in data["workspaces"]["https://w"]["databricks_job"].values())
    assert serials == list(range(1, 121))  # every serial handed out exactly once


def test_get_put_delete(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.json")
    assert store.get("https://a", "databricks_cluster", "c1") is None
    store.put("https://a", "databricks_cluster", "c1", {"id": "c1"})
    assert store.get("https://a", "databricks_cluster", "c1") == {"id": "c1"}
    assert store.get("https://b", "databricks_cluster", "c1") is None  # another workspace
    assert store.delete("databricks_cluster", "c1") is True
    assert store.delete("databricks_cluster", "c1") is False
    assert store.snapshot()["workspaces"] == {}  # empty workspaces and types are dropped


def test_same_id_in_two_workspaces_and_scoped_delete(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.json")
    store.put("https://a", "databricks_workspace_conf", "_", {"id": "_", "n": 1})
    store.put("https://b", "databricks_workspace_conf", "_", {"id": "_", "n": 2})
    assert [(scope, o["n"]) for scope, _, _, o in store.objects("databricks_workspace_conf")] == [("https://a", 1), ("https://b", 2)]
    assert store.delete("databricks_workspace_conf", "_", scope="https://b")
    assert store.count() == 1


def test_store_file_is_deterministic_json(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.json")
    store.put("w", "b", "2", {"z": 1, "a": 2})
    store.put("w", "a", "1", {"k": "v"})
    text = store.path.read_text()
    assert text.index('"a"') < text.index('"b"') and text.endswith("}\n")


@pytest.mark.parametrize("content", ["not json", '{"format_version": "1", "objects": {}}', "[]"],
                         ids=["garbage", "older layout", "list"])
def test_foreign_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(content)
    with pytest.raises(StoreError, match="not a sandbox store"):
        Store(path).get("w", "databricks_job", "1")


def test_reading_does_not_rewrite_the_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.json")
    store.put("w", "a", "1", {})
    before = store.path.stat().st_mtime_ns
    store.get("w", "a", "1")
    assert store.path.stat().st_mtime_ns == before
