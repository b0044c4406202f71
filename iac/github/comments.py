"""Keep a pull request's plan comments in step with a rendered Markdown plan.

Each environment owns comments 1..n, found by the hidden first line `<!-- iac:plan env=NAME part=K -->`.
On every run, part K is updated in place when its text changed (left alone when not), created when
missing, and parts beyond the new n are deleted, so a shrinking plan leaves no stale continuation.
Comments of environments not in this run are left alone: a run that planned only `dev` must not erase
the `prod` review. So is every comment the token did not write (`GitHubClient.identity`), whatever marker
it carries: a marker is text anyone can paste, so a planted one must neither block the run (GitHub
refuses to let us edit it) nor receive the plan while iac's own comment is deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from iac.github.client import Comment, GitHubClient, GitHubError
from iac.github.split import COMMENT_LIMIT, DEFAULT_MAX_COMMENTS, parse_marker, split_section

__all__ = ["SyncResult", "sections", "sync_comments"]

_SECTION = re.compile(r"^<!-- iac:plan env=(?P<env>[^\s>]+) -->$", re.M)


@dataclass
class SyncResult:
    """What one environment's sync did, for the one-line report per environment."""

    environment: str
    parts: int
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)
    url: str = ""

    def summary(self) -> str:
        counts = [f"{len(ids)} {word}" for word, ids in
                  (("created", self.created), ("updated", self.updated), ("unchanged", self.unchanged),
                   ("deleted", self.deleted)) if ids]
        where = f" {self.url}" if self.url else ""
        plural = "s" if self.parts != 1 else ""
        return f"{self.environment}: {self.parts} comment{plural} ({', '.join(counts)}){where}"


def sections(markdown: str) -> list[tuple[str, str]]:
    """(environment, section text) for each `<!-- iac:plan env=NAME -->` section; one `default` if none."""
    starts = list(_SECTION.finditer(markdown))
    if not starts:
        return [("default", markdown)] if markdown.strip() else []
    out = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(markdown)
        out.append((match["env"], markdown[match.start() : end]))
    return out


def sync_comments(client: GitHubClient, repo: str, pr: int, markdown: str, *, limit: int = COMMENT_LIMIT,
                  max_comments: int = DEFAULT_MAX_COMMENTS, artifact: str | None = None) -> list[SyncResult]:
    """Create, update or delete this PR's iac comments so they show `markdown`; one result per environment."""
    planned = sections(markdown)
    if not planned:
        raise GitHubError("the plan Markdown is empty: nothing to post")
    existing: dict[tuple[str, int], Comment] = {}
    duplicates: list[Comment] = []
    ours = {environment for environment, _ in planned}
    for comment in client.list_comments(repo, pr):
        key = parse_marker(comment.body)
        if key is None or key[0] not in ours or comment.author != client.identity():
            continue
        if key in existing:
            duplicates.append(comment)  # two runs raced: the oldest wins, the other goes
        else:
            existing[key] = comment
    results = []
    for environment, text in planned:
        bodies = split_section(text, environment=environment, limit=limit, max_comments=max_comments,
                               artifact=artifact)
        results.append(_sync_environment(client, repo, pr, environment, bodies, existing))
    for comment in duplicates:
        _delete(client, repo, comment.id)
    return results


def _sync_environment(client: GitHubClient, repo: str, pr: int, environment: str, bodies: list[str],
                      existing: dict[tuple[str, int], Comment]) -> SyncResult:
    result = SyncResult(environment, len(bodies))
    for part, body in enumerate(bodies, start=1):
        old = existing.get((environment, part))
        if old is not None and old.body == body:
            result.unchanged.append(old.id)
            posted = old
        elif old is not None:
            posted = _update_or_create(client, repo, pr, old.id, body)
            (result.updated if posted.id == old.id else result.created).append(posted.id)
        else:
            posted = client.create_comment(repo, pr, body)
            result.created.append(posted.id)
        if part == 1:
            result.url = posted.html_url
    stale = sorted(part for env, part in existing if env == environment and part > len(bodies))
    for part in stale:
        comment = existing[(environment, part)]
        _delete(client, repo, comment.id)
        result.deleted.append(comment.id)
    return result


def _update_or_create(client: GitHubClient, repo: str, pr: int, comment_id: int, body: str) -> Comment:
    try:
        return client.update_comment(repo, comment_id, body)
    except GitHubError as error:
        if error.status != 404:
            raise
        return client.create_comment(repo, pr, body)  # deleted by someone since we listed it


def _delete(client: GitHubClient, repo: str, comment_id: int) -> None:
    try:
        client.delete_comment(repo, comment_id)
    except GitHubError as error:
        if error.status != 404:  # already gone is what we wanted
            raise
