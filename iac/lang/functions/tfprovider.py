"""The functions of Terraform's built-in provider `terraform.io/builtin/terraform`, which Terraform evaluates
itself (internal/builtin/providers/terraform/functions.go): `encode_tfvars`, `decode_tfvars`, `encode_expr`.

They are provider-defined functions, called `provider::NAME::FN` where NAME is the local name a module gives
that source in its required_providers; so they are kept out of the built-in registry, and the evaluator
looks them up here only for such a NAME. Behaviour checked against Terraform 1.15:

- encode_expr/encode_tfvars: a value with an unknown part anywhere gives an unknown string (before any
  other check: `encode_tfvars(uuid())` is unknown, not an error); marks anywhere mark the whole result;
- encode_tfvars takes an object or map whose keys are identifiers, and refuses anything else (Terraform's
  words below); its output is one `name = value` line (or block of lines) per key, in key order;
- decode_tfvars reads the text as a `.tfvars` file (literal values only: no reference, no function call,
  as Terraform reads `.tfvars`) and returns an object. Terraform quotes HCL's diagnostic with its range
  (`<decode_tfvars argument>:1,5-6`); iac knows where a problem starts, not where it ends, so its range is
  `line,column` only, and it reports the first problem without HCL's `, and N other diagnostic(s)`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from iac._go import go_quote
from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import Function, FunctionError, Param
from iac.lang.functions._hclwrite import attributes_text, value_text
from iac.lang.hcl import HclSyntaxError, parse_config
from iac.lang.hcl.lexer import valid_identifier

__all__ = ["provider_function"]

_FILE = "<decode_tfvars argument>"


def _encode_expr(value: Value) -> Value:
    plain, marks = value.unmark_deep()
    if not plain.is_wholly_known():
        return cty.unknown(cty.STRING).mark(marks)
    return cty.string(value_text(plain)).mark(marks)


def _encode_tfvars(value: Value) -> Value:
    plain, marks = value.unmark_deep()
    if not plain.is_wholly_known():
        return cty.unknown(cty.STRING).mark(marks)
    if plain.type.kind not in ("object", "map"):
        raise FunctionError("invalid value to encode: must be an object whose attribute names will become the "
                            "encoded variable names.")
    for name in sorted(plain.v, key=lambda k: k.encode()):
        if not valid_identifier(name):
            raise FunctionError(f"invalid variable name {go_quote(name)}: must be a valid identifier, per "
                                "Terraform's rules for input variable declarations.")
    ordered = {name: plain.v[name] for name in sorted(plain.v, key=lambda k: k.encode())}
    return cty.string(attributes_text(ordered)).mark(marks)


def _decode_tfvars(constant: Callable[[Any], Value], src: Value) -> Value:
    try:
        body = parse_config(src.v, _FILE)
    except HclSyntaxError as error:
        raise FunctionError(f"invalid tfvars syntax: {_where(error.pos)}: {error.summary}; {_hcl_detail(error.detail)}.") \
            from None
    if body.blocks:
        block = body.blocks[0]
        raise FunctionError(f'invalid tfvars content: {_where(block.pos)}: Unexpected "{block.type}" block; Blocks '
                            "are not allowed here..")
    attrs = {}
    for attribute in body.attributes:
        try:
            attrs[attribute.name] = constant(attribute.expr)
        except ValueError as error:  # the evaluator's EvalError
            summary, _, detail = getattr(error, "message", str(error)).partition(": ")
            raise FunctionError(f"invalid expression for variable {go_quote(attribute.name)}: "
                                f"{_where(getattr(error, 'pos', None))}: {summary}; {detail}.") from None
    return cty.object_value(attrs) if attrs else cty.EMPTY_OBJECT


_FOUND = re.compile(r"(An argument definition must end with a newline|An argument or block definition is required "
                    r"here|A block definition must end with a newline), (?:found|not) .*\.$", re.DOTALL)


def _hcl_detail(detail: str) -> str:
    """HCL's own detail: iac's parser says what it found after a few of them (`, found "b".`), HCL does not."""
    return _FOUND.sub(r"\1.", detail)


def _where(pos: object) -> str:
    line, column = getattr(pos, "line", 1), getattr(pos, "column", 1)
    return f"{_FILE}:{line},{column}"


_FUNCTIONS = {
    "encode_expr": Function("encode_expr", (Param("value", allow_unknown=True, allow_marked=True),), None,
                            cty.STRING, _encode_expr),
    "encode_tfvars": Function("encode_tfvars", (Param("value", allow_unknown=True, allow_marked=True),), None,
                              cty.STRING, _encode_tfvars),
    "decode_tfvars": Function("decode_tfvars", (Param("src", cty.STRING),), None, cty.DYNAMIC, _decode_tfvars),
}


def provider_function(namespace: str, name: str, constant: Callable[[Any], Value]) -> Function | None:
    """The function `name` of the built-in provider, named as called (`provider::tf::encode_expr` when the
    module calls the provider `tf`: Terraform's messages use that name); None when it has no such function.
    `constant` evaluates an expression as a `.tfvars` value (the evaluator's, which imports this module;
    it raises a ValueError with the `message` and `pos` of the problem)."""
    function = _FUNCTIONS.get(name)
    if function is None:
        return None
    impl = functools.partial(_decode_tfvars, constant) if name == "decode_tfvars" else function.impl
    return Function(f"{namespace}{name}", function.params, None, function.returns, impl)
