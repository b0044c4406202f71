"""The `${...}` expression subset iac evaluates, compiled once per distinct string.

Every JSON string in Terraform JSON configuration is a template. iac supports:

* literal strings (`$${` and `%%{` escapes give a literal `${` / `%{`);
* references: `var.X`, `local.X`, `module.M[...].OUT`, `TYPE.NAME[...].attr...`, `data.TYPE.NAME...`,
  `each.key`, `each.value...`, `count.index`, `path.module|root|cwd`, `terraform.workspace`, followed by
  `.attr`, `[0]`, `["key"]` steps;
* literal numbers, quoted strings, `true`, `false`, `null` inside `${ }`;
* simple templates mixing text and interpolations (`"etl-${var.env}"`).

A string that is exactly one interpolation keeps the expression's type (`"${local.tags}"` is an
object). Anything else (function calls, operators, conditionals, `for` expressions, splats,
`%{...}` directives) raises `UnsupportedExpression`: the caller turns it into a one-line ConfigError
naming file, address and attribute. iac never guesses a value it cannot compute.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "Literal",
    "Ref",
    "Template",
    "UnsupportedExpression",
    "compile_string",
    "has_template",
    "parse_bare_reference",
    "template_references",
]


class UnsupportedExpression(ValueError):
    """An expression outside the supported subset; the message says what was found, `path` where
    (attribute names and indexes inside the value being read)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.path: list[str | int] = []


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference: `root` and the steps after it (`str` attribute names, `int`/`str` indexes marked by
    `IndexStep`). `text` is the source text, for messages."""

    root: str
    steps: tuple[Any, ...]
    text: str


@dataclass(frozen=True, slots=True)
class IndexStep:
    """`[key]` after a reference: key is an int or a str."""

    key: int | str


@dataclass(frozen=True, slots=True)
class Literal:
    """A constant inside `${ }` (number, string, bool, null)."""

    value: Any


Part = str | Ref | Literal


@dataclass(frozen=True, slots=True)
class Template:
    """A compiled template. `single` is set when the whole string is one interpolation (typed result)."""

    parts: tuple[Part, ...]
    single: Ref | Literal | None = None

    def references(self) -> list[Ref]:
        return [p for p in self.parts if isinstance(p, Ref)]


def has_template(text: str) -> bool:
    """Cheap test: does this string need compiling at all?"""
    return "${" in text or "%{" in text


_cache: dict[str, Template | str] = {}


def compile_string(text: str) -> Template | str:
    """The compiled template, or the plain string itself when it holds no interpolation."""
    if not has_template(text):
        return text
    found = _cache.get(text)
    if found is None:
        found = _compile(text)
        if len(_cache) < 200_000:
            _cache[text] = found
    return found


def _compile(text: str) -> Template | str:
    simple = _SIMPLE_REFERENCE.fullmatch(text)
    if simple:  # "${type.name.attr}": most templates of a generated configuration; no per-character scan
        names = simple.group(1).split(".")
        ref = Ref(names[0], tuple(names[1:]), simple.group(1))
        return Template((ref,), single=ref)
    parts: list[Part] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("$${", i) or text.startswith("%%{", i):
            literal.append(text[i + 1 : i + 3])
            i += 3
        elif text.startswith("%{", i):
            raise UnsupportedExpression(f"template directive {text[i:i + 20]!r}… (%{{if}}/%{{for}}) is not supported")
        elif text.startswith("${", i):
            end = _closing_brace(text, i + 2)
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(_parse_expression(text[i + 2 : end]))
            i = end + 1
        else:
            literal.append(text[i])
            i += 1
    if literal:
        parts.append("".join(literal))
    if len(parts) == 1 and not isinstance(parts[0], str):
        return Template(tuple(parts), single=parts[0])
    if all(isinstance(p, str) for p in parts):
        return "".join(p for p in parts if isinstance(p, str))
    return Template(tuple(parts))


def _closing_brace(text: str, start: int) -> int:
    depth, i, in_string = 0, start, False
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise UnsupportedExpression(f"unterminated interpolation in {text!r}")


_REF = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_SIMPLE_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)+)\}")
"""A whole string that is one reference of dotted names: what `_compile`'s general path would parse the same."""
_STEP = re.compile(r'\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*|\d+)|\[\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\])')
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_ROOTS_WITH_NAME = {"var", "local", "module", "each", "count", "path", "terraform", "self"}


def _parse_expression(source: str) -> Ref | Literal:
    expr = source.strip()
    if expr.startswith("~") or expr.endswith("~"):
        raise UnsupportedExpression(f"whitespace strip markers in ${{{source}}} are not supported")
    literal = _literal(expr)
    if literal is not None:
        return literal
    return parse_bare_reference(expr, what=f"${{{source}}}")


def _literal(expr: str) -> Literal | None:
    if expr in ("true", "false"):
        return Literal(expr == "true")
    if expr == "null":
        return Literal(None)
    if _NUMBER.fullmatch(expr):
        try:
            number = Decimal(expr)
        except InvalidOperation:
            return None
        return Literal(int(number) if number == number.to_integral_value() and "." not in expr and "e" not in expr.lower() else number)
    if len(expr) >= 2 and expr[0] == '"' and expr[-1] == '"' and "${" not in expr:
        try:
            return Literal(json.loads(expr))
        except json.JSONDecodeError:
            return None
    return None


def parse_bare_reference(expr: str, *, what: str | None = None, attribute_path: bool = False) -> Ref:
    """Parse a reference written without `${ }` (depends_on, replace_triggered_by); with
    `attribute_path`, any name may start it (ignore_changes paths such as `tags["team"]`)."""
    what = what or expr
    text = expr.strip()
    match = _REF.match(text)
    if not match:
        raise UnsupportedExpression(f"{what} is not a reference iac can evaluate")
    root = match.group(0)
    steps: list[Any] = []
    pos = match.end()
    while pos < len(text):
        step = _STEP.match(text, pos)
        if not step or step.end() == pos:
            raise UnsupportedExpression(_describe(text, pos, what))
        name, index = step.groups()
        if name is not None:
            steps.append(IndexStep(int(name)) if name.isdigit() else name)
        else:
            steps.append(IndexStep(json.loads(index) if index.startswith('"') else int(index)))
        pos = step.end()
    if not attribute_path and root not in _ROOTS_WITH_NAME and root != "data" and (
            not steps or not isinstance(steps[0], str)):
        raise UnsupportedExpression(f"{what}: {root!r} is not a reference (expected var., local., module., a resource…)")
    return Ref(root, tuple(steps), text)


def _describe(text: str, pos: int, what: str) -> str:
    rest = text[pos:].lstrip()
    if rest.startswith("("):
        return f"{what}: function calls are not supported"
    if rest.startswith("[*]") or rest.startswith(".*"):
        return f"{what}: splat expressions are not supported"
    if any(op in rest for op in ("?", "==", "!=", "&&", "||")):
        return f"{what}: conditionals and operators are not supported"
    return f"{what}: only references, literals and simple templates are supported"


def template_references(value: Any) -> list[Ref]:
    """Every reference in a JSON value's templates (for the dependency graph and `configuration`)."""
    found: list[Ref] = []
    _collect(value, found)
    return found


def _collect(value: Any, found: list[Ref]) -> None:
    if isinstance(value, str):
        if has_template(value):
            compiled = compile_string(value)
            if isinstance(compiled, Template):
                found.extend(compiled.references())
    elif isinstance(value, (dict, list)):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            try:
                _collect(item, found)
            except UnsupportedExpression as error:
                error.path.insert(0, key)
                raise
