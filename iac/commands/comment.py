"""`iac comment`: post a Markdown plan on a pull request, updating iac's earlier comments in place."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import typer

from iac._jsonio import loads
from iac.cli import app
from iac.diagnostics import ConfigError
from iac.github.client import DEFAULT_API_URL, GitHubClient
from iac.github.comments import sections, sync_comments
from iac.github.split import COMMENT_LIMIT, DEFAULT_MAX_COMMENTS, split_section
from iac.render.markdown import render_markdown

_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


@app.command()
def comment(
    repo: str = typer.Option(None, "--repo", help="Repository as OWNER/NAME (required unless --dry-run)."),
    pr: int = typer.Option(None, "--pr", min=1, help="Pull request number (required unless --dry-run)."),
    file: str = typer.Option(..., "--file", help="Markdown plan (`iac plan ENV... --format markdown`) or plan JSON "
                                                 "(`--format json`, rendered here); - reads stdin."),
    api_url: str = typer.Option(None, "--api-url", help="GitHub API root [default: $GITHUB_API_URL or "
                                                        f"{DEFAULT_API_URL}]; set it for GitHub Enterprise."),
    artifact_url: str = typer.Option(None, "--artifact-url", help="Link to the full plan, shown when a diff "
                                                                  "does not fit in the comments."),
    max_comments: int = typer.Option(DEFAULT_MAX_COMMENTS, "--max-comments", min=1,
                                     help="At most this many comments per environment."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the comments instead of posting them "
                                                           "(no token needed; e.g. for a CI job summary)."),
    max_chars: int = typer.Option(COMMENT_LIMIT, "--max-chars", min=2_000, max=COMMENT_LIMIT, hidden=True),
    fleet: bool = typer.Option(False, "--fleet", help="--file is a directory (or file) of a fleet's member plan "
                                                      "artifacts (`iac plan ENV --member KEY --out FILE`, one per "
                                                      "matrix job): merge them into the fleet's one roll-up."),
    expect: str = typer.Option(None, "--expect", help="With --fleet: the matrix (`iac fleet matrix` JSON); a member "
                                                      "in it without a plan artifact is shown as failing."),
) -> None:
    """Post or update the plan comments of a pull request (token from GITHUB_TOKEN).

    Each environment's comment carries a hidden marker, so a new run edits it in place; continuation
    comments are added, updated or deleted as the plan grows or shrinks.
    """
    markdown = _fleet_markdown(file, expect) if fleet else _markdown(file, _read(file))
    if dry_run:
        for environment, section in sections(markdown):
            bodies = split_section(section, environment=environment, limit=max_chars, max_comments=max_comments,
                                   artifact=artifact_url)
            typer.echo("\n".join(bodies), nl=False)
        return
    if repo is None or pr is None:
        raise ConfigError("--repo and --pr are required to post (or pass --dry-run to print the comments)")
    if not _REPO.match(repo):
        raise ConfigError(f"--repo: {repo!r} is not OWNER/NAME")
    client = GitHubClient(os.environ.get("GITHUB_TOKEN", ""),
                          api_url or os.environ.get("GITHUB_API_URL") or DEFAULT_API_URL)
    results = sync_comments(client, repo, pr, markdown, limit=max_chars, max_comments=max_comments,
                            artifact=artifact_url)
    for result in results:
        typer.echo(client.scrub(result.summary()))  # the links come from the server


def _markdown(file: str, text: str) -> str:
    """The Markdown to post: the file itself, or the rendering of the plan JSON document(s) it holds."""
    if not text.lstrip().startswith(("{", "[")):
        return text
    try:
        data = loads(text)
    except ValueError as error:
        raise ConfigError(f"{file}: not valid plan JSON: {error}") from None
    if isinstance(data, dict) and data.get("format_version") == "iac-fleet/1":  # a fleet's plan: its one roll-up
        from iac.render.fleet_markdown import render_rollup_markdown

        return render_rollup_markdown(data["rollup"])
    if isinstance(data, dict) and not _is_plan(data) and data and all(_is_plan(v) for v in data.values()):
        data = list(data.values())  # `iac plan dev prod --format json`: {environment: plan}
    plans = data if isinstance(data, list) else [data]
    if not all(_is_plan(p) for p in plans):
        raise ConfigError(f"{file}: not a plan JSON document (no planned_values)")
    return render_markdown(plans)


def _is_plan(data: Any) -> bool:
    """A plan JSON document: `planned_values` is always there (`resource_changes` only when something changes)."""
    return isinstance(data, dict) and ("planned_values" in data or "resource_changes" in data)


def _fleet_markdown(file: str, expect: str | None) -> str:
    """The roll-up of a fleet's member plans, merged (iac/workflows/fleet_ci.py)."""
    from iac.project import find_project
    from iac.render.fleet_markdown import render_rollup_markdown
    from iac.workflows.fleet_ci import merge_plan_files

    if not Path(file).exists():
        raise ConfigError(f"{file}: no such file or directory (download the members' plan artifacts there)")
    expected: list[str] = []
    if expect:
        try:
            expected = [str(k) for k in loads(expect)["member"]]
        except (ValueError, KeyError, TypeError):
            raise ConfigError(f"--expect: not a matrix (`iac fleet matrix` prints one): {expect[:80]}") from None
    try:
        project: Path | None = find_project()
    except ConfigError:
        project = None  # no checkout: the members without an artifact are not listed
    return render_rollup_markdown(merge_plan_files([Path(file)], project, expected=expected)["rollup"])


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file (render it with `iac plan ENV --format markdown > {file}`)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{file}: cannot read: {error}") from None
