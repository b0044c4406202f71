"""Markdown renderer: golden files per case, plus the properties a reviewer relies on.

Each case in tests/golden/markdown/<case>/ has the input `plan.json` (built by tests/render/markdown_plans.py,
or copied from a real `iac plan ENV --format json`) and the expected `plan.md`. IAC_UPDATE_GOLDEN=1
rewrites both from the builders.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from iac._jsonio import dumps, loads
from iac.render.markdown import render_markdown
from tests.github.markdown_checks import problems, tables
from tests.render.markdown_plans import change, destroy_plan, fifty_workspace_plan, plan, small_plan

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "markdown"
BUILDERS = {"small": small_plan, "fifty_workspaces": fifty_workspace_plan, "destroys": destroy_plan}
UPDATE = os.environ.get("IAC_UPDATE_GOLDEN") == "1"


def _cases() -> list[str]:
    found = {p.name for p in GOLDEN.iterdir() if (p / "plan.json").exists()} if GOLDEN.exists() else set()
    return sorted(found | set(BUILDERS))


@pytest.mark.parametrize("case", _cases())
def test_golden_markdown(case: str) -> None:
    folder = GOLDEN / case
    if UPDATE and case in BUILDERS:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "plan.json").write_text(dumps(BUILDERS[case]()), encoding="utf-8")
    plans = loads((folder / "plan.json").read_bytes())
    rendered = render_markdown(plans if isinstance(plans, list) else [plans])
    if UPDATE:
        (folder / "plan.md").write_text(rendered, encoding="utf-8")
    assert rendered == (folder / "plan.md").read_text(encoding="utf-8")
    assert problems(rendered) == []


def test_builders_match_their_checked_in_plan_json() -> None:
    for case, build in BUILDERS.items():
        assert loads((GOLDEN / case / "plan.json").read_bytes()) == loads(dumps(build())), case


def test_rendering_is_deterministic() -> None:
    plans = [small_plan(), fifty_workspace_plan(), destroy_plan()]
    assert render_markdown(plans) == render_markdown(plans)


def test_head_order_verdict_table_destroys_findings_then_details() -> None:
    text = render_markdown([destroy_plan()])
    marks = [text.index(s) for s in ("<!-- iac:plan env=staging -->", "## ⛔ `staging` denied by policy",
                                     "| add | change | replace | destroy |", "### Destroys and replacements (3)",
                                     "### Findings (2)", "### Changes (5)", "<details>")]
    assert marks == sorted(marks)
    head = text[: text.index("<details>")]
    for address in ("databricks_cluster.legacy_etl", "databricks_cluster.ml_gpu", "databricks_sql_endpoint.adhoc"):
        assert address in head  # every destroy and replacement, outside any collapsible element


def test_summary_counts_replace_once_in_add_and_once_in_destroy() -> None:
    text = render_markdown([destroy_plan()])
    assert "**Plan: 1 to add, 1 to change, 3 to destroy.**" in text
    assert "| 1 | 1 | 1 | 3 | 1 | $2,095.20 → $1,900.80 | -$194.40 | ❌ 1 error · 1 waived |" in text


def test_identical_changes_across_workspaces_are_grouped() -> None:
    text = render_markdown([fifty_workspace_plan()])
    assert "<code>+</code> <code>databricks_cluster_policy.*_jobs</code> x50 will be created" in text
    assert "<code>~</code> <code>databricks_cluster.*_shared</code> x50 will be updated in-place" in text
    assert re.search(r'^\+ name +=  ?"\* jobs"$', text, re.M)
    assert re.search(r'^\+ definition\.spark_version\.value += "15\.4"$', text, re.M)  # JSON in a string, per leaf
    assert text.count("<details>") == 4  # two groups, the one warehouse, cost assumptions
    assert "`databricks_cluster.team_*_shared` x50 at `custom_tags.cost_center`" in text


def test_different_changes_are_not_grouped() -> None:
    plans = fifty_workspace_plan(teams=3)
    plans.get("resource_changes", [])[0]["change"]["after"]["num_workers"] = 9  # team_01 differs from the others
    text = render_markdown([plans])
    assert "<code>databricks_cluster.team_01_shared</code> will be updated" in text
    assert "<code>databricks_cluster.*_shared</code> x2" in text


def test_a_masked_leaf_is_never_printed_even_if_the_json_held_it_in_clear() -> None:
    secret = "dapi0123456789abcdef-SECRET"
    rc = change("databricks_secret.token", ["update"], {"key": "t", "string_value": secret},
                {"key": "t", "string_value": secret + "-new"},
                masks={"before": {"string_value": True}, "after": {"string_value": True}})
    whole = change("databricks_token.ci", ["create"], None, {"comment": "ci", "token_value": secret},
                   masks={"after": True})
    text = render_markdown([plan("dev", [rc, whole], reasons={"databricks_secret.token": {"string_value": "set"}})])
    assert secret not in text
    assert "~ string_value = (sensitive value)" in text


def test_user_text_cannot_break_out_of_the_markdown() -> None:
    nasty = "<script>alert(1)</script> | `code` </details> ```"
    p = plan("dev", [change("databricks_cluster.x", ["update"], {"cluster_name": "a"}, {"cluster_name": nasty})],
             findings=[{"check_id": "X1", "severity": "error", "address": "databricks_cluster.x", "path": "a|b",
                        "message": nasty, "fix": nasty, "source": None, "waived": None}], verdict="deny")
    text = render_markdown([p])
    assert "<script>" not in text.replace("```", "")[: text.index("<details>")]
    assert problems(text) == []
    assert tables(text) == 1


def test_no_changes_says_so() -> None:
    text = render_markdown([plan("dev", [change("databricks_cluster.x", ["no-op"], {"a": 1}, {"a": 1})])])
    assert "**No changes. Your infrastructure matches the configuration.**" in text
    assert "<details>" not in text.split("### Changes")[0] and "### Changes" not in text


def test_a_plan_that_only_changes_outputs_says_so_and_lists_them() -> None:
    document = plan("dev", [change("databricks_cluster.x", ["no-op"], {"a": 1}, {"a": 1})])
    document["output_changes"] = {
        "url": {"actions": ["update"], "before": "a", "after": "b", "after_unknown": False,
                "before_sensitive": False, "after_sensitive": False},
        "same": {"actions": ["no-op"], "before": 1, "after": 1, "after_unknown": False,
                 "before_sensitive": False, "after_sensitive": False}}
    text = render_markdown([document])
    assert "No changes" not in text and "**Changes to Outputs only: applying saves the new output values" in text
    assert "Changes to outputs (1)" in text and '~ url = "b"' in text and "same" not in text


def test_several_environments_each_get_their_own_marked_section() -> None:
    text = render_markdown([small_plan(), destroy_plan(), fifty_workspace_plan()])
    assert re.findall(r"^<!-- iac:plan env=(\w+) -->$", text, re.M) == ["dev", "staging", "prod"]


def test_a_huge_group_lists_its_first_members_and_counts_the_rest() -> None:
    text = render_markdown([fifty_workspace_plan(teams=300)])
    assert "<code>databricks_cluster.*_shared</code> x300" in text
    listed = re.search(r"300 resources, `\*` is: (.*?) and 100 more \(all in the plan artifact\)", text)
    assert listed and len(listed.group(1).split(", ")) == 200


@pytest.mark.parametrize("build", [small_plan, destroy_plan, fifty_workspace_plan], ids=["small", "destroys", "fifty"])
def test_real_checks_output_renders_with_matching_counts(build) -> None:
    from iac.policy.engine import apply_to_plan, evaluate
    from iac.policy.settings import PolicySettings

    document = loads(dumps(build()))
    apply_to_plan(document, evaluate(document, PolicySettings(), mode=document["iac"]["mode"]))
    text = render_markdown([document])
    assert problems(text) == []
    findings = [f for f in document["iac"]["findings"] if not f.get("waived")]
    row = text.split("| :--- |\n", 1)[1].split("\n", 1)[0]
    for severity, word in (("error", "error"), ("warning", "warning")):
        count = sum(1 for f in findings if f["severity"] == severity)
        if count:
            assert re.search(rf"\b{count} {word}s?\b", row), (severity, row)
    assert f"### Findings ({len(document['iac']['findings'])})" in text or not document["iac"]["findings"]


def test_a_name_that_is_all_workspace_groups_under_its_type() -> None:
    changes = [change(f"databricks_catalog.{team}", ["create"], None, {"name": team, "comment": "managed by iac"})
               for team in ("fraud", "pricing", "search")]
    text = render_markdown([plan("prod", changes)])
    assert "<code>databricks_catalog.*</code> x3 will be created" in text
    assert "`*` is: `fraud`, `pricing`, `search`" in text


def test_json_in_a_string_diffs_leaf_by_leaf() -> None:
    before = '{"autoscale.max_workers":{"maxValue":8,"type":"range"},"node_type_id":{"type":"fixed","value":"i3"}}'
    after = before.replace('"maxValue":8', '"maxValue":16')
    text = render_markdown([plan("dev", [change("databricks_cluster_policy.jobs", ["update"],
                                                {"definition": before, "name": "jobs"},
                                                {"definition": after, "name": "jobs"})])])
    assert re.search(r'^~ definition\["autoscale\.max_workers"\]\.maxValue = 8 -> 16$', text, re.M)
    assert "# (4 unchanged attributes hidden)" in text
