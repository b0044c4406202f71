"""`iac explain ENV ADDRESS[.attr]` on the example dev environment: each value's story, from the construct line
and the environment's data to the default tags and the development-mode presets that changed it."""

from __future__ import annotations

import json
import re

from tests.commands.conftest import REPO, run_iac


def _explain(*args: str) -> tuple[int, str, str]:
    result = run_iac("explain", "dev", *args, cwd=REPO)
    return result.returncode, result.stdout, result.stderr


def test_one_attribute_from_the_environments_data() -> None:
    code, out, err = _explain("databricks_cluster.fraud_shared.custom_tags.cost_center")
    assert code == 0, err
    assert out.splitlines() == [
        "databricks_cluster.fraud_shared: Cluster made at modules/team_workspace.py:203; provider databricks.fraud",
        '  custom_tags.cost_center = "cc-1001"',
        '    set by the construct at modules/team_workspace.py:203: "cc-1001"',
        '    from the environment\'s data: "cc-1001" at environments/dev.py:12',
    ]


def test_default_tags_presets_and_references() -> None:
    code, out, err = _explain("databricks_cluster.fraud_shared")
    assert code == 0, err
    blocks = {block.splitlines()[0].strip(): block for block in re.split(r"\n  (?! )", out)[1:]}
    assert blocks['custom_tags.environment = "dev"'].splitlines()[1].strip() == (
        'added by the environment\'s default_tags (environments/dev.py:22): "dev"')
    assert blocks["autotermination_minutes = 30"].splitlines()[1:] == [
        "    set by the construct at modules/team_workspace.py:203: 60",
        "    changed by the development-mode autotermination cap (presets.max_autotermination_minutes = 30): 30"]
    assert blocks['cluster_name = "[dev alice] fraud shared"'].splitlines()[-1].strip() == (
        'changed by the development-mode preset prefix_names ("[dev alice] " prefixed) (environments/dev.py:18): '
        '"[dev alice] fraud shared"')
    assert blocks['policy_id = "${databricks_cluster_policy.fraud_interactive.id}"'].splitlines()[-1].strip() == (
        "a reference to databricks_cluster_policy.fraud_interactive (its id), known once that is planned")


def test_json_and_mistakes() -> None:
    code, out, err = _explain("databricks_job.fraud_nightly_etl.schedule.pause_status", "--json")
    assert code == 0, err
    document = json.loads(out)
    assert document["origins"] == [{"path": "schedule.pause_status", "value": "PAUSED", "story": [
        'added by the development-mode preset pause_schedules (schedules paused): "PAUSED"']}]
    code, _, err = _explain("databricks_cluster.fraud_sharde")
    assert code == 1 and err == ("Error: [dev] databricks_cluster.fraud_sharde: no construct at this address (did you "
                                 "mean 'databricks_cluster.fraud_shared'?)\n")
    code, _, err = _explain("databricks_cluster.fraud_shared.cluster_id")
    assert code == 1 and err == ("Error: [dev] databricks_cluster.fraud_shared.cluster_id: not set in the configuration "
                                 "(the provider decides it: known after apply)\n")
