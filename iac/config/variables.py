"""Root module variable values, from the same sources and in the same precedence as Terraform:
declared default < `TF_VAR_name` environment variables < `terraform.tfvars` < `terraform.tfvars.json` <
`*.auto.tfvars` / `*.auto.tfvars.json` (in name order) < `-var-file` files < `-var` options (in order given).

`.tfvars` files are HCL: each value is an expression with no references and no function calls, as
Terraform reads them. Values from the environment and `-var` are strings: for a primitive (or untyped)
variable the string is the value; for a collection or structural type it is parsed as an HCL expression.
Every value is then converted to the declared type with Terraform's conversion rules. Sensitive
variables come back wrapped in `Sensitive`.

A required variable with no value is planned as *unknown* (known after apply) with a warning, instead
of Terraform's error: a preview should work before secrets are provided (`iac plan dev` right after
install); everything that depends on it shows as "(known after apply)".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from iac._jsonio import loads
from iac.config.model import NOT_SET, Module, VariableConfig
from iac.config.static import static_value
from iac.diagnostics import ConfigError, Diagnostic, Severity, listed
from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.hcl import HclSyntaxError, parse_config, parse_expression
from iac.lang.plain import from_plain, to_plain
from iac.lang.typeexpr import apply_defaults
from iac.values import UNKNOWN, Sensitive

__all__ = ["const_variables", "parse_var_option", "resolve_variables", "typed_variable"]


def parse_var_option(text: str) -> tuple[str, str]:
    """`name=value` from a `-var` option."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ConfigError(Diagnostic(f"-var {text!r}: expected NAME=VALUE"))
    return name.strip(), value


def resolve_variables(module: Module, *, cli_vars: Mapping[str, str] | None = None,
                      env: Mapping[str, str] | None = None, var_files: Sequence[str | Path] = (),
                      warnings: list[Diagnostic] | None = None, as_given: dict[str, Any] | None = None) -> dict[str, Any]:
    """The value of every declared root variable (ConfigError for a value that does not fit the type).
    Undeclared `-var` names are an error, as in Terraform; missing required values become unknown and
    are reported in `warnings`. `as_given` receives each given value as it was given, before its type
    converted it (`"7"` from a tfvars file for a number): what Terraform's plan records."""
    raw = _given(module, cli_vars, env, var_files)
    if warnings is not None:
        warnings.extend(Diagnostic(f"Deprecated variable got a value: {module.variables[name].deprecated}",
                                   severity=Severity.warning, source=where, address=f"var.{name}")
                        for name, (_, _, where) in raw.items() if module.variables[name].deprecated)
    values: dict[str, Any] = {}
    missing: list[str] = []
    for name, var in module.variables.items():
        if name not in raw and var.default is NOT_SET:
            missing.append(name)
            values[name] = Sensitive(UNKNOWN) if var.sensitive else UNKNOWN
        else:
            parsed = _parsed(var, raw.get(name))
            values[name] = _value(var, raw.get(name), parsed)
            if as_given is not None and name in raw:  # a default: as converted, as Terraform converts defaults
                as_given[name] = Sensitive(parsed) if var.sensitive else parsed
    if warnings is not None and missing:
        warnings.extend(_missing_value_warnings(module, missing))
    return values


def _given(module: Module, cli_vars: Mapping[str, str] | None, env: Mapping[str, str] | None,
           var_files: Sequence[str | Path]) -> dict[str, tuple[Any, bool, str]]:
    """name -> (value, value_is_string, where) of every root variable given a value, the last source winning."""
    raw: dict[str, tuple[Any, bool, str]] = {}
    for name in module.variables:  # looked up, not scanned: a fleet's environment holds thousands of TF_VAR_s
        value = (env or {}).get(f"TF_VAR_{name}")
        if value is not None:
            raw[name] = (value, True, f"environment variable TF_VAR_{name}")
    for file in [*_tfvars_files(module.dir), *map(Path, var_files)]:
        for name, value in _read_tfvars(file).items():
            raw[name] = (value, False, str(file))
    for name, value in (cli_vars or {}).items():
        if name not in module.variables:
            raise ConfigError(Diagnostic(f"-var {name}: no variable named {name!r} is declared", address=f"var.{name}"))
        raw[name] = (value, True, f"-var {name}")
    return raw


def const_variables(module: Module, *, cli_vars: Mapping[str, str] | None = None,
                    env: Mapping[str, str] | None = None, var_files: Sequence[str | Path] = ()) -> dict[str, Value]:
    """The typed value of every `const` root variable, from the same sources as `resolve_variables`: needed
    while the configuration is read (a module source may use them), so a missing one is Terraform's error,
    never an unknown."""
    raw = _given(module, cli_vars, env, var_files)
    values: dict[str, Value] = {}
    for name, var in module.variables.items():
        if not var.const:
            continue
        if name not in raw and var.default is NOT_SET:
            raise ConfigError(Diagnostic(
                f'No value for required variable: The root module input variable "{name}" is not set, and has no '
                "default value. Use a -var or -var-file command line argument to provide a value for this variable.",
                source=var.site or var.file, address=f"var.{name}"))
        values[name] = typed_variable(var, _value(var, raw.get(name)))
    return values


