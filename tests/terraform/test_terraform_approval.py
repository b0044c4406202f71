from __future__ import annotations

import io

import pytest

from iac.diagnostics import ApplyRefused
from iac.terraform.approval import ApprovalFlags, ApprovalRequest, Prompt, StdinPrompt, approve


class ScriptedPrompt(Prompt):
    def __init__(self, interactive: bool, answer: str | None = "", *, terminal: bool = True) -> None:
        self.interactive = interactive
        self.terminal = terminal
        self.answer = answer
        self.questions: list[str] = []

    def ask(self, question: str) -> str | None:
        self.questions.append(question)
        return self.answer


def _request(*, production: bool = False, destroy: bool = False, destructive: tuple[str, ...] = ()) -> ApprovalRequest:
    return ApprovalRequest("prod" if production else "dev", production, destroy, destructive)


APPROVED = [
    pytest.param(_request(), ApprovalFlags(auto_approve=True), ScriptedPrompt(False), "auto-approved", id="ci auto-approve"),
    pytest.param(_request(), ApprovalFlags(), ScriptedPrompt(True, "yes"), "interactively ('yes')", id="terminal yes"),
    pytest.param(_request(), ApprovalFlags(), ScriptedPrompt(True, "yes", terminal=False), "on stdin (not a terminal) ('yes')",
                 id="piped yes"),
    pytest.param(_request(production=True), ApprovalFlags(), ScriptedPrompt(True, "prod", terminal=False), "typed",
                 id="piped environment name"),
    pytest.param(_request(destructive=("a",)), ApprovalFlags(), ScriptedPrompt(True, "dev"), "typed", id="delete types name"),
    pytest.param(_request(production=True), ApprovalFlags(), ScriptedPrompt(True, "prod"), "typed", id="production types name"),
    pytest.param(_request(production=True, destroy=True), ApprovalFlags(allow_destroy=True), ScriptedPrompt(True, "prod"),
                 "typed", id="production destroy with flag and name"),
    pytest.param(_request(production=True, destroy=True), ApprovalFlags(auto_approve=True, allow_destroy=True),
                 ScriptedPrompt(False), "--allow-destroy", id="ci production destroy with both flags"),
]


@pytest.mark.parametrize(("request_", "flags", "prompt", "how"), APPROVED)
def test_approved(request_: ApprovalRequest, flags: ApprovalFlags, prompt: ScriptedPrompt, how: str) -> None:
    assert how in approve(request_, flags, prompt)


REFUSED = [
    pytest.param(_request(), ApprovalFlags(), ScriptedPrompt(False), "input is disabled (TF_INPUT=0): re-run with"
                 " --auto-approve", id="input disabled, no flag"),
    pytest.param(_request(), ApprovalFlags(), ScriptedPrompt(True, None, terminal=False),
                 "no answer: input ended before 'yes' was given (stdin is not a terminal: pipe the answer, or use"
                 " --auto-approve)", id="pipe without an answer"),
    pytest.param(_request(production=True), ApprovalFlags(), ScriptedPrompt(True, None, terminal=False),
                 "input ended before the environment name was given", id="pipe without the name"),
    pytest.param(_request(), ApprovalFlags(), ScriptedPrompt(True, "y"), "'yes'", id="answer not yes"),
    pytest.param(_request(destructive=("a",)), ApprovalFlags(), ScriptedPrompt(True, "yes"), "environment name 'dev'",
                 id="yes is not enough to delete"),
    pytest.param(_request(production=True), ApprovalFlags(), ScriptedPrompt(True, "yes"), "environment name 'prod'",
                 id="yes is not enough in production"),
    pytest.param(_request(production=True, destroy=True), ApprovalFlags(auto_approve=True), ScriptedPrompt(False),
                 "--allow-destroy", id="ci production destroy without allow-destroy"),
    pytest.param(_request(production=True, destroy=True), ApprovalFlags(), ScriptedPrompt(True, "prod"),
                 "--allow-destroy", id="terminal production destroy without allow-destroy"),
]


@pytest.mark.parametrize(("request_", "flags", "prompt", "missing"), REFUSED)
def test_refused_names_what_is_missing(request_: ApprovalRequest, flags: ApprovalFlags, prompt: ScriptedPrompt,
                                       missing: str) -> None:
    with pytest.raises(ApplyRefused) as caught:
        approve(request_, flags, prompt)
    message = caught.value.diagnostics[0].format()
    assert missing in message and "nothing was applied" in message


def test_typed_confirmation_says_why_it_is_asked() -> None:
    prompt = ScriptedPrompt(True, "prod")
    approve(_request(production=True, destructive=("x", "y")), ApprovalFlags(), prompt)
    assert prompt.questions == ["Apply to environment prod: a production environment, deletes or replaces 2 resources. "
                                "Type the environment name (prod) to confirm:"]


@pytest.mark.parametrize(("sandbox", "expected"), [
    (False, "Apply these changes to environment dev with terraform 1.9.8 (binary, /usr/bin/terraform)? Only 'yes' is"
            " accepted:"),
    (True, "Apply these changes to environment dev in the sandbox (never the real workspace) with terraform 1.9.8"
           " (binary, /usr/bin/terraform)? Only 'yes' is accepted:"),
])
def test_the_question_names_environment_engine_and_sandbox(sandbox: bool, expected: str) -> None:
    prompt = ScriptedPrompt(True, "yes")
    request = ApprovalRequest("dev", False, False, (), engine="terraform 1.9.8 (binary, /usr/bin/terraform)", sandbox=sandbox)
    approve(request, ApprovalFlags(), prompt)
    assert prompt.questions == [expected]


@pytest.mark.parametrize(("stdin", "answer"), [
    ("yes\n", "yes"), ("yes  \r\n", "yes"), (" yes\n", " yes"), ("yes", None), ("", None), ("no\nyes\n", "no"),
], ids=["line", "trailing space", "leading space kept", "no newline", "empty", "first line only"])
def test_stdin_prompt_reads_one_line_as_terraform_does(monkeypatch: pytest.MonkeyPatch, stdin: str,
                                                      answer: str | None) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    said: list[str] = []
    assert StdinPrompt(said.append).ask("Apply?") == answer and said == ["Apply?"]


@pytest.mark.parametrize(("value", "disabled"), [("0", True), ("false", True), ("1", False), ("", False)])
def test_tf_input_zero_disables_the_prompt(monkeypatch: pytest.MonkeyPatch, value: str, disabled: bool) -> None:
    monkeypatch.setenv("TF_INPUT", value)
    assert StdinPrompt(print).interactive is not disabled
