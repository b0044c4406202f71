"""`iac graph ENV`: the dependency graph as DOT and as Mermaid that GitHub renders (a fenced block, within its limits)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from iac.render.graph import to_mermaid
from iac.workflows.graphing import ResourceGraph
from tests.commands.conftest import REPO, Iac, run_iac

DOT_LINE = re.compile(r'^(digraph iac \{|\}|  compound = true;|  rankdir = "RL";|  node \[shape = box, fontsize = 10\];'
                      r'|  subgraph cluster_\d+ \{|    label = "[^"]+";|    "[^"]+";|  \}|  "[^"]+";'
                      r'|  "[^"]+" -> "[^"]+"( \[ltail = cluster_\d+\])?;)$')
MERMAID_LINE = re.compile(r'^(```mermaid|```|flowchart RL|  subgraph g\d+\["[^"]+"\]|    n\d+\["[^"]+"\]|  end'
                          r'|  n\d+\["[^"]+"\]|  [ng]\d+ --> n\d+)$')


def test_dot_of_the_scaffold(iac: Iac) -> None:
    result = iac("graph", "qa")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(DOT_LINE.match(line) for line in lines), [line for line in lines if not DOT_LINE.match(line)]
    assert '  "databricks_cluster.starter" -> "databricks_cluster_policy.starter";' in lines
    assert '  "databricks_permissions.starter_cluster" -> "databricks_group.starter_users";' in lines
    assert '    label = "databricks.main";' in lines


def test_mermaid_of_the_example_dev_environment_renders_in_a_comment() -> None:
    result = run_iac("graph", "dev", "--format", "mermaid", cwd=REPO)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    lines = result.stdout.splitlines()
    assert all(MERMAID_LINE.match(line) for line in lines), [line for line in lines if not MERMAID_LINE.match(line)]
    [fence] = [t for t in MarkdownIt().parse(result.stdout) if t.type == "fence"]
    assert fence.info == "mermaid" and fence.content.startswith("flowchart RL\n")
    ids = dict(re.findall(r'(n\d+)\["([^"]+)"\]', result.stdout))
    edges = {(ids[a], ids[b]) for a, b in re.findall(r"^  (n\d+) --> (n\d+)$", result.stdout, re.MULTILINE)}
    assert ("databricks_cluster.fraud_shared", "databricks_cluster_policy.fraud_interactive") in edges
    groups = dict(re.findall(r'subgraph (g\d+)\["([^"]+)"\]', result.stdout))
    group_edges = {(groups[g], ids[r]) for g, r in re.findall(r"^  (g\d+) --> (n\d+)$", result.stdout, re.MULTILINE)}
    assert ("databricks.fraud", "databricks_mws_workspaces.fraud") in group_edges, "a workspace's resources need it"


def test_prod_is_too_large_for_github_unless_focused() -> None:
    whole = run_iac("graph", "prod", "--format", "mermaid", cwd=REPO)
    assert whole.returncode == 0
    assert re.fullmatch(r"Warning: \[prod\] \d+ edges: GitHub renders Mermaid graphs of at most 500; narrow it with "
                        r"--focus ADDRESS\n", whole.stderr)
    focused = run_iac("graph", "prod", "--format", "mermaid", "--focus", "databricks_cluster_policy.fraud_jobs", cwd=REPO)
    assert focused.returncode == 0 and focused.stderr == "", focused.stderr
    labels = set(re.findall(r'n\d+\["([^"]+)"\]', focused.stdout))
    assert {"databricks_cluster_policy.fraud_jobs", "databricks_job.fraud_nightly_etl",
            "databricks_permissions.fraud_jobs_policy", "databricks_mws_workspaces.fraud"} <= labels
    assert not any("search" in label for label in labels), "another team's workspace is not connected"
    wrong = run_iac("graph", "prod", "--focus", "databricks_cluster_policy.frau_jobs", cwd=REPO)
    assert wrong.returncode == 1
    assert wrong.stderr == ("Error: [prod] --focus 'databricks_cluster_policy.frau_jobs' is not a resource of the "
                            "configuration (did you mean 'databricks_cluster_policy.fraud_jobs'?)\n")


def test_a_label_with_a_quote_stays_one_label() -> None:
    graph = ResourceGraph(nodes=['terraform_data.a["x\\"y"]'], edges=[])
    assert to_mermaid(graph).splitlines()[2] == '  n0["terraform_data.a[#quot;x\\#quot;y#quot;]"]'
