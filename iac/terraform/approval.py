"""Approval before anything is applied: rules that fit the environment and what the plan does.

    1. Destroying a production environment needs --allow-destroy, with or without a terminal.
    2. --auto-approve approves without asking (CI).
    3. Without a terminal, nothing is applied unless --auto-approve is given.
    4. With a terminal: production, destroy, and any plan that deletes or replaces ask the user to type the
       environment name; everything else asks for `yes`.
Every refusal names the flag or the answer that is missing, and says nothing was applied.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from iac.diagnostics import ApplyRefused, Diagnostic

__all__ = ["ApprovalFlags", "ApprovalRequest", "Prompt", "TerminalPrompt", "approve", "stdin_is_terminal"]


@dataclass(frozen=True)
class ApprovalRequest:
    """What is about to happen, as far as approval cares."""

    environment: str
    production: bool
    destroy: bool
    """`iac destroy` (every managed object goes)."""
    destructive: tuple[str, ...]
    """Addresses the plan deletes or replaces."""


@dataclass(frozen=True)
class ApprovalFlags:
    auto_approve: bool = False
    allow_destroy: bool = False


class Prompt:
    """Asks one question. `interactive` is False when there is nobody to answer."""

    interactive: bool = False

    def ask(self, question: str) -> str:
        raise NotImplementedError


def stdin_is_terminal() -> bool:
    """Whether a person can answer: stdin is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class TerminalPrompt(Prompt):
    """Reads the answer from stdin; `say` prints the question (typer.echo in the CLI)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.interactive = stdin_is_terminal()
        self._say = say

    def ask(self, question: str) -> str:
        self._say(question)
        line = sys.stdin.readline()
        return line.strip()


def approve(request: ApprovalRequest, flags: ApprovalFlags, prompt: Prompt) -> str:
    """Return how the run was approved (for the audit log), or raise ApplyRefused saying what is missing."""
    env = request.environment
    if request.destroy and request.production and not flags.allow_destroy:
        _refuse(env, "destroying a production environment needs --allow-destroy")
    if flags.auto_approve:
        return "auto-approved (--auto-approve" + (", --allow-destroy)" if flags.allow_destroy else ")")
    if not prompt.interactive:
        _refuse(env, "no terminal to confirm on: re-run with --auto-approve to apply without confirmation")
    if request.production or request.destroy or request.destructive:
        return _ask_for_name(request, prompt)
    answer = prompt.ask("Apply these changes? Only 'yes' is accepted:")
    if answer != "yes":
        _refuse(env, "the answer was not 'yes'")
    return "confirmed interactively ('yes')"


def _ask_for_name(request: ApprovalRequest, prompt: Prompt) -> str:
    verb = "destroy" if request.destroy else "apply"
    reasons = _why_typed(request)
    question = f"This {verb} {reasons}. Type the environment name ({request.environment}) to confirm:"
    if prompt.ask(question) != request.environment:
        _refuse(request.environment, f"the answer did not match the environment name '{request.environment}'")
    return f"confirmed interactively (typed the environment name: {reasons})"


def _why_typed(request: ApprovalRequest) -> str:
    reasons: list[str] = []
    if request.production:
        reasons.append("targets a production environment")
    if request.destructive:
        reasons.append(f"deletes or replaces {_count(request.destructive)}")
    if request.destroy and not request.destructive:
        reasons.append("destroys every managed object")
    return " and ".join(reasons) or "needs confirmation"


def _count(addresses: Sequence[str]) -> str:
    return f"{len(addresses)} resource" + ("" if len(addresses) == 1 else "s")


def _refuse(environment: str, why: str) -> None:
    raise ApplyRefused(Diagnostic(summary=f"not approved: {why}; nothing was applied", environment=environment))
