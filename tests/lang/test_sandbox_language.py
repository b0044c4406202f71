"""The language with Databricks types: dynamic blocks, for_each over sets and maps, conditionals, functions
and nested-block references, planned by real Terraform through the sandbox provider and by iac — the same plan.

Terraform JSON syntax here (the sandbox copies `*.tf.json` configurations): every expression goes through the
same parser and evaluator as a `.tf` file's, which tests/lang/test_corpus_oracle.py checks on HCL files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps, loads
from iac.sandbox.session import Sandbox, SandboxTerraform, start_sandbox
from iac.workflows.planning import preview
from tests.oracle.harness import comparable

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

CONFIG: dict[str, Any] = {
    "terraform": {"required_providers": {"databricks": {"source": "databricks/databricks", "version": "1.110.0"}}},
    "provider": {"databricks": {"host": "https://adb-1.azuredatabricks.net"}},
    "variable": {
        "teams": {"type": "map(object({ workers = number, libraries = list(string), gpu = optional(bool, false) }))",
                  "default": {"fraud": {"workers": 4, "libraries": ["pandas==2.2.0", "scikit-learn==1.4.0"]},
                              "search": {"workers": 2, "libraries": [], "gpu": True}}},
        "spark_conf": {"type": "map(string)", "default": {"spark.sql.shuffle.partitions": "64"}},
    },
    "locals": {
        "tags": {"env": "dev", "owner": "platform"},
        "groups": "${toset([for name, _ in var.teams : \"${name}-engineers\"])}",
    },
    "resource": {
        "databricks_group": {
            "team": {"for_each": "${local.groups}", "display_name": "${each.key}",
                     "allow_cluster_create": "${startswith(each.key, \"fraud\")}"}
        },
        "databricks_cluster": {
            "team": {
                "for_each": "${var.teams}",
                "cluster_name": "${format(\"%s-shared\", each.key)}",
                "spark_version": "15.4.x-scala2.12",
                "node_type_id": "${each.value.gpu ? \"g5.xlarge\" : \"m5d.large\"}",
                "autotermination_minutes": "${each.value.workers > 3 ? 60 : 30}",
                "spark_conf": "${merge(var.spark_conf, {\"spark.databricks.cluster.profile\" = \"serverless\"})}",
                "custom_tags": "${merge(local.tags, {team = each.key})}",
                "autoscale": {"min_workers": 1, "max_workers": "${each.value.workers}"},
                "dynamic": {"library": {"for_each": "${each.value.libraries}", "iterator": "lib",
                                        "content": {"pypi": {"package": "${lib.value}"}}}},
            }
        },
        "databricks_permissions": {
            "cluster": {
                "for_each": "${databricks_cluster.team}",
                "cluster_id": "${each.value.id}",
                "access_control": {"group_name": "${databricks_group.team[\"${each.key}-engineers\"].display_name}",
                                   "permission_level": "CAN_RESTART"},
            }
        },
    },
    "output": {"clusters": {"value": "${sort([for c in databricks_cluster.team : c.cluster_name])}"}},
}


def _write(sandbox: Sandbox, config: dict[str, Any]) -> Path:
    source = sandbox.root / "config-under-test"
    source.mkdir(exist_ok=True)
    (source / "main.tf.json").write_text(dumps(config))
    return sandbox.prepare_workdir(source)


def _plans(sandbox: Sandbox, tf: SandboxTerraform, config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    workdir = _write(sandbox, config)
    code, _out, err = tf.execute("plan", "-no-color", "-refresh=false", "-out=lang.tfplan")
    assert code == 0, err
    code, out, err = tf.execute("show", "-json", "lang.tfplan")
    assert code == 0, err
    state = workdir / "terraform.tfstate"
    ours = preview(loads((workdir / "main.tf.json").read_text()), state.read_text() if state.exists() else None,
                   base_dir=workdir, variables={}, env={})
    return comparable(loads(out)), comparable(ours)


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, SandboxTerraform]]:
    with start_sandbox(tmp_path_factory.mktemp("lang-sandbox") / "sandbox") as box:
        yield box, box.terraform(_write(box, CONFIG))


def test_the_first_plan_is_terraforms(sandbox: tuple[Sandbox, SandboxTerraform]) -> None:
    box, tf = sandbox
    theirs, ours = _plans(box, tf, CONFIG)
    assert ours == theirs
    assert sum(1 for k in theirs if k.startswith("databricks_cluster.team")) == 2


def test_changes_after_apply_are_terraforms(sandbox: tuple[Sandbox, SandboxTerraform]) -> None:
    box, tf = sandbox
    _write(box, CONFIG)
    code, _out, err = tf.execute("apply", "-no-color", "-auto-approve")
    assert code == 0, err
    changed = loads(dumps(CONFIG))
    teams = changed["variable"]["teams"]["default"]
    teams["fraud"]["libraries"] = ["pandas==2.2.1"]  # a dynamic block's content changes
    teams["search"]["workers"] = 5  # a conditional flips, autoscale updates
    teams["risk"] = {"workers": 1, "libraries": ["requests"]}  # a new for_each key everywhere
    theirs, ours = _plans(box, tf, changed)
    assert ours == theirs
    assert any(v["actions"] == ["create"] for k, v in theirs.items() if "risk" in k)
