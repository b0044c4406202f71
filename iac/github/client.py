"""The four GitHub REST calls `iac comment` needs, over urllib: list, create, update, delete issue comments.

Pull-request conversation comments are issue comments in the REST API
(`/repos/{owner}/{repo}/issues/{number}/comments`). urllib is enough for four JSON calls; a client library
would add a dependency for no gain.

Every failure becomes one `GitHubError` line: bad token (401), rate limit (403/429, with the reset
time), missing pull request (404), anything else with its status. The token is sent only in the
Authorization header and scrubbed from every message, so no error can print it.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from iac.diagnostics import IacError

__all__ = ["DEFAULT_API_URL", "Comment", "GitHubClient", "GitHubError"]

DEFAULT_API_URL = "https://api.github.com"
_PAGE_SIZE = 100
_MAX_PAGES = 100  # 10,000 comments: far beyond any real pull request, and it bounds the loop
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class GitHubError(IacError):
    """Raised when the GitHub API refuses or fails a request; the message is one line without the token."""

    def __init__(self, summary: str, status: int | None = None) -> None:
        super().__init__(summary)
        self.status = status


@dataclass(frozen=True)
class Comment:
    """An issue comment as far as iac cares: its id, body and link."""

    id: int
    body: str
    html_url: str = ""


Opener = Callable[[urllib.request.Request, float], Any]


class GitHubClient:
    """A token-authenticated client for one GitHub (or GitHub Enterprise) API root."""

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, *, timeout: float = 30.0,
                 opener: Opener | None = None, clock: Callable[[], float] = time.time) -> None:
        if not token:
            raise GitHubError("GITHUB_TOKEN is not set: the GitHub API needs a token to write comments")
        self._token = token
        self._api = api_url.rstrip("/")
        self._timeout = timeout
        self._open: Opener = opener or (lambda request, timeout: urllib.request.urlopen(request, timeout=timeout))
        self._clock = clock

    def list_comments(self, repo: str, pr: int) -> list[Comment]:
        """Every comment of the pull request, following `Link: rel="next"` pages."""
        url: str | None = f"{self._api}/repos/{repo}/issues/{pr}/comments?per_page={_PAGE_SIZE}"
        comments: list[Comment] = []
        for _ in range(_MAX_PAGES):
            if url is None:
                break
            data, headers = self._call("GET", url, what=f"pull request {repo}#{pr}")
            comments.extend(_comment(item) for item in data)
            match = _NEXT.search(headers.get("Link", "") or "")
            url = match.group(1) if match else None
            if url is not None and not url.startswith(self._api + "/"):
                raise GitHubError(f"GitHub returned a next-page link outside {self._api}: refusing to send the token there")
        return comments

    def create_comment(self, repo: str, pr: int, body: str) -> Comment:
        data, _ = self._call("POST", f"{self._api}/repos/{repo}/issues/{pr}/comments", {"body": body},
                             what=f"pull request {repo}#{pr}")
        return _comment(data)

    def update_comment(self, repo: str, comment_id: int, body: str) -> Comment:
        data, _ = self._call("PATCH", f"{self._api}/repos/{repo}/issues/comments/{comment_id}", {"body": body},
                             what=f"comment {comment_id} in {repo}")
        return _comment(data)

    def delete_comment(self, repo: str, comment_id: int) -> None:
        self._call("DELETE", f"{self._api}/repos/{repo}/issues/comments/{comment_id}",
                   what=f"comment {comment_id} in {repo}")

    def _call(self, method: str, url: str, payload: Any = None, *, what: str) -> tuple[Any, Any]:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self._token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "iac-pr-comment",
            **({"Content-Type": "application/json"} if data is not None else {}),
        })
        try:
            with self._open(request, self._timeout) as response:
                raw = response.read()
                headers = response.headers  # case-insensitive `get`
        except urllib.error.HTTPError as error:
            raise self._error(error, method, url, what) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise GitHubError(self._scrub(f"cannot reach the GitHub API at {self._api}: {reason}")) from None
        return (json.loads(raw) if raw.strip() else None), headers

    def _error(self, error: urllib.error.HTTPError, method: str, url: str, what: str) -> GitHubError:
        status = error.code
        headers: Mapping[str, str] = dict((k.lower(), v) for k, v in (error.headers or {}).items())
        message = _message(error)
        if status == 401:
            text = f"GitHub rejected the token (401 {message or 'Bad credentials'}): check GITHUB_TOKEN"
        elif status == 429 or (status == 403 and (headers.get("x-ratelimit-remaining") == "0"
                                                  or headers.get("retry-after"))):
            text = f"GitHub API rate limit exceeded ({status}): {self._reset_hint(headers)}"
        elif status == 403:
            text = (f"GitHub refused {method} on {what} (403 {message}): the token needs permission to write "
                    "pull-request comments (permissions: pull-requests: write)")
        elif status == 404:
            text = (f"{what} not found (404): check --repo and --pr, and that the token can read the repository")
        else:
            path = urllib.parse.urlsplit(url).path
            text = f"GitHub API error {status} on {method} {path}: {message or error.reason}"
        return GitHubError(self._scrub(text), status)

    def _reset_hint(self, headers: Mapping[str, str]) -> str:
        retry = headers.get("retry-after")
        if retry and retry.isdigit():
            return f"retry after {retry} s"
        reset = headers.get("x-ratelimit-reset")
        if reset and reset.isdigit():
            when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(int(reset)))
            wait = max(0, int(reset) - int(self._clock()))
            return f"the limit resets at {when} (in {wait} s)"
        return "retry later"

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "***") if self._token else text


def _message(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read() or b"{}")
    except (ValueError, OSError):
        return ""
    message = body.get("message", "") if isinstance(body, dict) else ""
    return " ".join(str(message).split())


def _comment(item: Mapping[str, Any]) -> Comment:
    return Comment(id=int(item["id"]), body=str(item.get("body") or ""), html_url=str(item.get("html_url") or ""))