def _missing_value_warnings(module: Module, missing: list[str]) -> list[Diagnostic]:
    """One warning for all variables without a value, naming the first few."""
    how = "set -var, TF_VAR_<name> or a .tfvars file; planned as known after apply"
    source = module.variables[missing[0]].file
    if len(missing) == 1:
        return [Diagnostic(f"no value given ({how.replace('<name>', missing[0])})", severity=Severity.warning,
                           source=source, address=f"var.{missing[0]}")]
    names = listed([f"var.{name}" for name in missing])
    return [Diagnostic(f"{len(missing)} variables have no value ({names}): {how}",
                       severity=Severity.warning, source=source)]


def _tfvars_files(directory: Path) -> list[Path]:
    """The variable files Terraform loads by itself, in its order."""
    if not directory.is_dir():  # a synthesized document's directory need not exist
        return []
    files = [directory / name for name in ("terraform.tfvars", "terraform.tfvars.json") if (directory / name).is_file()]
    auto = [p for p in directory.iterdir() if p.is_file() and p.name.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return files + sorted(auto, key=lambda p: p.name)


def _read_tfvars(file: Path) -> dict[str, Any]:
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ConfigError(Diagnostic(f"cannot read variables file: {error}", source=str(file))) from error
    if not file.name.endswith(".json"):
        return _read_hcl_tfvars(data, file)
    try:
        document = loads(data)
    except json.JSONDecodeError as error:
        raise ConfigError(Diagnostic(f"cannot read variables file: {error}", source=str(file))) from error
    if not isinstance(document, dict):
        raise ConfigError(Diagnostic("a .tfvars.json file must hold one JSON object", source=str(file)))
    return {k: v for k, v in document.items() if k != "//"}


def _read_hcl_tfvars(data: bytes, file: Path) -> dict[str, Any]:
    try:
        body = parse_config(data.decode("utf-8"), str(file))
    except UnicodeDecodeError as error:
        raise ConfigError(Diagnostic(f"cannot read variables file: {error}", source=str(file))) from error
    except HclSyntaxError as error:
        raise ConfigError(Diagnostic(error.message, source=str(error.pos))) from error
    if body.blocks:
        raise ConfigError(Diagnostic("Unexpected block: Blocks are not allowed here.", source=str(body.blocks[0].pos)))
    return {attribute.name: to_plain(static_value(attribute.expr, str(attribute.pos))) for attribute in body.attributes}


def null_refused(var: VariableConfig, address: str) -> str:
    """Terraform's refusal of a null value for a `nullable = false` variable without a default."""
    return (f"Required variable not set: The given value is not suitable for {address} defined at {var.file}: "
            "required variable may not be set to null.")


def _parsed(var: VariableConfig, given: tuple[Any, bool, str] | None) -> Any:
    """The value as given (a string parsed as its type asks), or the default."""
    if given is None:
        return var.default
    return _from_string(var, given[0], given[2]) if given[1] else given[0]


def _value(var: VariableConfig, given: tuple[Any, bool, str] | None, parsed: Any = NOT_SET) -> Any:
    """The variable's value: `parsed` (`_parsed` when not given) with a null refused or replaced by the
    default, converted to the declared type."""
    where = given[2] if given else var.file
    value = _parsed(var, given) if parsed is NOT_SET else parsed
    if value is None and not var.nullable:  # a null given: the default, if there is one
        if var.default is NOT_SET:
            raise ConfigError(Diagnostic(null_refused(var, f"var.{var.name}"), source=where, address=f"var.{var.name}"))
        value = var.default
    if var.type is not None:
        try:
            value = to_plain(cty.convert(apply_defaults(from_plain(value), var.defaults), cty.type_from_json(var.type)))
        except cty.ConversionError as error:
            raise ConfigError(Diagnostic(f"Invalid value for input variable: {error}.", source=where,
                                         address=f"var.{var.name}")) from error
    return Sensitive(value) if var.sensitive else value


def _from_string(var: VariableConfig, text: str, where: str) -> Any:
    """A string from the environment or `-var`: the value itself for a primitive or untyped variable, else
    an HCL expression (Terraform: `-var 'subnets=["a", "b"]'`)."""
    if var.type is None or isinstance(var.type, str):
        return text
    try:
        expr = parse_expression(text, where)
    except HclSyntaxError as error:
        raise ConfigError(Diagnostic(f"Invalid value for input variable: {error.message}", source=where,
                                     address=f"var.{var.name}")) from error
    return to_plain(static_value(expr, where))


def typed_variable(var: VariableConfig, value: Any) -> Value:
    """A variable's value as the language sees it: converted to its declared type (a list(string) is a
    list, not a tuple; a set is ordered and deduplicated), marked sensitive when declared so."""
    typed = value if isinstance(value, Value) else from_plain(value)
    if var.type is not None:
        try:
            typed = cty.convert(apply_defaults(typed, var.defaults), cty.type_from_json(var.type))
        except cty.ConversionError as error:
            raise ConfigError(Diagnostic(f"Invalid value for variable: {error}.", source=var.file,
                                         address=f"var.{var.name}")) from error
    marks = {cty.SENSITIVE} if var.sensitive else set()
    if var.ephemeral:
        marks.add(cty.EPHEMERAL)
    return typed.mark(marks) if marks else typed
