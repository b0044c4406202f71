"""Terraform's built-in functions, called as cty calls them (go-cty `function.Function.Call`).

A function is declared once with `@builtin(...)`: its parameters (type, and whether null, unknown or
marked values may reach the implementation), an optional variadic parameter, and its return type (a
Type, or a function of the argument values for functions whose result type depends on them). `call`
does for every function what cty does, so the implementations stay small:

1. arity: too few or too many arguments is an error;
2. each argument is converted to its parameter's type (an error names the parameter: `Invalid value for
   "count" parameter: a number is required.`);
3. type check, in parameter order: a null argument for a parameter that does not allow null is an error
   ("argument must not be null"); an unknown argument whose type is only dynamic, for a parameter without
   `allow_dynamic`, makes the result an unknown of type dynamic at once (without its
   marks, as cty does); then the return-type function runs and its errors are the call's errors, also
   when some arguments are unknown;
4. an argument that is unknown (at the top: a known list holding unknown elements is known), for a
   parameter that does not allow unknowns, makes the result unknown (of the return type) without calling
   the implementation — with every mark of every argument;
5. marks (sensitive) are removed, deeply, from arguments whose parameter does not allow them and put on
   the result.

The families live in their own modules (numeric, strings, collections, encoding, filesystem, datetime,
crypto, network, conversion); importing this package registers all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

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
    argument at fault, when one is; `summary` is Terraform's own summary where it is not about the call
    failing (a wrong number of arguments, which HCL refuses before calling: the message is then complete)."""

    def __init__(self, message: str, argument: int | None = None, summary: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument
        self.summary = summary


class Param(msgspec.Struct, frozen=True):
    name: str
    type: Type = cty.DYNAMIC
    allow_null: bool = False
    allow_unknown: bool = False
    allow_marked: bool = False
    allow_dynamic: bool = False
    """An unknown argument whose type is only dynamic reaches the implementation (else the result is unknown)."""


class FunctionContext(msgspec.Struct):
    """What some functions need from outside their arguments.

    `base_dir` is the directory relative paths are read from (Terraform: the current working directory
    for `file()` etc. — the caller passes what Terraform would use); `plan_timestamp` is the RFC 3339
    time `plantimestamp()` returns; `render_template(text, vars, file)` evaluates a template for
    `templatefile` (the evaluator injects it: functions do not import the evaluator)."""

    base_dir: Path = msgspec.field(default_factory=Path.cwd)
    plan_timestamp: str = "1970-01-01T00:00:00Z"
    render_template: Callable[[str, Value, str], Value] | None = None
    declared_providers: frozenset[str] = frozenset()
    """Local names in the calling module's required_providers: `provider::NAME::FN` needs NAME declared."""
    evaluated_providers: dict[str, str] = msgspec.field(default_factory=dict)
    """Those of them whose functions iac evaluates, with their provider's address (iac.lang.functions.providers:
    the built-in provider, hashicorp/aws)."""


class Function(msgspec.Struct, frozen=True):
    name: str
    params: tuple[Param, ...]
    variadic: Param | None
    returns: Type | Callable[[Sequence[Value]], Type]
    """The return type, or cty's type function: it gets the converted arguments (possibly unknown; marked
    only where the parameter allows marks) and may raise FunctionError, which is the call's error."""
    impl: Callable[..., Value]
    needs_context: bool = False
    """The implementation takes the FunctionContext as its first argument."""
    known_at_plan: bool = True
    """False for functions Terraform evaluates only at apply (uuid, timestamp, bcrypt): their result is
    unknown during plan, whatever the arguments."""

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
                            f'Missing value for "{missing}".', summary="Not enough function arguments")
    if len(args) > len(params) and function.variadic is None:
        raise FunctionError(f'Function "{function.name}" expects only {len(params)} argument(s).',
                            argument=len(params), summary="Too many function arguments")
    specs: list[Param] = [params[index] if index < len(params) else function.variadic  # type: ignore[misc]
                          for index in range(len(args))]
    converted = [_convert_argument(arg, spec, index) for index, (arg, spec) in enumerate(zip(args, specs, strict=True))]
    return_type = _check_types(function, specs, converted)
    if return_type is None:  # an argument of type dynamic its parameter does not take
        return cty.unknown(cty.DYNAMIC)
    unknown_result = not function.known_at_plan or any(
        not value.is_known and not spec.allow_unknown for value, spec in zip(converted, specs, strict=True))
    result_marks: set[str] = set()
    for index, (value, spec) in enumerate(zip(converted, specs, strict=True)):
        if unknown_result or not spec.allow_marked:
            converted[index], marks = value.unmark_deep()
            result_marks.update(marks)
    if unknown_result:
        return _refined(function, cty.unknown(return_type)).mark(result_marks)
    result = function.impl(context or FunctionContext(), *converted) if function.needs_context else \
        function.impl(*converted)
    return _refined(function, result).mark(result_marks)


NOT_REFINED = frozenset(("tobool", "tonumber", "tostring", "tolist", "toset", "tomap", "jsondecode", "yamldecode",
                         "ephemeralasnull", "one", "element", "lookup", "timeadd", "issensitive", "yamlencode",
                         "decode_tfvars"))
"""Functions whose unknown result is not refined as "not null" (their result may be null); every other
built-in's unknown result is, as cty's RefineResult gives it (checked with `f(uuid()) == null` in Terraform).
A provider function (`provider::NAME::FN`) is looked up by FN."""


def _refined(function: Function, result: Value) -> Value:
    if result.v is not cty.UNKNOWN or function.name.rpartition("::")[2] in NOT_REFINED:
        return result
    return cty.refine_not_null(result)


def _check_types(function: Function, specs: Sequence[Param], args: Sequence[Value]) -> Type | None:
    """cty's ReturnTypeForValues: null checks, the dynamic-argument short cut (None), the return type."""
    seen: list[Value] = []
    for index, (value, spec) in enumerate(zip(args, specs, strict=True)):
        if value.v is None and not spec.allow_null:
            raise FunctionError(f'Invalid value for "{spec.name}" parameter: argument must not be null.',
                                argument=index)
        if value.type.kind == "dynamic" and value.v is not None and not spec.allow_dynamic:
            return None  # (an untyped null does reach the implementation: tolist(null) is a null list)
        seen.append(value if spec.allow_marked else value.unmark_deep()[0])
    if isinstance(function.returns, Type):
        return function.returns
    try:
        return function.returns(seen)
    except FunctionError:
        raise
    except ConversionError as error:
        raise FunctionError(f"{error}.") from error
    except ValueError as error:  # a type function that parses its argument (jsondecode, yamldecode, csvdecode)
        raise FunctionError(str(error)) from error


def _convert_argument(arg: Value, spec: Param, index: int) -> Value:
    if spec.type.kind == "dynamic":
        return arg
    try:
        return cty.convert(arg, spec.type)
    except ConversionError as error:
        # HCL prints cty's error without the path inside the value (`[0]: ...` is not shown)
        raise FunctionError(f'Invalid value for "{spec.name}" parameter: {error.message}.', argument=index) \
            from error


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
