"""The diff engine: (Terraform JSON module, prior state, schemas, options) -> Plan. A pure function.

Steps, in Terraform's order:
1. build the static dependency graph (iac.diff.graph) and order it; a cycle is an error naming it;
2. resolve root variables; index prior state and apply moved blocks (iac.diff.moves);
3. walk the graph in order, per module instance: expand module calls, evaluate variables, locals and
   outputs, and plan every resource instance against its prior object (iac.diff.instance) — so a
   reference always sees the *planned* value of what it names (known when unchanged, Unknown where the
   provider will decide), which is how unknowns propagate;
4. plan what is left in state (iac.diff.orphans): deletes with Terraform's reasons, removed blocks,
   deposed objects; or, in destroy mode, delete everything;
5. refuse the plan if it destroys an instance whose block says prevent_destroy.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from iac.config.dynamic import expand_dynamic
from iac.config.evaluate import EvaluationError, evaluate, evaluate_typed
from iac.config.expressions import IndexStep
from iac.config.model import NOT_SET, Module, OutputConfig, ResourceConfig
from iac.config.schemacheck import check_block, check_ignore_changes
from iac.config.triggers import RepetitionKey
from iac.config.variables import null_refused, resolve_variables, typed_variable
from iac.diagnostics import ConfigError, Diagnostic, PlanError, Severity
from iac.diff import orphans
from iac.diff.checkresults import PASS, UNKNOWN, CheckRecorder, condition_status, destroy_plan_results, evaluate_checks
from iac.diff.customize import PROVIDER_ARGUMENTS
from iac.diff.datadeps import data_dependencies
from iac.diff.datasources import DataRead, ReadError, data_planner
from iac.diff.deprecation import deprecation_warnings
from iac.diff.ephemeral import check_ephemeral_block, ephemeral_value
from iac.diff.graph import Graph, Node, build_graph
from iac.diff.instance import ResourceContext, plan_instance
from iac.diff.moves import PriorIndex, check_moved_instances, index_state
from iac.diff.outputs import plan_outputs
from iac.diff.providerargs import ProviderArgumentsOf
from iac.diff.providerconfig import ProviderCheck
from iac.diff.providers import planner_for
from iac.diff.scope import EngineScope, Expansion, Values, expand, repetition
from iac.diff.targets import Targeting, parse_targets, select_targets, unmatched_replacements
from iac.diff.typeplanner import ShapeError
from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.evaluate import render_template
from iac.lang.functions import FunctionContext
from iac.lang.functions.providers import EVALUATED_SOURCES, qualified_source
from iac.lang.typeexpr import apply_defaults
from iac.plan.model import _NO_REASONS, Action, Mode, Plan, PlanMeta, Reason, ResourceChange
from iac.schema import SchemaSet, load_schemas, provider_source
from iac.state.address import AddressError, InstanceAddress, ModuleInstance, instance_sort_key, parse_address
from iac.state.model import State
from iac.state.typed import types_beyond_json_read
from iac.values import UNKNOWN_MAP, Sensitive, TypedObject, format_path, get_path, mark, strict_equal, unmark

__all__ = ["PlanOptions", "plan"]


@dataclass(frozen=True)
class PlanOptions:
    """How to plan: `mode`, `--replace` addresses, `-var` values, the environment (for TF_VAR_*), and
    facts for the plan JSON's `iac` key."""

    mode: Mode = Mode.NORMAL
    replace: tuple[str, ...] = ()
    variables: Mapping[str, str] = field(default_factory=dict)
    env: Mapping[str, str] = field(default_factory=dict)
    var_files: tuple[str, ...] = ()
    meta: PlanMeta = field(default_factory=PlanMeta)
    targets: tuple[str, ...] = ()
    """`-target` addresses: plan only these and what they depend on (iac.diff.targets)."""
    workspace: str = "default"
    """The selected Terraform workspace: `terraform.workspace` (iac.config.workspace)."""


def plan(module: Module, state: State, schemas: SchemaSet | None = None,
         options: PlanOptions | None = None) -> Plan:
    """Plan `module` against `state` (see the module docstring). Raises ConfigError for configuration
    iac cannot evaluate and PlanError for a refused plan (cycle, prevent_destroy, unknown count)."""
    return _Engine(module, state, schemas or load_schemas(), options or PlanOptions()).run()


