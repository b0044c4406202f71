from __future__ import annotations

import pytest

from iac.diagnostics import ApplyRefused
from iac.terraform.approval import ApprovalFlags, ApprovalRequest, Prompt, approve


class ScriptedPrompt(Prompt):
    def __init__(self, interactive: bool, answer: str = "") -> None:
        self.interactive = interactive
        self.answer = answer
        self.questions: list[str] = []

    def ask(self, question: str) -> str:
        self.questions.append(question)
        return self.answer


def _request(*, production: bool = False, destroy: bool = False, destructive: tuple[str, ...] = ()) -> ApprovalRequest:
    return ApprovalRequest("prod" if production else "dev", production, destroy, destructive)


APPROVED = [
    pytest.param(_request(), ApprovalFlags(auto_approve=True), ScriptedPrompt(False), "auto-approved", id="ci auto-approve"),
    pytest.param(_request(), ApprovalFlags(), ScriptedPrompt(True, "yes"), "'yes'", id="terminal yes"),
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
    pytest.param(_request(), ApprovalFlags(), ScriptedPrompt(False), "--auto-approve", id="no terminal, no flag"),
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
    assert prompt.questions == ["This apply targets a production environment and deletes or replaces 2 resources. "
                                "Type the environment name (prod) to confirm:"]
