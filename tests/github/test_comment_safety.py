"""`iac comment` as an attacker would try it, against the fake GitHub on 127.0.0.1: the token never leaves the
API's origin, only the token's own comments are edited or deleted, credentials in `--api-url` are refused,
malformed answers are one line, and the token is scrubbed in any letter case or prefix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from iac.github.client import GitHubClient, GitHubError, scrub_token
from iac.render.markdown import render_markdown
from tests.github.conftest import REPO, TOKEN, running
from tests.github.fake_github import FakeGitHub
from tests.render.markdown_plans import small_plan

MARKER = "<!-- iac:plan env=dev part=1 -->"


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)


@pytest.fixture
def elsewhere() -> Iterator[FakeGitHub]:
    """A second server, on another port: another origin."""
    with running(FakeGitHub(token="another-token", pulls={(REPO, 7)})) as fake:
        yield fake


def _plan(tmp_path: Path) -> Path:
    path = tmp_path / "plan.md"
    path.write_text(render_markdown([small_plan()]), encoding="utf-8")
    return path


def _comment(run_iac, tmp_path: Path, api_url: str):
    return run_iac("comment", "--repo", REPO, "--pr", "7", "--file", str(_plan(tmp_path)), "--api-url", api_url)


def _one_line_without_token(result) -> str:
    assert result.code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert TOKEN.lower()[:8] not in result.stderr.lower()
    return lines[0]


def test_a_redirect_to_another_origin_never_receives_the_token(tmp_path, github, elsewhere, run_iac, token):
    github.redirect_to = elsewhere.url
    line = _one_line_without_token(_comment(run_iac, tmp_path, github.url))
    assert line == (f"Error: GitHub redirected a request to {elsewhere.url}, outside the API at {github.url}: "
                    "refusing to send the token there")
    assert elsewhere.log == []  # not even a request without the token
    assert github.authorizations == [f"Bearer {TOKEN}"]


def test_a_redirect_to_the_same_host_on_another_scheme_is_refused_too(tmp_path, github, run_iac, token):
    github.redirect_to = github.url.replace("http://", "https://")
    line = _one_line_without_token(_comment(run_iac, tmp_path, github.url))
    assert "outside the API" in line and len(github.log) == 1


def test_a_planted_marker_comment_is_neither_edited_nor_deleted(tmp_path, github, run_iac, token):
    planted = github.add(REPO, 7, f"{MARKER}\nplanted by someone else", user="mallory")
    result = _comment(run_iac, tmp_path, github.url)
    assert result.code == 0, result.stderr
    assert github.comments[planted]["body"] == f"{MARKER}\nplanted by someone else"
    ours = [c for c in github.comments.values() if c["user"] == "iac-bot"]
    assert len(ours) == 1 and ours[0]["body"].startswith(MARKER)
    assert github.writes() == ["POST"]


def test_a_planted_comment_older_than_ours_does_not_get_the_plan_while_ours_is_deleted(tmp_path, github, run_iac,
                                                                                        token):
    planted = github.add(REPO, 7, f"{MARKER}\nplanted", user="mallory")
    ours = github.add(REPO, 7, f"{MARKER}\nan earlier plan", user="iac-bot")
    result = _comment(run_iac, tmp_path, github.url)
    assert result.code == 0, result.stderr
    assert set(github.comments) == {planted, ours}
    assert github.comments[planted]["body"] == f"{MARKER}\nplanted"
    assert "databricks_cluster" in github.comments[ours]["body"]
    assert github.writes() == ["PATCH"]
    assert "1 updated" in result.stdout


def test_the_identity_is_asked_only_when_there_is_a_comment_to_edit(tmp_path, github, run_iac, token):
    assert _comment(run_iac, tmp_path, github.url).code == 0
    assert ("POST", "/graphql") not in github.log  # a first run creates, it needs no identity


@pytest.mark.parametrize("api_url", [
    pytest.param("http://x-access-token:{token}@{host}", id="token as password"),
    pytest.param("http://{token}@{host}", id="token as user"),
    pytest.param("http://{token}:@{host}", id="token with empty password"),
])
def test_credentials_in_the_api_url_are_refused_without_echoing_them(tmp_path, github, run_iac, token, api_url):
    url = api_url.format(token=TOKEN, host=github.url.removeprefix("http://"))
    line = _one_line_without_token(_comment(run_iac, tmp_path, url))
    assert line == ("Error: --api-url must not carry credentials (user:password@): the token comes from GITHUB_TOKEN "
                    "only")
    assert github.log == []


@pytest.mark.parametrize(("api_url", "expected"), [
    pytest.param("http://github.example.com", "--api-url http://github.example.com: the token would cross the network "
                                              "in clear; use https", id="plain http to another machine"),
    pytest.param("ftp://github.example.com", "--api-url is not an http(s) URL", id="not http"),
    pytest.param("https://api.github.com/?token=x", "--api-url must be the API root, without a query or fragment",
                 id="query"),
    pytest.param("https://api.github.com:port", "--api-url is not a URL", id="bad port"),
])
def test_an_api_url_that_would_expose_the_token_is_refused(tmp_path, run_iac, token, api_url, expected):
    line = _one_line_without_token(_comment(run_iac, tmp_path, api_url))
    assert line.startswith(f"Error: {expected}")


LIST = f"/repos/{REPO}/issues/7/comments"


@pytest.mark.parametrize(("path", "body", "expected"), [
    pytest.param(LIST, b"<html>Welcome to the proxy</html>", f"GitHub answered GET {LIST} with something that is not "
                                                              "JSON", id="html"),
    pytest.param(LIST, b'{"message": "ok"}', "not a list of comments", id="an object, not a list"),
    pytest.param(LIST, b'[{"id": "12", "body": "x"}]', "not a comment with an integer id", id="string id"),
    pytest.param(LIST, b"[42]", "not a comment with an integer id", id="a number, not a comment"),
    pytest.param(LIST, b"[" * 100_000 + b"]" * 100_000, "not JSON", id="nested 100,000 deep"),
    pytest.param("/graphql", b'{"data": {"viewer": null}}', "cannot tell which GitHub identity the token acts as: no "
                                                            "viewer login in the answer", id="no viewer"),
    pytest.param("/graphql", b'{"errors": [{"message": "Bad\\ncredentials"}]}', "cannot tell which GitHub identity the "
                                                                                "token acts as: Bad credentials",
                 id="graphql error"),
    pytest.param("/graphql", b"not json", "POST /graphql with something that is not JSON", id="graphql not json"),
])
def test_malformed_answers_are_one_line(tmp_path, github, run_iac, token, path, body, expected):
    github.add(REPO, 7, f"{MARKER}\nold", user="iac-bot")  # so the identity is asked
    github.answers[path] = body
    line = _one_line_without_token(_comment(run_iac, tmp_path, github.url))
    assert expected in line, line


def test_a_created_comment_answer_without_an_id_is_one_line(tmp_path, github, run_iac, token):
    github.answers[LIST] = b"[]"  # GET lists nothing; the POST to the same path answers the same
    line = _one_line_without_token(_comment(run_iac, tmp_path, github.url))
    assert f"GitHub answered GET {LIST}" not in line and "not a comment with an integer id" in line


def test_the_token_is_scrubbed_in_any_case_and_prefix(tmp_path, github, run_iac, token):
    github.add(REPO, 7, f"{MARKER}\nold", user="iac-bot")
    echoed = f"{TOKEN.upper()} {TOKEN[:12]} {TOKEN.lower()}x Bearer {TOKEN[:9].swapcase()}"
    github.answers["/graphql"] = b'{"errors": [{"message": "' + echoed.encode() + b'"}]}'
    line = _one_line_without_token(_comment(run_iac, tmp_path, github.url))
    assert line.endswith("acts as: *** *** ***x Bearer ***")


@pytest.mark.parametrize(("text", "expected"), [
    ("no secret here", "no secret here"),
    (f"a{TOKEN}b", "a***b"),
    (TOKEN.swapcase(), "***"),
    (TOKEN[:8], "***"),
    (TOKEN[:7], TOKEN[:7]),  # shorter than 8: the common `ghp_` start alone is no secret
    (f"{TOKEN}{TOKEN}", "******"),
    (f"{TOKEN[:10]}zz{TOKEN[:10]}", "***zz***"),
])
def test_scrub_token(text, expected):
    assert scrub_token(text, TOKEN) == expected


def test_a_short_token_is_scrubbed_whole():
    assert scrub_token("key=abc ABC ab", "abc") == "key=*** *** ab"


def test_the_client_refuses_a_next_page_link_to_another_origin(github, elsewhere):
    github.page_size = 1
    for n in range(3):
        github.add(REPO, 7, f"comment {n}")
    client = GitHubClient(TOKEN, github.url)
    github.url = elsewhere.url  # the fake now writes its Link headers pointing at the other server
    with pytest.raises(GitHubError, match="next-page link outside"):
        client.list_comments(REPO, 7)
    assert elsewhere.log == []
