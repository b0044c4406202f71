"""`iac comment` end to end against a local fake of the GitHub REST API."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac._jsonio import dumps
from iac.github.split import parse_marker
from iac.render.markdown import render_markdown
from tests.github.conftest import REPO, TOKEN
from tests.github.fake_github import BODY_LIMIT, FakeGitHub
from tests.render.markdown_plans import destroy_plan, distinct_plan, small_plan


def _write(tmp_path: Path, plans: list[dict], name: str = "plan.md") -> Path:
    path = tmp_path / name
    path.write_text(render_markdown(plans), encoding="utf-8")
    return path


def _post(run_iac, github: FakeGitHub, path: Path, *extra: str):
    return run_iac("comment", "--repo", REPO, "--pr", "7", "--file", str(path), "--api-url", github.url, *extra)


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)


def test_first_run_creates_one_comment_per_environment(tmp_path, github, run_iac, token):
    result = _post(run_iac, github, _write(tmp_path, [small_plan(), destroy_plan()]))
    assert result.code == 0, result.stderr
    bodies = github.bodies(REPO, 7)
    assert [parse_marker(b) for b in bodies] == [("dev", 1), ("staging", 1)]
    assert "databricks_cluster.legacy_etl" in bodies[1]
    assert result.stdout.splitlines()[0].startswith("dev: 1 comment (1 created) https://")


def test_second_run_updates_in_place_and_leaves_other_comments_alone(tmp_path, github, run_iac, token):
    human = github.add(REPO, 7, "LGTM, but why does prod change?")
    quoted = github.add(REPO, 7, "> <!-- iac:plan env=dev part=1 -->\n> quoted by a reviewer")
    assert _post(run_iac, github, _write(tmp_path, [small_plan()])).code == 0
    first_ids = set(github.comments) - {human, quoted}
    grown = small_plan()
    grown.get("resource_changes", [])[0]["change"]["after"]["num_workers"] = 8
    result = _post(run_iac, github, _write(tmp_path, [grown]))
    assert result.code == 0, result.stderr
    assert set(github.comments) - {human, quoted} == first_ids  # same comment, edited
    assert "2 -> 8" in github.comments[first_ids.pop()]["body"]
    assert github.comments[human]["body"] == "LGTM, but why does prod change?"
    assert "1 updated" in result.stdout


def test_unchanged_plan_makes_no_write(tmp_path, github, run_iac, token):
    path = _write(tmp_path, [small_plan()])
    _post(run_iac, github, path)
    github.log.clear()
    result = _post(run_iac, github, path)
    assert result.code == 0
    assert github.writes() == []
    assert "1 unchanged" in result.stdout


def test_plan_that_shrinks_deletes_its_continuation_comments(tmp_path, github, run_iac, token):
    big = _write(tmp_path, [distinct_plan(100), small_plan()], "big.md")
    assert _post(run_iac, github, big, "--max-chars", "8000").code == 0
    parts = [parse_marker(b) for b in github.bodies(REPO, 7)]
    prod_parts = sorted(p for env, p in parts if env == "prod")
    assert len(prod_parts) > 2 and prod_parts == list(range(1, len(prod_parts) + 1))
    dev_before = [b for b in github.bodies(REPO, 7) if parse_marker(b)[0] == "dev"]

    result = _post(run_iac, github, _write(tmp_path, [distinct_plan(3)], "small.md"),
                   "--max-chars", "8000")
    assert result.code == 0, result.stderr
    left = [parse_marker(b) for b in github.bodies(REPO, 7)]
    assert sorted(p for env, p in left if env == "prod") == [1]
    assert f"{len(prod_parts) - 1} deleted" in result.stdout
    # dev was not planned in this run: its comment stays as it was
    assert [b for b in github.bodies(REPO, 7) if parse_marker(b)[0] == "dev"] == dev_before


def test_plan_that_grows_adds_continuations_after_updating_the_first(tmp_path, github, run_iac, token):
    assert _post(run_iac, github, _write(tmp_path, [distinct_plan(3)]), "--max-chars", "8000").code == 0
    first = next(iter(github.comments))
    result = _post(run_iac, github, _write(tmp_path, [distinct_plan(100)]), "--max-chars", "8000")
    assert result.code == 0, result.stderr
    assert parse_marker(github.comments[first]["body"]) == ("prod", 1)
    bodies = github.bodies(REPO, 7)
    assert len(bodies) > 2 and all(len(b) <= 8000 for b in bodies)


def test_pagination_finds_our_comment_beyond_the_first_page(tmp_path, github, run_iac, token):
    for n in range(7):
        github.add(REPO, 7, f"review comment {n}")
    _post(run_iac, github, _write(tmp_path, [small_plan()]))
    github.log.clear()
    changed = small_plan()
    changed.get("resource_changes", [])[0]["change"]["after"]["num_workers"] = 16
    assert _post(run_iac, github, _write(tmp_path, [changed])).code == 0
    pages = [path for method, path in github.log if method == "GET"]
    assert len(pages) == 4  # 8 comments, 2 per page, following Link rel="next"; ours is the 8th
    assert github.writes() == ["PATCH"]


def test_comments_stay_under_github_limit_for_a_huge_plan(tmp_path, github, run_iac, token):
    result = _post(run_iac, github, _write(tmp_path, [distinct_plan(3000)]))
    assert result.code == 0, result.stderr
    bodies = github.bodies(REPO, 7)
    assert len(bodies) == 10  # the default cap
    assert all(len(b) <= BODY_LIMIT for b in bodies)
    assert "more resource diffs are not shown" in bodies[-1]


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        pytest.param({"token": "ghp_wrongtoken"}, "GitHub rejected the token (401 Bad credentials)", id="bad token"),
        pytest.param({"rate": "403"}, "rate limit exceeded (403): the limit resets at 2030-03-17 17:46:40 UTC",
                     id="rate limit 403"),
        pytest.param({"rate": "429"}, "rate limit exceeded (429): retry after 60 s", id="secondary rate limit 429"),
        pytest.param({"pr": "99"}, "pull request acme/platform#99 not found (404)", id="missing pull request"),
        pytest.param({"token": ""}, "GITHUB_TOKEN is not set", id="no token"),
    ],
)
def test_errors_are_one_line_and_never_show_the_token(tmp_path, github, run_iac, monkeypatch, setup, expected):
    token = setup.get("token", TOKEN)
    monkeypatch.setenv("GITHUB_TOKEN", token)
    github.rate_limited = setup.get("rate")
    path = _write(tmp_path, [small_plan()])
    result = run_iac("comment", "--repo", REPO, "--pr", setup.get("pr", "7"), "--file", str(path),
                     "--api-url", github.url)
    assert result.code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    for secret in (TOKEN, token):
        if secret:
            assert secret not in result.stderr + result.stdout


def test_unreachable_api_is_one_line(tmp_path, run_iac, token):
    result = run_iac("comment", "--repo", REPO, "--pr", "7", "--file", str(_write(tmp_path, [small_plan()])),
                     "--api-url", "http://127.0.0.1:9")
    assert result.code == 1
    assert len(result.stderr.splitlines()) == 1
    assert "cannot reach the GitHub API at http://127.0.0.1:9" in result.stderr
    assert TOKEN not in result.stderr


def test_api_url_comes_from_github_api_url(tmp_path, github, run_iac, token, monkeypatch):
    monkeypatch.setenv("GITHUB_API_URL", github.url)
    result = run_iac("comment", "--repo", REPO, "--pr", "7", "--file", str(_write(tmp_path, [small_plan()])))
    assert result.code == 0, result.stderr
    assert len(github.bodies(REPO, 7)) == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(["--repo", "acme", "--pr", "7", "--file", "plan.md"], "--repo: 'acme' is not OWNER/NAME",
                     id="repo without owner"),
        pytest.param(["--repo", REPO, "--pr", "7", "--file", "missing.md"], "missing.md: no such file",
                     id="missing file"),
    ],
)
def test_bad_arguments_are_one_clear_line(run_iac, token, args, expected, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.md").write_text(render_markdown([small_plan()]), encoding="utf-8")
    result = run_iac("comment", *args, "--api-url", "http://127.0.0.1:9")
    assert result.code == 1
    assert result.stderr.strip() == f"Error: {expected}" or expected in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_plan_json_is_rendered_and_posted(tmp_path, github, run_iac, token):
    path = tmp_path / "plan.json"
    path.write_text(dumps(destroy_plan()), encoding="utf-8")
    result = _post(run_iac, github, path)
    assert result.code == 0, result.stderr
    assert github.bodies(REPO, 7)[0].split("\n", 1)[1] == render_markdown([destroy_plan()]).split("\n", 1)[1]


def test_dry_run_prints_the_comments_without_a_token_or_a_request(tmp_path, github, run_iac):
    result = run_iac("comment", "--dry-run", "--file", str(_write(tmp_path, [small_plan(), destroy_plan()])),
                     "--api-url", github.url)
    assert result.code == 0, result.stderr
    assert github.log == []
    assert [parse_marker(line) for line in result.stdout.splitlines() if parse_marker(line)] == [("dev", 1),
                                                                                                  ("staging", 1)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param('{"format_version": "1.2"', "not valid plan JSON", id="truncated json"),
        pytest.param('{"format_version": "1.2"}', "not a plan JSON document", id="json that is no plan"),
    ],
)
def test_bad_plan_json_is_one_line(tmp_path, run_iac, content, expected):
    path = tmp_path / "plan.json"
    path.write_text(content, encoding="utf-8")
    result = run_iac("comment", "--dry-run", "--file", str(path))
    assert result.code == 1
    assert len(result.stderr.splitlines()) == 1 and expected in result.stderr


def test_posting_needs_repo_and_pr(tmp_path, run_iac, token):
    result = run_iac("comment", "--file", str(_write(tmp_path, [small_plan()])))
    assert result.code == 1
    assert "--repo and --pr are required" in result.stderr


def test_multi_environment_plan_json_posts_one_comment_per_environment(tmp_path, github, run_iac, token):
    path = tmp_path / "plans.json"
    path.write_text(dumps({"dev": small_plan(), "staging": destroy_plan()}), encoding="utf-8")
    result = _post(run_iac, github, path)
    assert result.code == 0, result.stderr
    assert [parse_marker(b) for b in github.bodies(REPO, 7)] == [("dev", 1), ("staging", 1)]


def test_a_plan_json_without_resource_changes_is_a_plan(tmp_path, run_iac):
    """Terraform (and iac) leave `resource_changes` out when nothing changes: still a plan to comment on."""
    document = small_plan()
    document.pop("resource_changes", None)
    document["planned_values"] = {"root_module": {}}
    path = tmp_path / "plan.json"
    path.write_text(dumps(document), encoding="utf-8")
    result = run_iac("comment", "--dry-run", "--file", str(path))
    assert result.code == 0, result.stderr
    assert "No changes" in result.stdout
