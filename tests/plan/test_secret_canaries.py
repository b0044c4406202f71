"""Canaries: a value that is or was sensitive anywhere never reaches any output of `iac plan` (text, JSON,
Markdown, `--out`, `--sarif`, `--junit`) or `iac show` — including a rotated secret's old value that another
resource holds in state in clear (real Terraform applied it), and a literal secret SEC006 recognises."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run
from tests.oracle.harness import TerraformOracle

OLD = "canary-old-7c1e55d0"
NEW = "canary-new-0b9f3a27"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

ROTATING = {
    "variable": {"secret": {"type": "string", "sensitive": True}},
    "resource": {"terraform_data": {
        "holder": {"input": "${var.secret}"},
        "copy": {"input": "${terraform_data.holder.output}"},  # Terraform does not mark this copy
        "embedded": {"input": {"url": "https://user:${terraform_data.holder.output}@db.example.com/x"}},
    }},
    "output": {"copied": {"value": "${terraform_data.copy.output}"}},
}


def _outputs(run_iac: Callable[..., Run], directory: Path, *args: str) -> list[str]:
    """Everything `iac plan` prints and writes, in every format, and `iac show` of its --out file."""
    texts: list[str] = []
    for fmt in ("text", "json", "markdown"):
        out, sarif, junit = (directory / f"plan.{fmt}.{kind}" for kind in ("json", "sarif", "xml"))
        result = run_iac("plan", *args, "--format", fmt, "--out", str(out), "--sarif", str(sarif), "--junit",
                         str(junit))
        assert result.code in (0, 1, 2, 3), result
        texts += [result.stdout, result.stderr] + [p.read_text() for p in (out, sarif, junit) if p.exists()]
        for shown in ("text", "markdown"):
            show = run_iac("show", str(out), "--format", shown)
            texts += [show.stdout, show.stderr]
    return texts


def test_a_rotated_secret_leaks_neither_its_old_nor_its_new_value(tmp_path: Path, run_iac: Callable[..., Run],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    oracle = TerraformOracle(tmp_path / "tf")
    oracle.apply(ROTATING, variables={"secret": OLD})
    state = oracle.state_file.read_text()
    assert state.count(OLD) >= 4, "Terraform keeps the old value in clear in the copies"
    (tmp_path / "main.tf.json").write_text(json.dumps(ROTATING))
    monkeypatch.setenv("TF_VAR_secret", NEW)
    texts = _outputs(run_iac, tmp_path, "--config", str(tmp_path / "main.tf.json"), "--state", str(oracle.state_file))
    assert any("terraform_data.copy" in text for text in texts)  # the plan was shown
    leaks = [(secret, text[max(0, text.find(secret) - 80):text.find(secret) + 40])
             for text in texts for secret in (OLD, NEW) if secret in text]
    assert leaks == []


def _spark_conf_config() -> dict[str, Any]:
    return {"resource": {"databricks_cluster": {"etl": {
        "cluster_name": "etl", "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 2,
        "data_security_mode": "USER_ISOLATION", "autotermination_minutes": 30,
        "spark_conf": {"spark.hadoop.fs.s3a.secret.key": AWS_SECRET, "spark.speculation": "true"},
        "custom_tags": {"owner": "x", "team": "y", "cost_center": "cc-1", "environment": "dev", "project": "p"},
    }}}}


def test_a_literal_secret_sec006_recognises_is_masked_everywhere(tmp_path: Path,
                                                                 run_iac: Callable[..., Run]) -> None:
    (tmp_path / "main.tf.json").write_text(json.dumps(_spark_conf_config()))
    texts = _outputs(run_iac, tmp_path, "--config", str(tmp_path / "main.tf.json"))
    assert any("SEC006" in text for text in texts)
    assert any("spark.speculation" in text for text in texts)  # the rest of spark_conf is still shown
    assert [text[max(0, text.find(AWS_SECRET) - 80):] for text in texts if AWS_SECRET in text] == []


def test_a_secret_in_a_prior_state_value_is_masked_where_it_was_copied(tmp_path: Path) -> None:
    """Model level: a value marked sensitive in one object's prior state masks its copies in others."""
    from iac.plan.jsonplan import to_json
    from iac.render import RENDERERS
    from iac.state import parse_state
    from iac.workflows.planning import make_plan

    provider = 'provider["terraform.io/builtin/terraform"]'

    def resource(name: str, value: str, marked: bool) -> dict[str, Any]:
        return {"mode": "managed", "type": "terraform_data", "name": name, "provider": provider, "instances": [{
            "schema_version": 0, "sensitive_attributes": [[{"type": "get_attr", "value": "input"}]] if marked else [],
            "attributes": {"id": name, "input": {"value": value, "type": "string"},
                           "output": {"value": value, "type": "string"}, "triggers_replace": None}}]}

    state = parse_state(json.dumps({"version": 4, "serial": 1, "lineage": "l", "resources": [
        resource("holder", OLD, True), resource("copy", f"prefix {OLD} suffix", False)]}))
    config = {"resource": {"terraform_data": {"holder": {"input": "rotated"}, "copy": {"input": "plain"}}}}
    document = to_json(make_plan(config, state, env={}))
    texts = [json.dumps(document)] + [render(document, color=False) for render in RENDERERS.values()]
    assert all(OLD not in text for text in texts)
    copy = next(rc for rc in document.get("resource_changes", []) if rc["address"] == "terraform_data.copy")
    assert copy["change"]["before"]["input"] == "(sensitive value)"
    assert copy["change"]["before_sensitive"]["input"] is True
