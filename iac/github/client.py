"""The GitHub calls `iac comment` needs, over urllib: list, create, update, delete issue comments, and who
the token is (GraphQL `viewer`, which answers for user tokens and app installation tokens alike; REST
`GET /user` refuses the latter).

Pull-request conversation comments are issue comments in the REST API
(`/repos/{owner}/{repo}/issues/{number}/comments`). urllib is enough for a few JSON calls; a client library
would add a dependency for no gain.

Every failure becomes one `GitHubError` line: bad token (401), rate limit (403/429, with the reset
time), missing pull request (404), an answer that is not what the API returns, anything else with its
status. The token goes only to the API's own origin (scheme, host and port of the API root): a redirect
or a next-page link elsewhere is refused, and so is an API root that carries credentials or sends the
token in clear to another machine. It is scrubbed from every message, in any letter case and any
prefix of 8 characters or more, so no error can print it.
"""

from __future__ import annotations

import ipaddress
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

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
    author: str = ""
    """The login of the comment's author (`user.login`): iac edits and deletes only its own."""


Opener = Callable[[urllib.request.Request, float], Any]


class GitHubClient:
    """A token-authenticated client for one GitHub (or GitHub Enterprise) API root."""

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL, *, timeout: float = 30.0,
                 opener: Opener | None = None, clock: Callable[[], float] = time.time) -> None:
        if not token:
            raise GitHubError("GITHUB_TOKEN is not set: the GitHub API needs a token to write comments")
        self._token = token
        self._api = checked_api_url(api_url)
        self._origin = _origin(self._api)
        self._timeout = timeout
        self._open: Opener = opener or _same_origin_opener(self._origin, self._refuse_redirect)
        self._clock = clock
        self._identity: str | None = None

    def identity(self) -> str:
        """The login the token acts as (`octocat`, or `my-app[bot]` for an app installation token)."""
        if self._identity is None:
            data, _ = self._call("POST", _graphql_url(self._api), {"query": "query { viewer { login } }"},
                                 what="the token's identity (GraphQL viewer)")
            login = _path(data, "data", "viewer", "login")
            if not isinstance(login, str) or not login:
                error = _path(data, "errors", 0, "message")
                why = error if isinstance(error, str) else "no viewer login in the answer"
                raise GitHubError(self.scrub(f"cannot tell which GitHub identity the token acts as: {_one_line(why)}"))
            self._identity = login
        return self._identity

    def list_comments(self, repo: str, pr: int) -> list[Comment]:
        """Every comment of the pull request, following `Link: rel="next"` pages."""
        url: str | None = f"{self._api}/repos/{repo}/issues/{pr}/comments?per_page={_PAGE_SIZE}"
        comments: list[Comment] = []
        for _ in range(_MAX_PAGES):
            if url is None:
                break
            data, headers = self._call("GET", url, what=f"pull request {repo}#{pr}")
            if not isinstance(data, list):
                self._malformed("GET", url, "a list of comments")
            comments.extend(self._comment(item, "GET", url) for item in data)
            match = _NEXT.search(headers.get("Link", "") or "")
            url = match.group(1) if match else None
            if url is not None and (_origin(url) != self._origin or not url.startswith(self._api + "/")):
                raise GitHubError(self.scrub(f"GitHub returned a next-page link outside {self._api}: refusing to send "
                                             "the token there"))
        return comments

    def create_comment(self, repo: str, pr: int, body: str) -> Comment:
        url = f"{self._api}/repos/{repo}/issues/{pr}/comments"
        data, _ = self._call("POST", url, {"body": body}, what=f"pull request {repo}#{pr}")
        return self._comment(data, "POST", url)

    def update_comment(self, repo: str, comment_id: int, body: str) -> Comment:
        url = f"{self._api}/repos/{repo}/issues/comments/{comment_id}"
        data, _ = self._call("PATCH", url, {"body": body}, what=f"comment {comment_id} in {repo}")
        return self._comment(data, "PATCH", url)

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
        except (urllib.error.URLError, OSError, ValueError) as error:  # ValueError: http.client's bad status lines
            if isinstance(getattr(error, "reason", None), GitHubError):
                raise error.reason from None  # type: ignore[union-attr]  # a refused redirect
            reason = getattr(error, "reason", error)
            raise GitHubError(self.scrub(f"cannot reach the GitHub API at {self._api}: {_one_line(reason)}")) from None
        if not raw.strip():
            return None, headers
        try:
            return json.loads(raw), headers
        except (ValueError, RecursionError):
            self._malformed(method, url, "JSON")

    def _comment(self, item: Any, method: str, url: str) -> Comment:
        """A comment from the API's JSON; anything else is one line, not a traceback."""
        if not isinstance(item, dict) or type(item.get("id")) is not int:
            self._malformed(method, url, "a comment with an integer id")
        user = item.get("user")
        login = user.get("login") if isinstance(user, dict) else None
        return Comment(id=item["id"], body=str(item.get("body") or ""), html_url=str(item.get("html_url") or ""),
                       author=login if isinstance(login, str) else "")

    def _malformed(self, method: str, url: str, expected: str) -> NoReturn:
        path = urllib.parse.urlsplit(url).path
        raise GitHubError(self.scrub(f"GitHub answered {method} {path} with something that is not {expected}: is "
                                     f"{self._api} a GitHub API root?"))

    def _refuse_redirect(self, target: str) -> GitHubError:
        shown = _origin(target)
        return GitHubError(self.scrub(f"GitHub redirected a request to {shown[0]}://{shown[1]}, outside the API at "
                                      f"{self._api}: refusing to send the token there"))

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
        return GitHubError(self.scrub(text), status)

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

    def scrub(self, text: str) -> str:
        """`text` without the token: any letter case, and any prefix of it of 8 characters or more."""
        return scrub_token(text, self._token)


