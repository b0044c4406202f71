"""Sensitivity masks: a path inside a value already sensitive leaves it wholly sensitive, whatever order the
paths come in. The safety net (a string holding a secret) adds leaf paths under a whole value a variable
marked: they must not turn the whole `true` back into an object that shows the value's keys, which
Terraform hides (`+ input = (sensitive value)`, not `+ input = { + k = (sensitive value) }`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from iac.plan.jsonvalues import sensitive_mask
from iac.render import render
from tests.lang.configs import iac_plan, plan_both, write_files

_KEYS = st.sampled_from(["a", "b", "c"])
_INDEXES = st.integers(min_value=0, max_value=2)
# paths into one shape of value: an object of lists of objects (`a`, `a[1]`, `a[1].b`)
_PATHS = st.lists(st.one_of(st.tuples(_KEYS), st.tuples(_KEYS, _INDEXES), st.tuples(_KEYS, _INDEXES, _KEYS)),
                  min_size=1, max_size=6)


@given(_PATHS, st.randoms())
def test_the_mask_is_the_same_in_any_order_and_true_covers_what_is_under_it(paths: list[tuple], rng: Any) -> None:
    shuffled = list(paths)
    rng.shuffle(shuffled)
    mask = sensitive_mask({}, paths)
    assert sensitive_mask({}, shuffled) == mask
    for path in paths:
        node = mask
        for step in path:
            if node is True:
                break
            node = node[step]
        assert node is True


SENSITIVE_MAP = ('variable "s" {\n  type      = map(string)\n  default   = { user = "hunter2-secret" }\n'
                 '  sensitive = true\n}\nresource "terraform_data" "a" {\n  input = var.s\n}\n')


def test_a_sensitive_map_is_masked_whole_as_terraform_masks_it(tmp_path: Path) -> None:
    expected, actual = plan_both(tmp_path, {"main.tf": SENSITIVE_MAP})
    assert actual == expected
    write_files(tmp_path, {"main.tf": SENSITIVE_MAP})
    plan = iac_plan(tmp_path)
    assert plan.get("resource_changes", [])[0]["change"]["after_sensitive"]["input"] is True
    text = render(plan, "text", color=False)
    assert "input  = (sensitive value)" in text and "user" not in text
