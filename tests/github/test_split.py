"""The comment splitter: every chunk under the limit, valid Markdown, head never cut, details never split."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iac.github.split import COMMENT_LIMIT, blocks, parse_marker, size, split_section
from iac.render.markdown import render_environment
from tests.github.markdown_checks import problems, tables
from tests.render.markdown_plans import change, distinct_plan, plan, small_plan

ARTIFACT = "https://github.example/acme/platform/actions/runs/42"


def _details_summaries(text: str) -> list[str]:
    return re.findall(r"^<details><summary>(.*?)</summary>", text, re.M)


def _check(chunks: list[str], environment: str, limit: int = COMMENT_LIMIT) -> None:
    for number, chunk in enumerate(chunks, start=1):
        assert size(chunk) <= limit, f"chunk {number} has {size(chunk)} characters"
        assert problems(chunk) == [], f"chunk {number}: {problems(chunk)}"
        assert parse_marker(chunk) == (environment, number)


def test_small_plan_is_one_comment_with_the_whole_section():
    section = render_environment(small_plan())
    chunks = split_section(section, environment="dev")
    assert len(chunks) == 1
    _check(chunks, "dev")
    assert chunks[0].split("\n", 1)[1].strip() == section.split("\n", 1)[1].strip()


def test_big_plan_splits_at_details_boundaries_keeping_every_diff_in_order():
    section = render_environment(distinct_plan(1500))
    assert size(section) > 3 * COMMENT_LIMIT
    chunks = split_section(section, environment="prod", artifact=ARTIFACT)
    assert 3 < len(chunks) <= 10
    _check(chunks, "prod")
    assert tables(chunks[0]) == 1 and "Plan: 0 to add, 1500 to change, 0 to destroy." in chunks[0]
    assert [s for chunk in chunks for s in _details_summaries(chunk)] == _details_summaries(section)
    assert all(f"continued ({n}/{len(chunks)})" in chunks[n - 1] for n in range(2, len(chunks) + 1))


def test_cap_leaves_out_later_diffs_and_points_at_the_artifact():
    section = render_environment(distinct_plan(3000))
    chunks = split_section(section, environment="prod", max_comments=3, artifact=ARTIFACT)
    assert len(chunks) == 3
    _check(chunks, "prod")
    shown = [s for chunk in chunks for s in _details_summaries(chunk)]
    every = _details_summaries(section)
    assert shown == every[: len(shown)]  # the first diffs, in plan order
    assert f"{len(every) - len(shown)} more resource diffs are not shown" in chunks[-1]
    assert f"({ARTIFACT})" in chunks[-1]


def test_destroys_are_never_cut_even_when_they_need_several_comments():
    deletes = [change(f"databricks_job.nightly_{n:05d}", ["delete"], {"name": f"nightly {n}"}, None,
                      action_reason="delete_because_no_resource_config") for n in range(2500)]
    section = render_environment(plan("prod", deletes, mode="production"))
    chunks = split_section(section, environment="prod", max_comments=2, artifact=ARTIFACT)
    _check(chunks, "prod")
    listed = set(re.findall(r"^- `-` `(databricks_job\.nightly_\d+)`", "\n".join(chunks), re.M))
    assert len(listed) == 2500
    assert len(chunks) > 2  # the head overrides the cap: a destroy is never hidden


def test_a_single_diff_too_big_for_any_comment_becomes_a_note():
    huge = "x" * 200_000
    section = render_environment(plan("dev", [
        change("databricks_notebook.big", ["create"], None, {"content_base64": huge, "path": "/big"}),
        change("databricks_notebook.small", ["create"], None, {"path": "/small"}),
    ]))
    chunks = split_section(section, environment="dev", artifact=ARTIFACT)
    _check(chunks, "dev")
    text = "\n".join(chunks)
    assert huge[:1000] not in text
    assert "is too large for a comment" in text and "databricks_notebook.big" in text
    assert "databricks_notebook.small" in text


def test_a_fence_outside_details_is_closed_and_reopened_around_a_cut():
    body = "\n".join(f"line {n} " + "y" * 50 for n in range(3000))
    section = f"<!-- iac:plan env=dev -->\n\n## head\n\n````text\n{body}\n````\n"
    chunks = split_section(section, environment="dev", limit=20_000)
    assert len(chunks) > 1
    _check(chunks, "dev", 20_000)
    joined = "\n".join(chunks)
    assert all(f"line {n} " in joined for n in (0, 1500, 2999))


def test_emoji_count_twice_towards_the_limit():
    lines = "\n".join(f"- ⚠️ 🚨 finding {n}" for n in range(5000))
    section = f"<!-- iac:plan env=dev -->\n\n{lines}\n"
    chunks = split_section(section, environment="dev", limit=10_000)
    _check(chunks, "dev", 10_000)


def test_blocks_never_break_inside_a_fence_or_details():
    text = "a\n\n<details><summary>s</summary>\n\n```\nx\n\ny\n```\n\n</details>\n\n````\n```\n\n````\n\nb"
    assert [b.text for b in blocks(text)] == [
        "a",
        "<details><summary>s</summary>\n\n```\nx\n\ny\n```\n\n</details>",
        "````\n```\n\n````",
        "b",
    ]
    assert [b.optional for b in blocks(text)] == [False, True, False, False]


_paragraph = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300).map(
    lambda s: " ".join(s.split()) or "p").filter(lambda s: not s.lstrip().startswith(("<", "`", "~", "#", "-", "*", "+", ">", "|")) and not s[:1].isdigit())
_code_line = st.sampled_from(["```", "~~~", "plain", "</details>", "<details>", "", "````python", "  ```"])
_fence = st.lists(_code_line, max_size=40).map(lambda lines: "`````diff\n" + "\n".join(lines) + "\n`````")
_details = st.tuples(st.text("abc <>&", max_size=20), st.lists(_code_line, max_size=200)).map(
    lambda t: "<details><summary>" + t[0].replace("<", "&lt;") + "</summary>\n\n`````\n" + "\n".join(t[1])
    + "\n`````\n\n</details>")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(_paragraph, _fence, _details), min_size=1, max_size=60), st.integers(2_000, 6_000))
def test_any_section_splits_into_valid_chunks_under_the_limit(parts, limit):
    section = "<!-- iac:plan env=dev -->\n\n" + "\n\n".join(parts) + "\n"
    chunks = split_section(section, environment="dev", limit=limit, max_comments=1000)
    _check(chunks, "dev", limit)
    joined = "\n\n".join(chunks)
    for part in parts:
        if not part.startswith("<details>"):
            assert part in joined  # nothing outside a <details> element is ever dropped or cut


@pytest.mark.parametrize("limit", [500, 999], ids=["tiny", "just too small"])
def test_limit_below_the_reserve_is_refused(limit):
    with pytest.raises(ValueError, match="too small"):
        split_section("<!-- iac:plan env=dev -->\n\nx\n", environment="dev", limit=limit)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("a\n\n```diff\n+ x\n", "never closed", id="unclosed fence"),
        pytest.param("````\nx\n```\n", "never closed", id="closing fence too short"),
        pytest.param("<details><summary>s</summary>\n\nx\n", "left open", id="unclosed details"),
        pytest.param("x\n\n</details>\n", "without an open", id="stray close"),
    ],
)
def test_the_markdown_checker_itself_catches_broken_chunks(text, problem):
    assert any(problem in p for p in problems(text))
