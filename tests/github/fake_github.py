"""A local stand-in for the GitHub endpoints `iac comment` calls, served by http.server in a thread.

It behaves like GitHub where iac depends on it: bearer-token check (401), pull requests that do not exist
(404), `Link: rel="next"` pagination with a small page size, the 65,536-character body limit (422),
switchable rate limiting (403 with `x-ratelimit-*` headers, or 429 with `retry-after`), comments authored
by the token's identity (`identity`, also what GraphQL's `viewer { login }` answers), and switchable
misbehaviour: every request redirected (`redirect_to`), or a path answered 200 with a given body (`answers`).
Every request's Authorization header is kept (`authorizations`), to prove where a token went.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BODY_LIMIT = 65_536
_LIST = re.compile(r"^/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<pr>\d+)/comments$")
_ONE = re.compile(r"^/repos/(?P<repo>[^/]+/[^/]+)/issues/comments/(?P<id>\d+)$")


@dataclass
class FakeGitHub:
    """State of the fake: comments by id, the valid token, existing pull requests, a request log."""

    token: str
    pulls: set[tuple[str, int]]
    page_size: int = 2
    rate_limited: str | None = None  # None, "403" or "429"
    reset_at: int = 1_900_000_000
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)
    next_id: int = 1000
    url: str = ""
    identity: str = "iac-bot"
    redirect_to: str | None = None
    answers: dict[str, bytes] = field(default_factory=dict)
    authorizations: list[str | None] = field(default_factory=list)

    def add(self, repo: str, pr: int, body: str, user: str = "someone") -> int:
        """Put a comment on the PR directly, as another user or an earlier run would have."""
        self.next_id += 1
        self.comments[self.next_id] = {"id": self.next_id, "repo": repo, "pr": pr, "body": body, "user": user}
        return self.next_id

    def bodies(self, repo: str, pr: int) -> list[str]:
        """Comment bodies of a PR in creation order."""
        return [c["body"] for _, c in sorted(self.comments.items()) if (c["repo"], c["pr"]) == (repo, pr)]

    def writes(self) -> list[str]:
        return [method for method, path in self.log if method != "GET" and path != "/graphql"]


def serve(fake: FakeGitHub) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """Start serving `fake` on 127.0.0.1 at a free port; the caller shuts the server down."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

        def do_PATCH(self) -> None:
            self._handle("PATCH")

        def do_DELETE(self) -> None:
            self._handle("DELETE")

        def _handle(self, method: str) -> None:
            url = urlsplit(self.path)
            fake.log.append((method, self.path))
            fake.authorizations.append(self.headers.get("Authorization"))
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length)) if length else None
            if fake.redirect_to is not None:
                return self._send(302, None, {"Location": fake.redirect_to + self.path})
            if self.headers.get("Authorization") != f"Bearer {fake.token}":
                return self._send(401, {"message": "Bad credentials"})
            if url.path in fake.answers:
                return self._send_raw(200, fake.answers[url.path])
            if url.path == "/graphql" and method == "POST":
                return self._send(200, {"data": {"viewer": {"login": fake.identity}}})
            if fake.rate_limited == "403":
                return self._send(403, {"message": "API rate limit exceeded for installation."},
                                  {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(fake.reset_at)})
            if fake.rate_limited == "429":
                return self._send(429, {"message": "You have exceeded a secondary rate limit."}, {"retry-after": "60"})
            if payload is not None and len(str(payload.get("body", ""))) > BODY_LIMIT:
                return self._send(422, {"message": "Validation Failed: body is too long (maximum is 65536 characters)"})
            if match := _LIST.match(url.path):
                return self._comments(method, match["repo"], int(match["pr"]), url.query, payload)
            if match := _ONE.match(url.path):
                return self._comment(method, match["repo"], int(match["id"]), payload)
            return self._send(404, {"message": "Not Found"})

        def _comments(self, method: str, repo: str, pr: int, query: str, payload: Any) -> None:
            if (repo, pr) not in fake.pulls:
                return self._send(404, {"message": "Not Found"})
            if method == "POST":
                new = fake.add(repo, pr, payload["body"], user=fake.identity)
                return self._send(201, _public(fake.comments[new]))
            if method != "GET":
                return self._send(405, {"message": "Method Not Allowed"})
            page = int(parse_qs(query).get("page", ["1"])[0])
            mine = [c for _, c in sorted(fake.comments.items()) if (c["repo"], c["pr"]) == (repo, pr)]
            chunk = mine[(page - 1) * fake.page_size : page * fake.page_size]
            headers = {}
            if page * fake.page_size < len(mine):
                headers["Link"] = (f'<{fake.url}/repos/{repo}/issues/{pr}/comments?per_page=100&page={page + 1}>; '
                                   'rel="next"')
            return self._send(200, [_public(c) for c in chunk], headers)

        def _comment(self, method: str, repo: str, comment_id: int, payload: Any) -> None:
            found = fake.comments.get(comment_id)
            if found is None or found["repo"] != repo:
                return self._send(404, {"message": "Not Found"})
            if method == "PATCH":
                found["body"] = payload["body"]
                return self._send(200, _public(found))
            if method == "DELETE":
                del fake.comments[comment_id]
                return self._send(204, None)
            return self._send(405, {"message": "Method Not Allowed"})

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            self._send_raw(status, json.dumps(body).encode() if body is not None else b"", headers)

        def _send_raw(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


def _public(comment: dict[str, Any]) -> dict[str, Any]:
    return {"id": comment["id"], "body": comment["body"], "user": {"login": comment["user"]},
            "html_url": f"https://github.example/{comment['repo']}/pull/{comment['pr']}#issuecomment-{comment['id']}"}