class _Engine:
    def __init__(self, module: Module, state: State, schemas: SchemaSet, options: PlanOptions) -> None:
        self.module, self.state, self.schemas, self.options = module, state, schemas, options
        self.values = Values()
        self.instances: dict[tuple[str, ...], list[ModuleInstance]] = {(): [()]}
        self.changes: dict[InstanceAddress, ResourceChange] = {}
        self.warnings: list[Diagnostic] = []
        self._contexts: dict[tuple[Any, ...], ResourceContext | dict[Any, ResourceContext]] = {}
        self.targeting: Targeting | None = None
        self.data_reads: dict[InstanceAddress, DataRead] = {}
        self._data_dependencies: dict[tuple[tuple[str, ...], str], set[Node]] = {}
        self._resource_dependencies: dict[Node, set[Node]] | None = None
        self._prior_by_resource: dict[Node, list[InstanceAddress]] | None = None
        self._position: dict[Node, int] | None = None
        self.checks: CheckRecorder | None = None
        self.module_outputs: list[tuple[ModuleInstance, str]] = []

    def run(self) -> Plan:
        graph = build_graph(self.module)
        self.graph = graph
        _check_blocks(graph, self.schemas)
        self.warnings.extend(deprecation_warnings(graph))
        self.as_given: dict[str, Any] = {}
        variables = resolve_variables(self.module, cli_vars=self.options.variables, env=self.options.env,
                                      var_files=self.options.var_files, warnings=self.warnings, as_given=self.as_given)
        for name, value in variables.items():
            self.values.put(((), "var", name), typed_variable(self.module.variables[name], value),
                            isinstance(value, Sensitive))
        self.values.dirs[()] = self.module.dir
        self.values.workspace = self.options.workspace
        self.values.schemas = self.schemas
        self.values.functions = _function_context(self.module.dir)
        self._declare_providers((), self.module)
        self.prior: PriorIndex = index_state(self.state, graph.modules)
        providers = ProviderCheck(graph.modules)
        self.providers = providers if providers else None  # asked per instance: is there any to check (6 ms at 100k)
        self.provider_arguments = ProviderArgumentsOf(graph.modules)
        self.gone: dict[str, str] = {}
        self.warnings.extend(self.prior.warnings)
        self.replace = self._replace_addresses()
        self._imported: dict[tuple[tuple[str, ...], str, str, str], dict[InstanceAddress, str]] = {}
        self.cbd = _create_before_destroy(graph)
        destroy = self.options.mode is Mode.DESTROY
        targeting = self.targeting = _targeting(graph, self.options, destroy)
        known = [*self.prior.current, *(a for a, _, _ in self.prior.deposed)] if targeting or self.replace else []
        if targeting is not None and not destroy:
            targeting.check_moves(self.prior)
        # checks are looked at only where there is something to check; a destroy plan evaluates none
        recorder = CheckRecorder(graph.modules, graph.conditioned, complete=not destroy and targeting is None)
        self.checks = recorder if recorder and not destroy else None
        for node in graph.order:
            if targeting is None or targeting.evaluates(node) or (
                    node[1] == "validation" and all(targeting.evaluates(d) for d in graph.deps[node])):
                self._evaluate(node, plan_resources=not destroy)
        if not destroy and targeting is None:
            check_moved_instances(graph.modules, self.changes, self.instances)
        if self.checks is not None and targeting is None:  # a targeted plan evaluates no check block
            self.warnings.extend(evaluate_checks(self.checks, graph.modules, self.instances, self.values))
        if destroy:
            changes = orphans.destroy_all(self.prior, self.schemas)
            if targeting is not None:
                changes = targeting.destroying(changes, self.prior)
        else:
            left = orphans.plan_orphans(self.prior, graph, self.instances, self.schemas)
            if targeting is not None:  # objects of blocks left out stay in the index; only targeted ones go
                left = [change for change in left if targeting.selects(change)]
            changes = list(self.changes.values()) + left
        changes.sort(key=lambda rc: (instance_sort_key(rc.address), rc.deposed or ""))
        if targeting is not None:
            targeting.check_matched(changes, graph, [*known, *self.changes])
            self.warnings.append(targeting.warning())
        if self.replace and not destroy:
            unmatched_replacements(self.options.replace, changes, [*known, *self.changes], targeted=targeting is not None)
        orphans.check_prevent_destroy(changes, graph)
        kept = sorted((a for a, read in self.data_reads.items() if read.how == "state"), key=instance_sort_key)
        if kept:
            self.warnings.append(Diagnostic(
                "not re-read (iac cannot call the provider; the value in state is used, the configuration is "
                "unchanged): " + ", ".join(str(a) for a in kept), severity=Severity.warning))
        return Plan(
            mode=self.options.mode, resource_changes=tuple(changes),
            output_changes=plan_outputs(self.module, self.state, self.values, destroy,
                                        only=None if targeting is None else targeting.outputs),
            prior_state=self.state,
            variables={n: (v.value if isinstance(v, Sensitive) else v, isinstance(v, Sensitive))
                       for n, v in ((n, self.as_given.get(n, v)) for n, v in variables.items())},
            configuration=self.module, apply_order=orphans.apply_order(changes, graph),
            diagnostics=tuple(self.warnings), meta=self.options.meta, gone=self.gone,
            target_dependencies=() if targeting is None else tuple(
                str(c.address) for c in changes if c.deposed is None and not targeting.selects(c)),
            data_reads={address: (read.how, read.value) for address, read in self.data_reads.items()},
            checks=(destroy_plan_results(recorder, targeting is not None) if destroy and recorder
                    else self.checks.results() if self.checks is not None else ()),
            read_secrets=tuple(secret for read in self.data_reads.values() for secret in read.secrets),
            module_outputs=tuple(self.module_outputs),
        )

    # -- graph nodes ------------------------------------------------------------------------------

    def _evaluate(self, node: Node, *, plan_resources: bool) -> None:
        path, kind, name = node
        module = self.graph.modules[path]
        for instance in self.instances.get(path, []):
            if kind == "resource":  # first: nearly every node of a large configuration is a resource
                self._resource(instance, module.resources[name], plan_resources)
            elif kind == "var" and path:
                self._child_variable(instance, module, name)
            elif kind == "local":
                expr, file = module.locals[name]
                self._store(instance, "local", name, expr, file, f"local.{name}")
            elif kind == "output":
                if path and plan_resources:  # Terraform records each as a change (none in a destroy plan)
                    self.module_outputs.append((instance, name))
                out = module.outputs[name]
                if out.conditions:
                    status = self._check_conditions([("output", c, m) for _, c, m in out.conditions], "output",
                                                    EngineScope(self.values, instance), out.file,
                                                    _prefix(instance, f"output.{name}"))
                    if self.checks is not None:
                        self.checks.report(path, "output_value", name, instance, status)
                value = self._store(instance, "output", name, out.value, out.file, f"output.{name}")
                if out.type is not None:
                    value = self._typed_output(instance, out, value)
                _check_ephemeral_output(out, instance, value)
            elif kind == "module":
                self._expand_call(instance, module, name)
            elif kind == "ephemeral":
                self._ephemeral(instance, module.ephemerals[name])
            elif kind == "validation":
                self._validate_variables(instance, module, (name,))

    def _store(self, instance: ModuleInstance, kind: str, name: str, expr: Any, file: str, label: str,
               scope: EngineScope | None = None) -> Any:
        scope = scope or EngineScope(self.values, instance)
        try:
            value = evaluate_typed(expr, scope)
        except EvaluationError as error:
            raise _config_error(error, file, _prefix(instance, label)) from error
        self.values.put((instance, kind, name), value, value.has_marks_deep())
        return value

    def _typed_output(self, instance: ModuleInstance, out: OutputConfig, value: Value) -> Value:
        """An output with a `type` (Terraform 1.15): its value converted to the type, optional attributes'
        defaults filled in, as a variable's is; a value that does not fit is Terraform's error."""
        try:
            value = cty.convert(apply_defaults(value, out.defaults), cty.type_from_json(out.type))
        except cty.ConversionError as error:
            raise ConfigError(Diagnostic(f"Invalid output value: The value expression does not match this output "
                                         f"value's type constraint: {error}.", source=out.file,
                                         address=_prefix(instance, f"output.{out.name}"))) from error
        self.values.put((instance, "output", out.name), value, value.has_marks_deep())
        return value

    def _child_variable(self, instance: ModuleInstance, module: Module, name: str) -> None:
        parent, (call_name, key) = instance[:-1], instance[-1]
        call = self.graph.modules[tuple(n for n, _ in parent)].module_calls[call_name]
        var = module.variables[name]
        expansion, _ = self.values.calls[(parent, call_name)]
        scope = EngineScope(self.values, parent, **repetition(expansion, key))
        expr = call.inputs.get(name, NOT_SET)
        if expr is NOT_SET:
            if var.default is NOT_SET:
                raise ConfigError(Diagnostic(f"module input {name!r} is required", source=call.file,
                                             address=_prefix(parent, f"module.{call_name}")))
            expr = var.default
        value = self._store(instance, "var", name, expr, call.file, f"module.{call_name}.{name}", scope)
        if value.v is None and not var.nullable:  # a null given: the default, if there is one (as Terraform)
            if var.default is NOT_SET:
                address = _prefix(parent, f"module.{call_name}")
                raise ConfigError(Diagnostic(null_refused(var, f"{address}.var.{name}"), source=call.file,
                                             address=address, attribute=name))
            value = self._store(instance, "var", name, var.default, call.file, f"module.{call_name}.{name}", scope)
        if not var.ephemeral and _ephemeral(value):
            raise ConfigError(Diagnostic("Ephemeral value not allowed: This input variable is not declared as accepting "
                                         "ephemeral values, so it cannot be set to a result derived from an ephemeral "
                                         "value.", source=call.file, address=_prefix(parent, f"module.{call_name}"),
                                         attribute=name))
        try:
            value = typed_variable(var, value)
        except ConfigError as error:
            raise ConfigError(*(d.at(source=call.file, address=_prefix(parent, f"module.{call_name}"),
                                     attribute=name) for d in error.diagnostics)) from error
        self.values.put((instance, "var", name), value, value.has_marks_deep())

    def _validate_variables(self, instance: ModuleInstance, module: Module, names: Iterable[str]) -> None:
        """Each variable's validation blocks, as Terraform checks them during plan, once what they refer to is
        known (a graph node of their own: since Terraform 1.9 a condition may refer to other variables, locals,
        resources): a known false condition is an error with the block's error_message; an unknown one is
        checked at apply."""
        scope = EngineScope(self.values, instance)
        for name in names:
            var = module.variables[name]
            status = PASS
            for condition, message in var.validations:
                try:
                    result = evaluate_typed(condition, scope).unmark_deep()[0]
                    if result.v is None or result.v is cty.UNKNOWN:
                        status = UNKNOWN
                        continue
                    if cty.convert(result, cty.BOOL).v is False:
                        text = evaluate_typed(message, scope).unmark_deep()[0]
                        shown = text.v if isinstance(text.v, str) else "validation failed"
                        raise ConfigError(Diagnostic(f"Invalid value for variable: {shown}", source=var.file,
                                                     address=_prefix(instance, f"var.{name}")))
                except EvaluationError as error:
                    raise _config_error(error, var.file, _prefix(instance, f"var.{name}")) from error
                except cty.ConversionError as error:
                    raise ConfigError(Diagnostic(f"Invalid validation condition: {error}", source=var.file,
                                                 address=_prefix(instance, f"var.{name}"))) from error
            if self.checks is not None:
                self.checks.report(tuple(n for n, _ in instance), "var", name, instance, status)

    def _expand_call(self, instance: ModuleInstance, module: Module, name: str) -> None:
        call = module.module_calls[name]
        scope = EngineScope(self.values, instance)
        expansion = expand(call.count, call.for_each, scope, call.file, _prefix(instance, f"module.{name}"))
        children = [(*instance, (name, key)) for key in expansion.keys]
        self.values.calls[(instance, name)] = (expansion, children)
        static = (*(n for n, _ in instance), name)
        self.instances.setdefault(static, []).extend(children)
        for child in children:
            self.values.dirs[child] = call.module.dir
            self._declare_providers(child, call.module)

    def _declare_providers(self, instance: ModuleInstance, module: Module) -> None:
        """The provider functions `instance`'s expressions may call: those of the providers its module declares."""
        if not module.required_providers:
            return
        declared = frozenset(module.required_providers)
        sources = {name: qualified_source(name, written) for name, written in module.required_providers.items()}
        evaluated = {name: source for name, source in sources.items() if source in EVALUATED_SOURCES}
        self.values.module_functions[instance] = msgspec.structs.replace(
            self.values.functions, declared_providers=declared, evaluated_providers=evaluated)

    # -- resources --------------------------------------------------------------------------------

    def _resource(self, instance: ModuleInstance, res: ResourceConfig, plan_resources: bool) -> None:
        context = self._context(instance, res) if res.mode == "managed" and plan_resources else None
        if res.count is NOT_SET and res.for_each is NOT_SET:  # one instance (nearly every block of a large estate)
            # With nothing to evaluate (no template, no trigger) it shares one idle scope.
            idle = not res.templates and not res.lifecycle.replace_triggered_by and not res.lifecycle.conditions
            scope = _IDLE_SCOPE if idle else EngineScope(self.values, instance)
            value, marked = self._instance_value(InstanceAddress(instance, res.mode, res.type, res.name, None),
                                                 res, scope, context)
            self.values.put((instance, "resource", res.address), value, marked)
            return
        scope = EngineScope(self.values, instance)
        expansion = expand(res.count, res.for_each, scope, res.file, _prefix(instance, res.address))
        self.values.repetition[(instance, res.address)] = expansion.mode
        if self.checks is not None and res.lifecycle.conditions:
            self.checks.expanded(tuple(n for n, _ in instance), res.address)
        objects: list[Any] = []
        any_marked = False
        for key in expansion.keys:
            scope = EngineScope(self.values, instance, **repetition(expansion, key))
            value, marked = self._instance_value(InstanceAddress(instance, res.mode, res.type, res.name, key),
                                                 res, scope, context)
            objects.append(value)
            any_marked = any_marked or marked
        self.values.put((instance, "resource", res.address), _aggregate(expansion, objects), any_marked)

    def _ephemeral(self, instance: ModuleInstance, res: ResourceConfig) -> None:
        """An `ephemeral` block: Terraform opens it while planning (a provider call iac cannot make) and plans
        nothing for it. What refers to it sees, per instance, its configured arguments with every other
        attribute unknown, marked ephemeral (and sensitive where its schema says so)."""
        schema = self.schemas.of("ephemeral", res.type)
        if schema is None:
            warning = (f"no schema for ephemeral resource {res.type}: its arguments are not checked, and every "
                       "attribute is unknown to iac")
            if not any(w.summary == warning for w in self.warnings):
                self.warnings.append(Diagnostic(warning, severity=Severity.warning, source=res.file))
        scope = EngineScope(self.values, instance)
        expansion = expand(res.count, res.for_each, scope, res.file, _prefix(instance, res.address))
        objects = []
        for key in expansion.keys:
            scope = EngineScope(self.values, instance, **repetition(expansion, key))
            body, marks = self._evaluated_body(_prefix(instance, res.address), res, scope, ephemeral=True)
            objects.append(ephemeral_value(mark(body, marks) if marks else body, schema))
        value = (objects[0] if expansion.mode == "single" else cty.tuple_value(objects) if expansion.mode == "count"
                 else cty.object_value(dict(zip([str(k) for k in expansion.keys], objects, strict=True))))
        self.values.put((instance, "ephemeral", res.address), value, True)

    def _instance_value(self, address: InstanceAddress, res: ResourceConfig, scope: EngineScope,
                        context: ResourceContext | None) -> tuple[Any, bool]:
        """The value references to this instance see (planned, or prior/unknown when not planned)."""
        if context is None or (self.targeting is not None and not self.targeting.plans(address)):
            if context is None and res.mode == "data" and self.options.mode is not Mode.DESTROY:
                return self._plan_data_instance(address, res, scope)
            if context is not None and res.lifecycle.conditions:  # an instance the target leaves out
                self._report(address, res, UNKNOWN)
            return self._unplanned_value(address, res), False
        change = self._plan_resource_instance(address, res, scope, context)
        after = change.after if change.after_types is None else TypedObject(change.after, dict(change.after_types))
        if change.after_sensitive:
            return mark(after, change.after_sensitive), True
        return after, False

    def _unplanned_value(self, address: InstanceAddress, res: ResourceConfig) -> Any:
        """Data sources (iac cannot read them: the state's last value, else unknown) and, in destroy mode,
        resources (their prior value)."""
        found = self.prior.data.get(address) if res.mode == "data" else self.prior.current.get(address)
        if found is None:
            return UNKNOWN_MAP
        obj = found[1] if isinstance(found, tuple) else found.obj
        if res.mode == "data":
            return data_planner(res.type, self.schemas).stored(obj.attributes)
        planner = planner_for(res.type, self.schemas)
        types = planner.stored_types(obj) if planner.keeps_types and types_beyond_json_read() else None
        return planner.prior_value(obj) if types is None else TypedObject(planner.prior_value(obj), types)

    def _context(self, instance: ModuleInstance, res: ResourceConfig) -> ResourceContext:
        cbd = bool(self.cbd) and (tuple(n for n, _ in instance), "resource", res.address) in self.cbd
        # Blocks of one type with the same lifecycle and source share one context (at 100,000
        # single-instance blocks, building each anew cost a fifth of a second) ...
        key = (res.type, id(res.lifecycle), cbd, res.source)
        found = self._contexts.get(key)
        if type(found) is ResourceContext:
            return found
        if found is None and _provider(res.type) not in PROVIDER_ARGUMENTS:
            context = self._contexts[key] = self._new_context(res, cbd, None)
            return context
        # ... and, for a provider whose plan-time rules read its configuration, the same arguments of it.
        by_arguments = found if isinstance(found, dict) else {}
        self._contexts[key] = by_arguments
        arguments = self.provider_arguments.of(instance, res, self.values)
        if arguments not in by_arguments:
            by_arguments[arguments] = self._new_context(res, cbd, arguments)
        return by_arguments[arguments]

    def _new_context(self, res: ResourceConfig, cbd: bool, arguments: Any) -> ResourceContext:
        planner = planner_for(res.type, self.schemas)
        if arguments is not None:
            planner = planner.configured(arguments)
        if planner.warning and not any(w.summary == planner.warning for w in self.warnings):
            self.warnings.append(Diagnostic(planner.warning, severity=Severity.warning, source=res.file))
        return ResourceContext(planner, _provider(res.type), res.lifecycle, cbd, res.source,
                               planner.keeps_types and types_beyond_json_read())

    def _plan_data_instance(self, address: InstanceAddress, res: ResourceConfig,
                            scope: EngineScope) -> tuple[Any, bool]:
        """A data source, as Terraform plans it (iac.diff.datasources): read now when iac can (computed
        exactly, or its unchanged value from state), else a `read` change known after apply."""
        planner = data_planner(res.type, self.schemas)
        if planner.warning and not any(w.summary == planner.warning for w in self.warnings):
            self.warnings.append(Diagnostic(planner.warning, severity=Severity.warning, source=res.file))
        body, marks = self._evaluated_body(address, res, scope)
        try:
            config = planner.shape(body)
        except ShapeError as error:
            raise ConfigError(Diagnostic(error.message_for(res.file), source=res.source or res.file, address=str(address),
                                         attribute=format_path(error.path) or None)) from error
        before = (self._check_conditions(res.lifecycle.conditions, "precondition", scope, res.file, str(address))
                  if res.lifecycle.conditions else PASS)
        found = self.prior.data.get(address)
        prior = planner.unwrap_state(found[1].attributes) if found is not None else None
        try:
            read = planner.plan(config, prior, self._dependency_pending(address.module, res), self.module.dir)
        except ReadError as error:
            failure = Diagnostic(str(error), source=res.source or res.file, address=str(address),
                                 attribute=error.attribute)
            if res.check is None:
                raise PlanError(failure) from error
            # in a check block a failed read only warns (the check fails): read again during apply
            self.warnings.append(dataclasses.replace(failure, severity=Severity.warning))
            if self.checks is not None:
                self.checks.report(tuple(n for n, _ in address.module), "check", res.check, address.module, "fail",
                                   problems=[str(error)])
            read = DataRead("failed", planner.planned(config))
        self.data_reads[address] = read
        sensitive = planner.sensitive(read.value, marks)
        if read.how not in ("computed", "state") or res.check is not None:
            # a check's scoped data source is read during plan and again during apply, to verify the check
            reason = _READ_REASONS.get(read.how, Reason.READ_BECAUSE_CHECK_NESTED if res.check is not None else None)
            self.changes[address] = ResourceChange(
                address, Action.READ, _provider(res.type), None, read.value, planner.schema_version, (), sensitive,
                (), reason, None, None, None, _NO_REASONS, res.source)
        seen = read.value if read.typed is None else read.typed
        if res.lifecycle.conditions:  # postconditions on what was read; a read during apply: known then
            known = read.how in ("computed", "state")
            self._report(address, res, before, self._postconditions(
                address, res, scope, mark(seen, sensitive) if sensitive else seen) if known else UNKNOWN)
        if sensitive:
            return mark(seen, sensitive), True
        return seen, False

    def _dependency_pending(self, instance: ModuleInstance, res: ResourceConfig) -> bool:
        """Terraform's dependenciesHavePendingChanges: does a managed resource this data source depends on
        (iac.diff.datadeps) have a change planned (in this module instance, when it is in this module)?"""
        static = tuple(n for n, _ in instance)
        targets = self._data_dependencies.get((static, res.address))
        if targets is None:
            if self._resource_dependencies is None:
                self._resource_dependencies = self.graph.resource_dependencies()
            targets = self._data_dependencies[(static, res.address)] = data_dependencies(
                self.graph, self._resource_dependencies, static, res)
        if not targets:
            return False
        for change_address, change in self.changes.items():
            if change_address.mode != "managed" or change.action is Action.NOOP:
                continue
            change_static = tuple(n for n, _ in change_address.module)
            if (change_static, "resource", f"{change_address.type}.{change_address.name}") not in targets:
                continue
            if change_static == static and change_address.module != instance:
                continue  # another instance of the same module: its changes are not this block's
            return True
        if self._position is None:
            self._position = {node: i for i, node in enumerate(self.graph.order)}
        here = self._position[(static, "resource", res.address)]
        return any(self._orphans_pending(target, static, instance) for target in targets
                   if self._position.get(target, here) < here)

    def _orphans_pending(self, target: Node, static: tuple[str, ...], instance: ModuleInstance) -> bool:
        """Does `target` have objects left in state that the configuration no longer has (their deletes,
        planned after the walk, are changes of that resource for Terraform too)? What is still in the prior
        index once the resource was planned (the caller checks it was) is such an object."""
        if self._prior_by_resource is None:
            self._prior_by_resource = {}
            for address in [*self.prior.current, *(a for a, _, _ in self.prior.deposed)]:
                if address.mode == "managed":
                    key = (tuple(n for n, _ in address.module), "resource", f"{address.type}.{address.name}")
                    self._prior_by_resource.setdefault(key, []).append(address)
        deposed = {a for a, _, _ in self.prior.deposed} if self.prior.deposed else set()
        for address in self._prior_by_resource.get(target, ()):
            if target[0] == static and address.module != instance:
                continue
            if address in self.prior.current or address in deposed:
                return True
        return False

    def _evaluated_body(self, address: InstanceAddress | str, res: ResourceConfig, scope: EngineScope, *,
                        ephemeral: bool = False) -> tuple[dict[str, Any], Any]:
        """The block's body with its expressions evaluated, and the sensitivity marks taken off it. An
        ephemeral value is refused, as Terraform refuses it in a resource argument, unless the block is itself
        `ephemeral`. `address` is formatted only for an error (a string per instance would cost the 100k plan)."""
        body = res.body
        if "dynamic" in res.templates:
            try:
                body = expand_dynamic(body, scope)
            except EvaluationError as error:
                raise _config_error(error, res.file, str(address), res.source) from error
            if scope.ephemeral and not ephemeral:
                raise _ephemeral_in(res, str(address), None)
        elif res.templates:
            body = dict(body)
            for key in res.templates:
                try:
                    body[key] = evaluate(body[key], scope)
                except EvaluationError as error:
                    error.path.insert(0, key)
                    raise _config_error(error, res.file, str(address), res.source) from error
                if scope.ephemeral and not ephemeral:
                    raise _ephemeral_in(res, str(address), key)
        marks: Any = _NO_MARKS
        if scope.marked:
            body, marks = unmark(body)
        return body, marks

    def _plan_resource_instance(self, address: InstanceAddress, res: ResourceConfig, scope: EngineScope,
                                context: ResourceContext) -> ResourceChange:
        if not res.lifecycle.conditions:
            return self._plan_instance_body(address, res, scope, context)
        before = self._check_conditions(res.lifecycle.conditions, "precondition", scope, res.file, str(address))
        change = self._plan_instance_body(address, res, scope, context)
        after = mark(change.after, change.after_sensitive) if change.after_sensitive else change.after
        self._report(address, res, before, self._postconditions(address, res, scope, after))
        return change

    def _postconditions(self, address: InstanceAddress, res: ResourceConfig, scope: EngineScope, after: Any) -> str:
        scope.symbols = {"self": scope.typed_resource(res.mode, res.type, res.name, after)}
        try:
            return self._check_conditions(res.lifecycle.conditions, "postcondition", scope, res.file, str(address))
        finally:
            scope.symbols = None

    def _report(self, address: InstanceAddress, res: ResourceConfig, *statuses: str) -> None:
        if self.checks is not None:
            self.checks.report(tuple(n for n, _ in address.module), "resource", res.address, address.module,
                               condition_status(statuses), display=str(address), key=address.key)

    def _check_conditions(self, conditions: Any, kind: str, scope: EngineScope, file: str, address: str) -> str:
        """Terraform checks conditions during plan where their values are known: a false one is an error
        with its error_message; an unknown one waits for apply. Their status: pass, or unknown."""
        status = PASS
        for which, condition, message in conditions:
            if which != kind:
                continue
            try:
                result = evaluate_typed(condition, scope).unmark_deep()[0]
                if result.v is None or result.v is cty.UNKNOWN:
                    status = UNKNOWN
                    continue
                if cty.convert(result, cty.BOOL).v is False:
                    text = evaluate_typed(message, scope).unmark_deep()[0]
                    shown = text.v if isinstance(text.v, str) else "(the error message is not known yet)"
                    what = {"precondition": "Resource precondition failed",
                            "postcondition": "Resource postcondition failed",
                            "output": "Module output value precondition failed"}[kind if file else kind]
                    raise ConfigError(Diagnostic(f"{what}: {shown}", source=file, address=address))
            except EvaluationError as error:
                raise _config_error(error, file, address) from error
            except cty.ConversionError as error:
                raise ConfigError(Diagnostic(f"Invalid condition result: {error}", source=file,
                                             address=address)) from error
        return status

    def _plan_instance_body(self, address: InstanceAddress, res: ResourceConfig, scope: EngineScope,
                            context: ResourceContext) -> ResourceChange:
        planner = context.planner
        config_types = None
        if res.templates or scope.marked:
            if planner.keeps_types:  # terraform_data plans in Terraform itself: unknowns keep their refinements
                scope.refined = True
            body, marks = self._evaluated_body(address, res, scope)
            if scope.beyond_json and planner.keeps_types:  # an expression gave a list, set or map
                config_types = self._argument_types(address, res, scope, planner.typed_arguments)
        else:  # a plain block (most of a large estate): no call per instance
            body, marks = res.body, _NO_MARKS
        try:
            config = planner.shape(body)
        except ShapeError as error:
            raise ConfigError(Diagnostic(error.message_for(res.file), source=res.source or res.file, address=str(address),
                                         attribute=format_path(error.path) or None)) from error
        prior = self.prior.current.pop(address, None)
        if prior is not None and self.providers is not None:
            why = self.providers.unreadable(address.module, res, self.values, self.changes)
            if why is not None:  # as Terraform's refresh finds it: gone (iac.diff.providerconfig)
                self.gone[str(address)] = why
                prior = None
        if prior is None:
            change = plan_instance(context, address, config, marks, None, None, None, self._import_for(address),
                                   config_types=config_types)
        else:
            force = self._force_reason(address, res) if self.replace or res.lifecycle.replace_triggered_by else None
            change = plan_instance(context, address, config, marks, prior.obj, prior.previous, force,
                                   plain_config=not res.templates and res.exact_numbers, config_types=config_types)
        self.changes[address] = change
        return change

    @staticmethod
    def _argument_types(address: InstanceAddress, res: ResourceConfig, scope: EngineScope,
                        names: frozenset[str]) -> dict[str, Any] | None:
        """The types of the arguments `names` that their plain value does not keep (a list, set or map
        inside): evaluated again, typed (only when an expression gave such a value: `Scope.beyond_json`)."""
        types = {}
        for name in sorted(names):
            if name not in res.templates:
                continue
            try:
                found = evaluate_typed(res.body[name], scope).type
            except EvaluationError as error:  # evaluated once already: never expected
                raise _config_error(error, res.file, str(address), res.source) from error
            if cty.beyond_json(found):
                types[name] = found
        return types or None

    def _force_reason(self, address: InstanceAddress, res: ResourceConfig) -> Reason | None:
        if str(address) in self.replace:
            return Reason.REPLACE_BY_REQUEST
        for trigger in res.lifecycle.replace_triggered_by:
            if self._triggered(address.module, trigger, address.key):
                return Reason.REPLACE_BY_TRIGGERS
        return None

    def _triggered(self, module: ModuleInstance, trigger: Any, own_key: Any) -> bool:
        """replace_triggered_by: a whole-resource reference fires on update/replace of the instance;
        an attribute reference fires when that attribute's planned value differs (or is unknown)."""
        steps = list(trigger.steps)
        mode, rtype = ("data", steps.pop(0)) if trigger.root == "data" else ("managed", trigger.root)
        name = steps.pop(0)
        key = steps.pop(0).key if steps and isinstance(steps[0], IndexStep) else None
        if isinstance(key, RepetitionKey):  # `[count.index]` / `[each.key]`: the planned instance's own key
            key = own_key
        steps = [IndexStep(own_key) if isinstance(s, IndexStep) and isinstance(s.key, RepetitionKey) else s
                 for s in steps]
        candidates = [a for a in self.changes if a.module == module and (a.mode, a.type, a.name) == (mode, rtype, name)
                      and (key is None or a.key == key)]
        for target in candidates:
            change = self.changes[target]
            if not steps:
                if change.action is Action.UPDATE or change.action.is_replace:
                    return True
            elif not strict_equal(get_path(change.before, tuple(steps)), get_path(change.after, tuple(steps))):
                return True
        return False

    def _replace_addresses(self) -> set[str]:
        found: set[str] = set()
        for text in self.options.replace:
            try:
                found.add(str(parse_address(text).instance()))
            except AddressError as error:
                raise ConfigError(Diagnostic(f"--replace {text!r}: {error}")) from error
        return found

    def _import_for(self, address: InstanceAddress) -> str | None:
        """The import id for an instance being created, from the root module's import blocks that target its
        resource (in the root module or a child one). Evaluated when the resource is (the graph orders it after
        what those blocks refer to)."""
        if not self.module.imports:  # asked once per created instance: 100,000 at scale
            return None
        static = tuple(name for name, _ in address.module)
        resource = (static, address.mode, address.type, address.name)
        if resource not in self._imported:
            self._imported[resource] = self._imports([
                b for b in self.module.imports
                if b.to.resource == resource[1:] and tuple(name for name, _ in b.to.module) == static])
        return self._imported[resource].get(address)

    def _imports(self, blocks: list[Any]) -> dict[InstanceAddress, str]:
        found: dict[InstanceAddress, str] = {}
        for block in blocks:
            if block.for_each is NOT_SET:
                found[block.to.instance()] = self._import_id(block, EngineScope(self.values, ()))
                continue
            expansion = expand(NOT_SET, block.for_each, EngineScope(self.values, ()), block.file, f"import.{block.to}")
            for key in expansion.keys:
                scope = EngineScope(self.values, (), **repetition(expansion, key))
                target = block.to.instance()
                if block.module_keys:
                    module = list(target.module)
                    for position, expr in block.module_keys:
                        module[position] = (module[position][0], self._import_key(block, expr, scope))
                    target = target._replace(module=tuple(module))
                if block.to_key is not None:
                    target = target._replace(key=self._import_key(block, block.to_key, scope))
                found[target] = self._import_id(block, scope)
        return found

    def _import_key(self, block: Any, expr: Any, scope: EngineScope) -> str | int:
        """An instance key of an import target (a resource's or a module step's), evaluated per for_each key."""
        try:
            instance_key = evaluate_typed(expr, scope).unmark_deep()[0]
        except EvaluationError as error:
            raise _config_error(error, block.file, f"import.{block.to}") from error
        if instance_key.type.kind not in ("string", "number") or not instance_key.is_known:
            raise ConfigError(Diagnostic("import.to: the instance key must be a known string or number",
                                         source=block.file, address=str(block.to)))
        return instance_key.v if instance_key.type.kind == "string" else int(instance_key.v)

    def _import_id(self, block: Any, scope: EngineScope) -> str:
        try:
            import_id = evaluate(block.id, scope)
        except EvaluationError as error:
            raise _config_error(error, block.file, f"import.{block.to}") from error
        if not isinstance(import_id, str):
            raise ConfigError(Diagnostic("import id must be a known string", source=block.file, address=str(block.to)))
        return import_id


