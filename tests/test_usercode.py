"""A mistake in a project's own Python (environment file, blueprint) is one line at that line, with a suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from iac.diagnostics import ConfigError
from iac.synth import synthesize

_BLUEPRINT = '''
import os
from dataclasses import dataclass
from iac import ClusterPolicy, ExistingWorkspace, Range


@dataclass(frozen=True)
class Team:
    name: str
    cost_center: str


def build(stack, teams=(), bucket="b"):
    with stack.workspace(ExistingWorkspace("shared", host="https://x")):
        {body}
'''

_ENVIRONMENT = '''
from functools import partial
from iac import Environment, Mode
from iac.policy.settings import PolicySettings
from blueprint_{name} import Team, build

environment = Environment(name="{name}", mode={mode}, cloud="aws", region="us-east-1", account_id="a",
                          build=partial(build, {build_args}), policy=PolicySettings({policy}))
'''


def _synth_error(tmp_path: Path, name: str, *, body: str = "pass", mode: str = "Mode.development",
                 build_args: str = "", policy: str = "") -> str:
    (tmp_path / "environments").mkdir(exist_ok=True)
    (tmp_path / f"blueprint_{name}.py").write_text(_BLUEPRINT.format(body=body))
    (tmp_path / "environments" / f"{name}.py").write_text(
        _ENVIRONMENT.format(name=name, mode=mode, build_args=build_args, policy=policy))
    with pytest.raises(ConfigError) as raised:
        synthesize(name, tmp_path)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(("case", "kwargs", "expected"), [
    ("name", {"body": "print(buckt)"},
     "blueprint_name.py:15: [name] NameError: name 'buckt' is not defined (did you mean 'bucket'?)"),
    ("attribute", {"body": "stack.ad(None)"},
     "blueprint_attribute.py:15: [attribute] AttributeError: 'Stack' object has no attribute 'ad' (did you mean 'add'?)"),
    ("keyword", {"build_args": 'teams=[Team(nme="a", cost_center="c")]'},
     "environments/keyword.py:8: [keyword] TypeError: Team.__init__() got an unexpected keyword argument 'nme'"
     " (did you mean 'name'?)"),
    ("partial", {"build_args": 'buckett="x"'},
     "environments/partial.py: [partial] TypeError: build() got an unexpected keyword argument 'buckett'"
     " (did you mean 'bucket'?)"),
    ("rule", {"body": 'stack.add(ClusterPolicy("p", name="p", definition={"x": Range(max_valu=3)}))'},
     "blueprint_rule.py:15: [rule] Range.max_valu: unknown attribute 'max_valu' (did you mean 'max_value'?)"),
    ("mode", {"mode": '"prod"'},
     "environments/mode.py:7: [mode] Environment.mode: expected 'development' or 'production' (did you mean 'production'?)"),
    ("setting", {"policy": 'guardrails={"max_worker": 8}'},
     "environments/setting.py:8: [setting] PolicySettings.guardrails.max_worker: unknown attribute 'max_worker'"
     " (did you mean 'max_workers'?)"),
    ("other", {"body": "{}['x']"}, "blueprint_other.py:15: [other] KeyError: 'x'"),
])
def test_a_mistake_in_project_code_is_one_line_at_its_line(tmp_path: Path, case: str, kwargs: dict[str, str],
                                                         expected: str) -> None:
    message = _synth_error(tmp_path, case, **kwargs)
    assert message.endswith(expected), message
