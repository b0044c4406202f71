"""Approval before anything is applied: rules that fit the environment and what the plan does.

    1. Destroying a production environment needs --allow-destroy, with or without a terminal.
    2. --auto-approve approves without asking (CI).
    3. With input disabled (`TF_INPUT=0`, as Terraform's `-input=false`), nothing is applied without --auto-approve.
    4. Otherwise the answer is read from stdin, a terminal or a pipe, as Terraform reads it (one line, trailing
       whitespace dropped; no complete line is no answer): production, destroy, and any plan that deletes or
       replaces need the environment name; everything else an exact `yes` (`echo yes | iac apply dev`).
The question names the environment, the Terraform engine and the sandbox when it is one. Every refusal names
the flag or the answer that is missing, and says nothing was applied.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from iac.diagnostics import ApplyRefused, Diagnostic

__all__ = ["ApprovalFlags", "ApprovalRequest", "Prompt", "StdinPrompt", "approve", "input_disabled", "stdin_is_terminal"]


@dataclass(frozen=True)
class ApprovalRequest:
    """What is about to happen, as far as approval cares."""

    environment: str
    production: bool
    destroy: bool
    """`iac destroy` (every managed object goes)."""
    destructive: tuple[str, ...]
    """Addresses the plan deletes or replaces."""
    engine: str = ""
    """The Terraform engine that will apply (`EngineVersion.describe()`), named in the question."""
    sandbox: bool = False
    """The run applies to the offline sandbox, not the real workspace: the question says so."""


@dataclass(frozen=True)
class ApprovalFlags:
    auto_approve: bool = False
    allow_destroy: bool = False


class Prompt:
    """Asks one question. `interactive` is False when input is disabled; `terminal` says whether a person
    types the answer (a terminal) or something pipes it. `ask` returns None when no answer came."""

    interactive: bool = False
    terminal: bool = False

    def ask(self, question: str) -> str | None:
        raise NotImplementedError


def stdin_is_terminal() -> bool:
    """Whether a person can answer: stdin is a terminal."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def input_disabled(environ: Mapping[str, str] | None = None) -> bool:
    """`TF_INPUT=0` (or `false`): Terraform's switch for "never ask", which iac honours the same way."""
    value = (os.environ if environ is None else environ).get("TF_INPUT", "").strip().lower()
    return value in ("0", "false")


class StdinPrompt(Prompt):
    """Reads the answer from stdin, a terminal or a pipe; `say` prints the question (typer.echo in the CLI)."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.interactive = not input_disabled()
        self.terminal = stdin_is_terminal()
        self._say = say

    def ask(self, question: str) -> str | None:
        self._say(question)
        line = sys.stdin.readline()
        if not line.endswith("\n"):  # end of input before a whole line: Terraform reads no answer either
            return None
        return line.rstrip()  # Terraform trims trailing whitespace only: " yes" is not "yes"


def approve(request: ApprovalRequest, flags: ApprovalFlags, prompt: Prompt) -> str:
    """Return how the run was approved (for the audit log), or raise ApplyRefused saying what is missing."""
    env = request.environment
    if request.destroy and request.production and not flags.allow_destroy:
        _refuse(env, "destroying a production environment needs --allow-destroy")
    if flags.auto_approve:
        return "auto-approved (--auto-approve" + (", --allow-destroy)" if flags.allow_destroy else ")")
    if not prompt.interactive:
        _refuse(env, "input is disabled (TF_INPUT=0): re-run with --auto-approve to apply without confirmation")
    how = "interactively" if prompt.terminal else "on stdin (not a terminal)"
    if request.production or request.destroy or request.destructive:
        return _ask_for_name(request, prompt, how)
    answer = _answer(request, prompt, f"{_verb(request).capitalize()} these changes to {_where(request)}? "
                                      "Only 'yes' is accepted:", "'yes'")
    if answer != "yes":
        _refuse(env, "the answer was not 'yes'")
    return f"confirmed {how} ('yes')"


def _ask_for_name(request: ApprovalRequest, prompt: Prompt, how: str) -> str:
    reasons = _why_typed(request)
    question = (f"{_verb(request).capitalize()} to {_where(request)}: {reasons}. "
                f"Type the environment name ({request.environment}) to confirm:")
    if _answer(request, prompt, question, "the environment name") != request.environment:
        _refuse(request.environment, f"the answer did not match the environment name '{request.environment}'")
    return f"confirmed {how} (typed the environment name: {reasons})"


def _answer(request: ApprovalRequest, prompt: Prompt, question: str, wanted: str) -> str:
    answer = prompt.ask(question)
    if answer is None:
        where = "" if prompt.terminal else " (stdin is not a terminal: pipe the answer, or use --auto-approve)"
        _refuse(request.environment, f"no answer: input ended before {wanted} was given{where}")
    return str(answer)


def _verb(request: ApprovalRequest) -> str:
    return "destroy" if request.destroy else "apply"


def _where(request: ApprovalRequest) -> str:
    """`environment dev in the sandbox (...) with terraform 1.9.8 (embedded, ...)`: what the answer approves."""
    place = f"environment {request.environment}" + (" in the sandbox (never the real workspace)" if request.sandbox else "")
    return place + (f" with {request.engine}" if request.engine else "")


def _why_typed(request: ApprovalRequest) -> str:
    reasons: list[str] = []
    if request.production:
        reasons.append("a production environment")
    if request.destructive:
        reasons.append(f"deletes or replaces {_count(request.destructive)}")
    if request.destroy and not request.destructive:
        reasons.append("destroys every managed object")
    return ", ".join(reasons) or "needs confirmation"


def _count(addresses: Sequence[str]) -> str:
    return f"{len(addresses)} resource" + ("" if len(addresses) == 1 else "s")


def _refuse(environment: str, why: str) -> None:
    raise ApplyRefused(Diagnostic(summary=f"not approved: {why}; nothing was applied", environment=environment))
