"""Terraform's built-in functions, called as cty calls them (go-cty `function.Function.Call`).

A function is declared once with `@builtin(...)`: its parameters (type, and whether null, unknown or
marked values may reach the implementation), an optional variadic parameter, and its return type (a
Type, or a function of the argument values for functions whose result type depends on them). `call`
does for every function what cty does, so the implementations stay small:

1. arity: too few or too many arguments is an error;
2. each argument is converted to its parameter's type (an error names the parameter: `Invalid value for
   "count" parameter: a number is required.`);
3. a null argument for a parameter that does not allow null is an error ("argument must not be null");
4. an argument that is not wholly known, for a parameter that does not allow unknowns, makes the result
   unknown (of the return type) without calling the implementation;
5. marks (sensitive) are removed from arguments whose parameter does not allow them and put on the result.

The families live in their own modules (numeric, strings, collections, encoding, filesystem, datetime,
crypto, network, conversion); importing this package registers all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from iac.lang import cty
from iac.lang.cty import ConversionError, Type, Value

__all__ = [
    "FUNCTIONS",
    "Function",
    "FunctionContext",
    "FunctionError",
    "Param",
    "builtin",
    "call",
]


class FunctionError(ValueError):
    """A call Terraform refuses. `message` is Terraform's wording without the function name (the
    evaluator adds `Error in function call: "NAME"` context); `argument` is the 0-based index of the
    argument at fault, when one is."""

    def __init__(self, message: str, argument: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    type: Type = cty.DYNAMIC
    allow_null: bool = False
    allow_unknown: bool = False
    allow_marked: bool = False
    allow_dynamic: bool = False
    """An argument whose type is only dynamic (an untyped unknown or null) reaches the implementation."""


@dataclass
class FunctionContext:
    """What some functions need from outside their arguments.

    `base_dir` is the directory relative paths are read from (Terraform: the current working directory
    for `file()` etc. — the caller passes what Terraform would use); `plan_timestamp` is the RFC 3339
    time `plantimestamp()` returns; `render_template(text, vars, file)` evaluates a template for
    `templatefile` (the evaluator injects it: functions do not import the evaluator)."""

    base_dir: Path = field(default_factory=Path.cwd)
    plan_timestamp: str = "1970-01-01T00:00:00Z"
    render_template: Callable[[str, Value, str], Value] | None = None


@dataclass(frozen=True)
class Function:
    name: str
    params: tuple[Param, ...]
    variadic: Param | None
    returns: Type | Callable[[Sequence[Value]], Type]
    impl: Callable[..., Value]
    needs_context: bool = False
    """The implementation takes the FunctionContext as its first argument."""
    known_at_plan: bool = True
    """False for functions Terraform evaluates only at apply (uuid, timestamp, bcrypt): their result is
    unknown during plan, whatever the arguments."""

    def return_type_strict(self, args: Sequence[Value]) -> Type:
        """The return type for these arguments; the type function's FunctionError propagates."""
        if isinstance(self.returns, Type):
            return self.returns
        try:
            return self.returns(args)
        except ConversionError:
            return cty.DYNAMIC

    def return_type(self, args: Sequence[Value]) -> Type:
        if isinstance(self.returns, Type):
            return self.returns
        try:
            return self.returns(args)
        except (FunctionError, ConversionError):
            return cty.DYNAMIC


FUNCTIONS: dict[str, Function] = {}
"""Every built-in function by name (filled by the family modules)."""


def builtin(name: str, params: Sequence[Param] = (), *, variadic: Param | None = None,
            returns: Type | Callable[[Sequence[Value]], Type] = cty.DYNAMIC, needs_context: bool = False,
            known_at_plan: bool = True) -> Callable[[Callable[..., Value]], Callable[..., Value]]:
    """Register the decorated implementation as the function `name`. The implementation receives the
    converted argument values positionally (variadic ones as the remaining positional arguments)."""

    def register(impl: Callable[..., Value]) -> Callable[..., Value]:
        if name in FUNCTIONS:
            raise ValueError(f"function {name!r} registered twice")
        FUNCTIONS[name] = Function(name, tuple(params), variadic, returns, impl, needs_context, known_at_plan)
        return impl

    return register


def call(function: Function, args: Sequence[Value], context: FunctionContext | None = None) -> Value:
    """Call `function` as cty does (see the module docstring)."""
    params = function.params
    if len(args) < len(params):
        missing = params[len(args)].name
        raise FunctionError(f'Function "{function.name}" expects {len(params)} argument(s). Missing value for '
                            f'"{missing}".' if function.variadic is None else
                            f'Function "{function.name}" expects at least {len(params)} argument(s). '
                            f'Missing value for "{missing}".')
    if len(args) > len(params) and function.variadic is None:
        raise FunctionError(f'Function "{function.name}" expects only {len(params)} argument(s).',
                            argument=len(params))
    # HCL converts every argument before cty checks any for null: a conversion error comes first
    converted = [_convert_argument(arg, _spec(function, index), index) for index, arg in enumerate(args)]
    result_marks: set[str] = set()
    unknown_result = not function.known_at_plan
    type_checked = True  # cty's ReturnTypeForValues stops at an argument of only dynamic type
    for index, value in enumerate(converted):
        spec = _spec(function, index)
        if not spec.allow_marked:
            value, marks = value.unmark_deep()
            result_marks.update(marks)
            converted[index] = value
        if type_checked and value.v is None and not spec.allow_null:
            raise FunctionError(f'Invalid value for "{spec.name}" parameter: argument must not be null.',
                                argument=index)
        if value.type.kind == "dynamic" and not spec.allow_dynamic:
            type_checked = False
        if not spec.allow_unknown and not value.is_wholly_known():
            unknown_result = True
    expected: Type | None = None
    if type_checked and not isinstance(function.returns, Type):
        # cty runs the return-type function before anything else: its errors are the call's, even when
        # other arguments are unknown (`parseint(12, length(uuid()))` is an error)
        expected = function.return_type_strict(converted)
    if unknown_result:
        return cty.unknown(expected or function.return_type(converted)).mark(result_marks)
    result = function.impl(context or FunctionContext(), *converted) if function.needs_context else \
        function.impl(*converted)
    return result.mark(result_marks)


def _spec(function: Function, index: int) -> Param:
    spec = function.params[index] if index < len(function.params) else function.variadic
    assert spec is not None
    return spec


def _convert_argument(arg: Value, spec: Param, index: int) -> Value:
    if spec.type.kind == "dynamic":
        return arg
    try:
        return cty.convert(arg, spec.type)
    except ConversionError as error:
        raise FunctionError(f'Invalid value for "{spec.name}" parameter: {error}.', argument=index) from error


def lookup_function(name: str) -> Function | None:
    """The built-in function `name` (families are imported on first use)."""
    _load_families()
    return FUNCTIONS.get(name)


_LOADED = False


def _load_families() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib

    for family in ("numeric", "strings", "collections", "encoding", "filesystem", "datetime", "crypto", "network",
                   "conversion"):
        try:
            importlib.import_module(f"iac.lang.functions.{family}")
        except ModuleNotFoundError as error:  # a family not written yet
            if error.name != f"iac.lang.functions.{family}":
                raise


def describe_call_error(name: str, error: FunctionError) -> str:
    """One line as Terraform words it: `Invalid function argument: ...` / `Error in function call: ...`."""
    return f'Call to function "{name}" failed: {error.message}'