_NO_MARKS: tuple[Any, ...] = ()
_READ_REASONS = {"read_because_config_unknown": Reason.READ_BECAUSE_CONFIG_UNKNOWN,
                 "read_because_dependency_pending": Reason.READ_BECAUSE_DEPENDENCY_PENDING}
"""Terraform's reasons for a read during apply; iac's own deferral (it cannot call the provider) has none."""
_IDLE_SCOPE = EngineScope(Values(), ())
"""The scope of instances that evaluate no expression: nothing reads it, so it never gets marked."""
_provider = functools.lru_cache(maxsize=None)(provider_source)


def _targeting(graph: Graph, options: PlanOptions, destroy: bool) -> Targeting | None:
    if not options.targets:
        return None
    return select_targets(graph, parse_targets(options.targets), destroy=destroy)


def _function_context(root: Any) -> FunctionContext:
    """What functions see: paths relative to the root module's directory (where Terraform runs), and
    templatefile's renderer."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    context = FunctionContext(base_dir=root, plan_timestamp=now.strftime("%Y-%m-%dT%H:%M:%SZ"))  # plantimestamp()

    def render(text: str, variables: Any, file: str) -> Any:
        return render_template(text, variables, file, context)

    context.render_template = render
    return context


def _check_blocks(graph: Graph, schemas: SchemaSet) -> None:
    """Every resource and data block checked against its schema as written, before anything is planned
    (Terraform decodes each block body, whatever its count). `terraform_data` checks itself when shaped
    (at 100,000 blocks a pass over them would cost more than it finds)."""
    for module in graph.modules.values():
        for res in module.ephemerals.values():
            check_ephemeral_block(res, schemas)
        for res in module.resources.values():
            if res.type != "terraform_data":
                schema = schemas.of(res.mode, res.type)
                if schema is not None:
                    check_block(res, schema)
            if res.lifecycle.ignore_changes:
                schema = schemas.of(res.mode, res.type)
                if schema is not None:
                    check_ignore_changes(res, schema)


def _aggregate(expansion: Expansion, objects: list[Any]) -> Any:
    if expansion.mode == "count":
        return objects
    return dict(zip([str(k) for k in expansion.keys], objects, strict=True))


def _create_before_destroy(graph: Graph) -> set[Node]:
    """Resources planned create-before-destroy: those that say so, and everything they depend on
    (Terraform propagates it to dependencies so the replacement order stays valid)."""
    stack = [(path, "resource", address) for path, module in graph.modules.items()
             for address, res in module.resources.items() if res.lifecycle.create_before_destroy]
    if not stack:
        return set()
    deps = graph.resource_dependencies()
    result: set[Node] = set()
    while stack:
        node = stack.pop()
        if node not in result:
            result.add(node)
            stack.extend(deps.get(node, ()))
    return result


def _prefix(instance: ModuleInstance, label: str) -> str:
    from iac.state.address import format_module

    module = format_module(instance)
    return f"{module}.{label}" if module else label


def _config_error(error: EvaluationError, file: str, address: str, source: str | None = None) -> ConfigError:
    attribute = format_path(tuple(error.path)) or None
    return ConfigError(Diagnostic(error.message, source=error.source(source or file), address=address,
                                  attribute=attribute))


def _ephemeral(value: Any) -> bool:
    """Is `value` (typed) derived from an ephemeral variable or output?"""
    return isinstance(value, Value) and value.has_mark_deep(cty.EPHEMERAL)


def _ephemeral_in(res: ResourceConfig, address: str, key: str | None) -> ConfigError:
    """Terraform's refusal of an ephemeral value in a resource argument (none of iac's schemas has a
    write-only attribute, the one place Terraform takes them)."""
    where = f'for "{key}"' if key is not None else "in this block"
    return ConfigError(Diagnostic(f"Invalid use of ephemeral value: Ephemeral values are not valid {where}, because "
                                  "it is not a write-only attribute and must be persisted to state.",
                                  source=res.file, address=address, attribute=key))


def _check_ephemeral_output(out: OutputConfig, instance: ModuleInstance, value: Any) -> None:
    """Root outputs cannot be ephemeral; any other output returns an ephemeral value only when it says so."""
    label = _prefix(instance, f"output.{out.name}")
    if out.ephemeral and not instance:
        raise ConfigError(Diagnostic("Ephemeral output not allowed: Ephemeral outputs are not allowed in context of a "
                                     "root module", source=out.file, address=label))
    if not out.ephemeral and _ephemeral(value):
        raise ConfigError(Diagnostic("Ephemeral value not allowed: This output value is not declared as returning an "
                                     "ephemeral value, so it cannot be set to a result derived from an ephemeral "
                                     "value.", source=out.file, address=label))