def scrub_token(text: str, token: str) -> str:
    """Replace the token, in any letter case, and every prefix of it of 8 or more characters, by `***`."""
    if not token:
        return text
    head = min(len(token), _PREFIX)
    lowered, secret = text.lower(), token.lower()
    out: list[str] = []
    start = 0
    found = lowered.find(secret[:head])
    while found >= 0:
        end = found + head
        while end < len(text) and end - found < len(secret) and lowered[end] == secret[end - found]:
            end += 1
        out.append(text[start:found] + "***")
        start = end
        found = lowered.find(secret[:head], end)
    out.append(text[start:])
    return "".join(out)


_PREFIX = 8
"""A token prefix this long is scrubbed too (a server or proxy that echoes a truncated token)."""


def checked_api_url(api_url: str) -> str:
    """The API root without a trailing slash; refused (one line, never echoing it) when it carries
    credentials, a query or a fragment, or is plain http to anything but this machine."""
    try:
        parts = urllib.parse.urlsplit(api_url.strip())
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        raise GitHubError("--api-url is not a URL (expected https://HOST or https://HOST/api/v3)") from None
    if "@" in parts.netloc or parts.username is not None or parts.password is not None:
        raise GitHubError("--api-url must not carry credentials (user:password@): the token comes from GITHUB_TOKEN "
                          "only")
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise GitHubError("--api-url is not an http(s) URL (expected https://HOST or https://HOST/api/v3)")
    if parts.query or parts.fragment:
        raise GitHubError("--api-url must be the API root, without a query or fragment")
    if parts.scheme == "http" and not _loopback(parts.hostname):
        raise GitHubError(f"--api-url http://{parts.hostname}: the token would cross the network in clear; use https")
    return api_url.strip().rstrip("/")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str]:
    """(scheme, host:port) with the default port made explicit: what decides where a request goes."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = -1
    return parts.scheme.lower(), f"{(parts.hostname or '').lower()}:{port}"


def _graphql_url(api: str) -> str:
    """GitHub's GraphQL endpoint for a REST root: `{api}/graphql`, or `/api/graphql` for an Enterprise
    Server root `https://HOST/api/v3`."""
    return api[: -len("/v3")] + "/graphql" if api.endswith("/api/v3") else api + "/graphql"


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only within the API's origin; anywhere else the request stops (urllib would
    copy the Authorization header to the new host)."""

    def __init__(self, origin: tuple[str, str], refuse: Callable[[str], GitHubError]) -> None:
        self._origin, self._refuse = origin, refuse

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if _origin(urllib.parse.urljoin(req.full_url, newurl)) != self._origin:
            raise urllib.error.URLError(self._refuse(newurl))
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _same_origin_opener(origin: tuple[str, str], refuse: Callable[[str], GitHubError]) -> Opener:
    opener = urllib.request.build_opener(_SameOriginRedirects(origin, refuse))
    return lambda request, timeout: opener.open(request, timeout=timeout)


def _path(data: Any, *steps: str | int) -> Any:
    """`data[steps[0]][steps[1]]...`, or None where the answer does not have that shape."""
    for step in steps:
        if isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        elif isinstance(step, int) and isinstance(data, list) and len(data) > step:
            data = data[step]
        else:
            return None
    return data


def _one_line(value: Any, limit: int = 300) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


def _message(error: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(error.read() or b"{}")
    except (ValueError, OSError, RecursionError):
        return ""
    message = body.get("message", "") if isinstance(body, dict) else ""
    return _one_line(message)
