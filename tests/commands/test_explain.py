"""`iac explain ENV ADDRESS[.attr]` on the example dev environment: each value's story, from the construct line
and the environment's data to the default tags and the development-mode presets that changed it."""

from __future__ import annotations

import json
import re

from tests.commands.conftest import REPO, run_iac


def _explain(*args: str) -> tuple[int, str, str]:
    result = run_iac("explain", "dev", *args, cwd=REPO)
    return result.returncode, result.stdout, result.stderr


def _line(text: str) -> str:
    """The source line a `file:line` in explain's output names (the example files move; the lines they name
    must still hold what explain says they hold)."""
    path, number = re.search(r"([\w/]+\.py):(\d+)", text).groups()  # type: ignore[union-attr]
    return (REPO / path).read_text().splitlines()[int(number) - 1]


def test_one_attribute_from_the_environments_data() -> None:
    code, out, err = _explain("databricks_cluster.fraud_shared.custom_tags.cost_center")
    assert code == 0, err
    lines = out.splitlines()
    assert re.fullmatch(r"databricks_cluster.fraud_shared: Cluster made at modules/team_workspace.py:\d+; provider "
                        r"databricks.fraud", lines[0]) and "Cluster(" in _line(lines[0])
    assert lines[1] == '  custom_tags.cost_center = "cc-1001"'
    assert re.fullmatch(r'    set by the construct at modules/team_workspace.py:\d+: "cc-1001"', lines[2])
    assert re.fullmatch(r'    from the environment\'s data: "cc-1001" at environments/dev.py:\d+', lines[3])
    assert '"cc-1001"' in _line(lines[3]) and len(lines) == 4


def test_default_tags_presets_and_references() -> None:
    code, out, err = _explain("databricks_cluster.fraud_shared")
    assert code == 0, err
    blocks = {block.splitlines()[0].strip(): block for block in re.split(r"\n  (?! )", out)[1:]}
    tags = blocks['custom_tags.environment = "dev"'].splitlines()[1].strip()
    assert re.fullmatch(r'added by the environment\'s default_tags \(environments/dev.py:\d+\): "dev"', tags)
    assert "default_tags" in _line(tags) or "environment" in _line(tags)
    autotermination = blocks["autotermination_minutes = 30"].splitlines()[1:]
    assert re.fullmatch(r"    set by the construct at modules/team_workspace.py:\d+: 60", autotermination[0])
    assert autotermination[1:] == [
        "    changed by the development-mode autotermination cap (presets.max_autotermination_minutes = 30): 30"]
    prefix = blocks['cluster_name = "[dev alice] fraud shared"'].splitlines()[-1].strip()
    assert re.fullmatch(r'changed by the development-mode preset prefix_names \("\[dev alice\] " prefixed\) '
                        r'\(environments/dev.py:\d+\): "\[dev alice\] fraud shared"', prefix)
    assert "mode" in _line(prefix) or "development" in _line(prefix)
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
