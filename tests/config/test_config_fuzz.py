"""Fuzzing the configuration readers and everything after them: a mutated `main.tf.json`, or a mutated `.tf`
file, is loaded, planned (against no state and against a state), checked and rendered in text, Markdown and
JSON. Whatever the bytes, the outcome is a plan or one-line errors (an `IacError`): never another exception,
never a check that crashed, never a hang (hypothesis' deadline bounds every input). The HCL parser has its
own fuzz test (tests/lang/test_hcl_fuzz.py); this one runs the whole path after it."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iac._jsonio import dumps
from iac.config import load_config
from iac.state import State, parse_state
from tests.lang.hcl_corpus import CONFIGS as HCL_SNIPPETS
from tests.properties.fuzz_seeds import CONFIGS, STATE
from tests.properties.malformed import HOSTILE_STRINGS, check_outcome, fuzz_settings, mutated_text
from tests.state.test_state_fuzz import plan_and_render_config

pytestmark = pytest.mark.filterwarnings("ignore:The recursion limit will not be reset")


_STATE = parse_state(dumps(STATE))


def _load_plan_render(name: str, text: bytes, state: State) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(text)
        check_outcome(lambda: plan_and_render_config(load_config(path), state, Path(directory)))


@fuzz_settings(600, seconds=180)  # a count at the 100,000-instance limit plans and renders 100,000 blocks: 25-75 s
@given(mutated_text(CONFIGS), st.booleans())
def test_any_json_configuration_is_planned_or_refused_in_one_line(text: bytes, with_state: bool) -> None:
    _load_plan_render("main.tf.json", text, _STATE if with_state else State.empty())


HCL_SEEDS = [snippet.replace("NN", "1") for snippet in HCL_SNIPPETS] + [
    'variable "secret" {\n  type = string\n  sensitive = true\n  default = "hunter2-hcl"\n}\n'
    'resource "terraform_data" "a" {\n  input = { user = "ana", password = var.secret }\n}\n'
    'resource "terraform_data" "b" {\n  count = 2\n  input = "x-${count.index}"\n'
    '  lifecycle {\n    create_before_destroy = true\n  }\n}\n'
    'resource "terraform_data" "c" {\n  for_each = toset(["k1", "k2"])\n  input = each.value\n}\n'
    'output "o" {\n  value = terraform_data.a.output\n  sensitive = true\n}\n',
    'resource "databricks_cluster" "etl" {\n  cluster_name = "etl"\n  spark_version = "15.4.x-scala2.12"\n'
    '  node_type_id = "i3.xlarge"\n  autoscale {\n    min_workers = 1\n    max_workers = 4\n  }\n'
    '  custom_tags = { team = "data" }\n}\n',
    'resource "databricks_grants" "main" {\n  catalog = "main"\n  grant {\n    principal = "data-eng"\n'
    '    privileges = ["USE_CATALOG"]\n  }\n}\n',
]
_PIECES = ['"', "{", "}", "[", "]", "=", "\n", "${", "%{", "count = ", "for_each = ", "1e400", "9" * 60, "-1",
           "var.nope", "provider = x.y", "lifecycle {", "dynamic \"d\" {", "null", "true"]


@st.composite
def hcl_texts(draw: st.DrawFn) -> bytes:
    """An HCL seed with a few pieces inserted, deleted or replaced, or a hostile string put in a value."""
    text = draw(st.sampled_from(HCL_SEEDS))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    for _ in range(draw(st.integers(0, 3))):
        where = rng.randrange(len(text) + 1)
        action = rng.randrange(4)
        if action == 0:
            text = text[:where] + rng.choice(_PIECES) + text[where:]
        elif action == 1:
            text = text[:where] + text[where + rng.randrange(1, 6):]
        elif action == 2:
            quoted = '"' + rng.choice(HOSTILE_STRINGS).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
            text = text[:where] + quoted + text[where:]
        else:
            text = text.replace('"etl"', '"' + rng.choice(["", "a b", "@x", "\\u202e"]) + '"')
    data = text.encode("utf-8", "surrogatepass")
    return data if draw(st.integers(0, 9)) else data + b"\xff"


@fuzz_settings(400)
@given(hcl_texts(), st.booleans())
def test_any_hcl_configuration_is_planned_or_refused_in_one_line(text: bytes, with_state: bool) -> None:
    _load_plan_render("main.tf", text, _STATE if with_state else State.empty())
