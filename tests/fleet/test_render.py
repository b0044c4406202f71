"""The roll-up's renderers: members named completely but briefly; one comment at 1,000 members."""

from __future__ import annotations

import pytest

from iac._jsonio import loads
from iac.fleet.rollup import roll_up
from iac.fleet.summary import Templates, summarize_member
from iac.fleet.template import Identity, instantiate, template
from iac.github.split import COMMENT_LIMIT
from iac.render._fleet import complete_list
from iac.render.fleet_markdown import render_rollup_markdown
from iac.render.fleet_text import render_rollup_text
from iac.workflows.fleet_planning import FleetRequest, plan_fleet
from iac.workflows.fleet_states import split_states
from tests.fleet.helpers import converge_joined, team, write_project
from tests.github.markdown_checks import problems

PLANNED = ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize(("members", "expected"), [
    (PLANNED, "every member (5)"),
    (["a", "b", "c", "e"], "every member but d (4)"),
    (["a", "b"], "a, b"),
    (["a", "b", "c", "d", "e", "(shared)"], "every member (5) and (shared)"),
], ids=["all", "all but one", "a few", "all and the shared part"])
def test_members_are_named_completely_and_briefly(members: list[str], expected: str) -> None:
    assert complete_list(members, PLANNED) == expected


MEMBERS = 1000


@pytest.mark.slow
def test_a_change_replacing_something_in_1000_members_is_one_comment(fleet_project, secrets) -> None:
    names = ["fraud", "search"]
    root = fleet_project([team(name, i) for i, name in enumerate(names)])
    secrets(names)
    converge_joined(root)
    split_states("fleet", root)
    write_project(root, [team(name, i, aws_account="444455556666", max_workers=10) for i, name in enumerate(names)])
    documents = plan_fleet("fleet", root, FleetRequest(jobs=1, keep_documents=True), warn=lambda _: None).documents
    one = Identity("fraud", (("cost_center", "cc-0000"), ("key", "fraud")))
    text = template(documents["fraud"], one)
    templates = Templates()
    summaries = []
    for index in range(MEMBERS):
        key = f"team{index:04d}"
        identity = Identity(key, ((("cost_center", f"cc-{index:04d}"), ("key", key))))
        summaries.append(summarize_member(key, identity, loads(instantiate(text, identity)), templates))
    rollup = roll_up("fleet", summaries, templates)
    markdown = render_rollup_markdown(rollup)
    assert len(markdown) <= COMMENT_LIMIT and problems(markdown) == []
    assert "`databricks_mws_credentials.‹key›_credentials` must be replaced" in markdown
    assert f"every member ({MEMBERS})" in markdown  # every one of them, in three words
    assert [len(g["members"]) for g in rollup["groups"]] == [MEMBERS] * len(rollup["groups"])
    assert len(rollup["destroys"]) == MEMBERS  # one per member and address in the document, never cut
    assert f"every member ({MEMBERS})" in render_rollup_text(rollup)
