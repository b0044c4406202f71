"""Why each changed value changes, in the plan: `iac.reasons` names the resolve step that set it (default tags, a
development preset) and the text and Markdown plans show a note per changed attribute."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from iac.render.markdown import render_markdown
from iac.synth import synthesize
from iac.workflows.planning import environment_target, plan_document
from tests.diff.helpers import fake_apply_text

ENVIRONMENT = '''
import os
from iac import Cluster, ClusterPolicy, Environment, ExistingWorkspace, Mode, PolicySettings, Range

def build(stack):
    with stack.workspace(ExistingWorkspace("shared", host="https://x")):
        policy = stack.add(ClusterPolicy("p", name="p", definition={"dbus_per_hour": Range(max_value=10)}))
        stack.add(Cluster("etl", cluster_name="etl", spark_version="15.4.x-scala2.12", node_type_id="i3.xlarge",
                          num_workers=int(os.environ["WORKERS"]), policy_id=policy.id, data_security_mode="SINGLE_USER",
                          custom_tags={"team": "data", "cost_center": "cc-1"}))

environment = Environment(name="dev", mode=Mode.development, cloud="aws", region="us-east-1", account_id="a",
                          build=build, default_tags={"project": "p", "environment": "dev", "owner": os.environ["OWNER"]},
                          policy=PolicySettings(guardrails={"budget": {"monthly_total": 5000}}))
'''


@pytest.fixture
def applied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose state is what applying it as alice, owner ana, 2 workers left."""
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.py").write_text(ENVIRONMENT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OWNER", "ana")
    monkeypatch.setenv("WORKERS", "2")
    state = tmp_path / "terraform.tfstate"
    for _ in range(4):  # an offline "apply", one level of references a round (see tests/diff/helpers.py)
        target = environment_target("dev", state, tmp_path, {}, warn=print)
        if target.plan.has_changes:
            state.write_text(fake_apply_text(target.plan))
    assert not target.plan.has_changes
    return tmp_path


def _changed(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another developer, another default owner, one more worker in the blueprint."""
    monkeypatch.setenv("IAC_USER", "bob")
    monkeypatch.setenv("OWNER", "ben")
    monkeypatch.setenv("WORKERS", "3")


def test_reasons_name_the_step_that_set_a_value(applied: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _changed(applied, monkeypatch)
    target = environment_target("dev", applied / "terraform.tfstate", applied, {}, warn=print)
    reasons = plan_document(target)["iac"]["reasons"]["databricks_cluster.etl"]
    assert reasons == {"cluster_name": "set by development preset (names prefixed for bob)",
                       "custom_tags.owner": "set by default_tags of environment dev",
                       "num_workers": "set in config"}
    assert synthesize("dev", applied).origins["databricks_cluster.etl"]["custom_tags.owner"] == \
        "default_tags of environment dev"


def test_text_and_markdown_show_a_note_per_changed_attribute(applied: Path, monkeypatch: pytest.MonkeyPatch,
                                                             run_iac: Callable) -> None:
    _changed(applied, monkeypatch)
    code, out, err = run_iac("plan", "dev", "--state", str(applied / "terraform.tfstate"))
    assert code == 0, err
    assert ("  # databricks_cluster.etl will be updated in-place\n"
            "  #   cluster_name: set by development preset (names prefixed for bob)\n"
            "  #   custom_tags.owner: set by default_tags of environment dev\n"
            "  #   num_workers: set at environments/dev.py:8\n"
            '  ~ resource "databricks_cluster" "etl" {') in out
    target = environment_target("dev", applied / "terraform.tfstate", applied, {}, warn=print)
    markdown = render_markdown([plan_document(target)])
    assert '~ custom_tags.owner = "ana" -> "ben"  # set by default_tags of environment dev' in markdown
    assert "~ num_workers       = 2 -> 3  # set at environments/dev.py:8" in markdown


def test_a_create_has_no_notes(applied: Path, run_iac: Callable) -> None:
    code, out, err = run_iac("plan", "dev", "--state", "/dev/null")
    assert code == 0, err
    assert "will be created\n  + resource" in out and "#   " not in out
