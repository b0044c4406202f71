"""Terraform 1.15's deprecation warnings: a child module's variable or output that says `deprecated = "..."`
warns where a caller gives the variable a value, and wherever an expression refers to the output (by name, or
through the whole module object). A root variable given a value warns in iac.config.variables. A pass over
the configuration only when some module deprecates something (none: nothing is walked)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from iac.config.expressions import Ref, UnsupportedExpression, template_references
from iac.config.model import Module
from iac.diagnostics import Diagnostic, Severity
from iac.diff.graph import Graph

__all__ = ["deprecation_warnings"]


def deprecation_warnings(graph: Graph) -> list[Diagnostic]:
    modules = graph.modules.values()
    if not any(o.deprecated for m in modules for o in m.outputs.values()) and not any(
            v.deprecated for m in modules for v in m.variables.values()):
        return []
    warnings: list[Diagnostic] = []
    for path, module in graph.modules.items():
        prefix = "".join(f"module.{name}." for name in path)
        for name, call in module.module_calls.items():
            for input_name in call.inputs:
                var = call.module.variables.get(input_name)
                if var is not None and var.deprecated:
                    warnings.append(Diagnostic(f"Deprecated variable got a value: {var.deprecated}",
                                               severity=Severity.warning, source=call.file,
                                               address=f"{prefix}module.{name}", attribute=input_name))
        for ref, file, address in _references(module):
            for output, message in _deprecated_outputs(module, ref):
                warnings.append(Diagnostic(f"Deprecated value used: {message} (the deprecation originates from "
                                           f"{prefix}module.{ref.steps[0]}.{output})", severity=Severity.warning,
                                           source=file, address=prefix + address))
    return warnings


def _deprecated_outputs(module: Module, ref: Ref) -> list[tuple[str, str]]:
    """The deprecated outputs a `module.NAME[...]` reference reads: the one it names, or all of them."""
    call = module.module_calls.get(ref.steps[0]) if ref.root == "module" and ref.steps else None
    if call is None or not isinstance(ref.steps[0], str):
        return []
    named = [s for s in ref.steps[1:] if isinstance(s, str)][:1]
    outputs = call.module.outputs
    return [(n, o.deprecated) for n, o in outputs.items() if o.deprecated and (not named or named[0] == n)]


def _references(module: Module) -> Iterator[tuple[Ref, str, str]]:
    """Every reference of the module's expressions: (reference, file, address of the block holding it)."""
    for address, res in [*module.resources.items(), *module.ephemerals.items()]:
        for refs in res.templates.values():
            for ref in refs:
                yield ref, res.source or res.file, address
    for name, (expr, file) in module.locals.items():
        yield from _of(expr, file, f"local.{name}")
    for name, out in module.outputs.items():
        yield from _of(out.value, out.file, f"output.{name}")
    for name, call in module.module_calls.items():
        yield from _of(list(call.inputs.values()), call.file, f"module.{name}")


def _of(value: Any, file: str, address: str) -> Iterator[tuple[Ref, str, str]]:
    try:
        refs = template_references(value)
    except UnsupportedExpression:  # the graph reports it, with its place
        return
    for ref in refs:
        yield ref, file, address
