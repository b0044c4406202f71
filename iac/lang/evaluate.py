"""Evaluate a syntax tree (`iac.lang.ast`) to a typed value (`iac.lang.cty`), as hclsyntax does.

The caller supplies a `Context`: how a reference's root resolves (`var.x`, `aws_iam_role.r`, `each.value`...)
and what functions see (base directory, plan timestamp). Everything else is here, with Terraform's
semantics: operators convert their operands and propagate unknowns and marks; a conditional unifies
the types of both results and reports only the chosen branch's errors; `for` expressions, splats and
templates follow hclsyntax step by step; `try` and `can` catch dynamic errors but wait for unknowns.

Errors are `EvalError(message, pos)`: one line, Terraform's summary and detail joined, the position of
the expression at fault.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from iac.lang import ast, cty, numbers
from iac.lang.cty import BOOL, DYNAMIC, NUMBER, STRING, ConversionError, Value
from iac.lang.depth import deep_recursion
from iac.lang.functions import Function, FunctionContext, FunctionError, call, lookup_function
from iac.lang.functions.providers import function_of
from iac.lang.prefix import template_prefix

__all__ = ["Context", "EvalError", "evaluate_expr", "traverse"]


class EvalError(ValueError):
    """An expression Terraform refuses to evaluate. `pos` is where; `path` is filled by callers that
    evaluate a value inside an attribute (attribute names and indexes)."""

    def __init__(self, message: str, pos: ast.Pos | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.path: list[str | int] = []

    def __str__(self) -> str:
        return f"{self.pos}: {self.message}" if self.pos else self.message


class Context(Protocol):
    """What an expression can see."""

    functions: FunctionContext

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        """The value of the traversal's root object and how many of its steps that consumed (`var.x`
        consumes one, `data.T.N` two). Raise EvalError for an undeclared name."""
        ...


@dataclass(slots=True)
class _Frame:
    """Local symbols (for-expression and template-for variables, splat element, dynamic iterator)."""

    symbols: dict[str, Value]
    parent: _Frame | None


class _Evaluator:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.frame: _Frame | None = None
        self.anon: list[Value] = []

    # -- dispatch --
    def eval(self, node: Any) -> Value:
        method = _DISPATCH.get(type(node))
        if method is None:
            raise EvalError(f"cannot evaluate {type(node).__name__}", getattr(node, "pos", None))
        return method(self, node)

    def literal(self, node: ast.Literal) -> Value:
        v = node.value
        if v is None:
            return cty.null(DYNAMIC)
        if isinstance(v, bool):
            return cty.bool_value(v)
        if isinstance(v, (int, Decimal)):
            return cty.number(numbers.from_fraction(numbers.to_fraction(v)) if isinstance(v, Decimal) else v)
        return cty.string(v)

    def scope_traversal(self, node: ast.ScopeTraversal) -> Value:
        frame = self.frame
        while frame is not None:
            if node.root in frame.symbols:
                return self._steps(frame.symbols[node.root], node.steps, node.pos)
            frame = frame.parent
        value, consumed = self.context.lookup(node)
        return self._steps(value, node.steps[consumed:], node.pos)

    def relative_traversal(self, node: ast.RelativeTraversal) -> Value:
        return self._steps(self.eval(node.source), node.steps, node.pos)

    def _steps(self, value: Value, steps: Sequence[ast.Step], pos: ast.Pos) -> Value:
        for step in steps:
            value = traverse(value, step, pos)
        return value

    def index(self, node: ast.Index) -> Value:
        collection = self.eval(node.collection)
        key = self.eval(node.key)
        return index_value(collection, key, node.pos)

    def anon_symbol(self, node: ast.Anon) -> Value:
        if not self.anon:
            raise EvalError("the splat element is only available inside a splat expression", node.pos)
        return self.anon[-1]

    def parens(self, node: ast.Parens) -> Value:
        return self.eval(node.expr)

    def tuple_cons(self, node: ast.TupleCons) -> Value:
        return cty.tuple_value([self.eval(item) for item in node.items])

    def object_cons(self, node: ast.ObjectCons) -> Value:
        attrs: dict[str, Value] = {}
        marks: set[str] = set()
        known = True
        for item in node.items:
            if item.bare_key and isinstance(item.key, ast.Literal):
                key: Value = cty.string(str(item.key.value))
            elif isinstance(item.key, ast.ScopeTraversal) and item.key.steps:
                raise EvalError("Ambiguous attribute key: If this expression is intended to be a reference, wrap it "
                                "in parentheses. If it's instead intended as a literal name containing periods, "
                                "wrap it in quotes to create a string literal.", item.key.pos)
            else:
                key = self.eval(item.key)
            value = self.eval(item.value)
            key, key_marks = key.unmark_deep()
            marks.update(key_marks)
            if key.v is None:
                raise EvalError("Null value as key: Can't use a null value as a key.", _pos(item.key, node.pos))
            if key.v is cty.UNKNOWN:
                known = False
                continue
            try:
                key = cty.convert(key, STRING)
            except ConversionError as error:
                raise EvalError(f"Incorrect key type: Can't use this value as a key: {error.message}.",
                                _pos(item.key, node.pos)) from error
            attrs[key.v] = value
        if not known:
            return cty.unknown(DYNAMIC).mark(marks)
        return cty.object_value(attrs).mark(marks)

    def template_wrap(self, node: ast.TemplateWrap) -> Value:
        return self.eval(node.expr)

    def template(self, node: ast.Template) -> Value:
        pieces: list[str] = []
        marks: set[str] = set()
        known = self._template_parts(node.parts, pieces, marks)
        if not known:  # refined: never null, and beginning with the parts known before the first unknown one
            return cty.unknown(STRING, not_null=True, prefix=template_prefix("".join(pieces))).mark(marks)
        return cty.string("".join(pieces)).mark(marks)

    def _template_parts(self, parts: Sequence[Any], pieces: list[str], marks: set[str]) -> bool:
        """Append the text of `parts` to `pieces` while it is known (HCL keeps only the text before the first
        unknown part: a result's known prefix); every part is still evaluated, for its errors. A `%{if}` or
        `%{for}` directive is one part, known or not as a whole, as HCL evaluates it."""
        known = True
        for part in parts:
            if isinstance(part, str):
                if known:
                    pieces.append(part)
            elif isinstance(part, (ast.TemplateIf, ast.TemplateFor)):
                directive: list[str] = []
                if self._directive(part, directive, marks) and known:
                    pieces.extend(directive)
                else:
                    known = False
            else:
                value = self.eval(part)
                value, value_marks = value.unmark_deep()
                marks.update(value_marks)
                if value.v is None:
                    raise EvalError("Invalid template interpolation value: The expression result is null. "
                                    "Cannot include a null value in a string template.", _pos(part, None))
                if not value.is_wholly_known():
                    known = False
                    continue
                try:
                    text = cty.convert(value, STRING).v
                except ConversionError as error:
                    raise EvalError(f"Invalid template interpolation value: Cannot include the given value in a "
                                    f"string template: {error.message}.", _pos(part, None)) from error
                if known:
                    pieces.append(text)
        return known

    def _directive(self, part: Any, pieces: list[str], marks: set[str]) -> bool:
        """The text of a `%{if}` or `%{for}` directive into `pieces`; whether it is known."""
        known = True
        if isinstance(part, ast.TemplateIf):
            condition = self._condition(part.condition, "template if")
            condition, cond_marks = condition.unmark_deep()
            marks.update(cond_marks)
            if condition.v is cty.UNKNOWN:
                return False
            branch = part.true if condition.v else part.false
            return self._template_parts(branch, pieces, marks)
        collection = self.eval(part.collection)
        collection, coll_marks = collection.unmark()
        marks.update(coll_marks)
        if collection.v is None:
            raise EvalError("Iteration over null value: It is not valid to iterate over a null value.", part.pos)
        if collection.v is cty.UNKNOWN and (collection.type.kind == "dynamic" or _iterable(collection)):
            return False
        if not _iterable(collection):
            raise EvalError(f"Iteration over non-iterable value: A value of type {collection.type.friendly()} cannot "
                            "be used as the sequence in a for expression.", part.pos)
        for key, element in collection.items():
            symbols = {part.value_var: element}
            if part.key_var is not None:
                symbols[part.key_var] = key
            self.frame = _Frame(symbols, self.frame)
            try:
                known = self._template_parts(part.body, pieces, marks) and known
            finally:
                assert self.frame is not None
                self.frame = self.frame.parent
        return known

    def _condition(self, expr: Any, what: str) -> Value:
        value = self.eval(expr)
        inner, marks = value.unmark()
        if inner.v is None:
            raise EvalError(f"Invalid {what} condition: The condition value is null. Conditions must either be "
                            "true or false.", _pos(expr, None))
        if inner.v is cty.UNKNOWN:
            return cty.unknown(BOOL).mark(marks)
        try:
            return cty.convert(inner, BOOL).mark(marks)
        except ConversionError as error:
            raise EvalError(f"Invalid {what} condition: {error.message}.", _pos(expr, None)) from error

    # -- operators --
    def unary(self, node: ast.UnaryOp) -> Value:
        operand = self.eval(node.operand)
        want = NUMBER if node.op == "-" else BOOL
        value, marks = _operand(operand, want, node.pos, "operand")
        if value.v is cty.UNKNOWN:
            return cty.unknown(want, not_null=True).mark(marks)
        if node.op == "-":
            return cty.number(numbers.negate(value.v)).mark(marks)
        return cty.bool_value(not value.v).mark(marks)

    def binary(self, node: ast.BinaryOp) -> Value:
        op = node.op
        if op in ("&&", "||"):
            return self._logical(node)
        left = self.eval(node.left)
        right = self.eval(node.right)
        if op in ("==", "!="):
            result = equals(left, right)
            if op == "!=" and result.v is not cty.UNKNOWN:
                result = Value(BOOL, not result.v, result.marks)
            return result
        lhs, left_marks = _operand(left, NUMBER, node.pos, "left operand")
        rhs, right_marks = _operand(right, NUMBER, node.pos, "right operand")
        marks = left_marks | right_marks
        result_type = BOOL if op in ("<", ">", "<=", ">=") else NUMBER
        if lhs.v is cty.UNKNOWN or rhs.v is cty.UNKNOWN:
            return cty.unknown(result_type, not_null=True).mark(marks)
        a, b = lhs.v, rhs.v
        try:
            if op == "+":
                return cty.number(numbers.add(a, b)).mark(marks)
            if op == "-":
                return cty.number(numbers.subtract(a, b)).mark(marks)
            if op == "*":
                return cty.number(numbers.multiply(a, b)).mark(marks)
            if op == "/":
                return cty.number(numbers.divide(a, b)).mark(marks)
            if op == "%":
                return cty.number(numbers.modulo(a, b)).mark(marks)
        except numbers.NumberError as error:
            raise EvalError(f"Operation failed: Error during operation: {error}.", node.pos) from error
        order = numbers.compare(a, b)
        outcome = {"<": order < 0, ">": order > 0, "<=": order <= 0, ">=": order >= 0}[op]
        return cty.bool_value(outcome).mark(marks)

    def _logical(self, node: ast.BinaryOp) -> Value:
        """hclsyntax's && and ||: both operands are evaluated and converted (a conversion error is reported
        at once); then a side that decides the result wins and the other side's errors are dropped (its
        value may be unknown or an error); only otherwise do errors count and the function run."""
        left, left_error = self._attempt(node.left)
        right, right_error = self._attempt(node.right)
        lhs, left_marks = _operand(left, BOOL, node.pos, "left operand", allow_null=True)
        rhs, right_marks = _operand(right, BOOL, node.pos, "right operand", allow_null=True)
        marks = left_marks | right_marks
        decided = _short_circuit(node.op, lhs, rhs, left_error, right_error)
        if decided is not None:
            value, error = decided
            if error is not None:
                raise error
            return value.mark(marks)
        for error in (left_error, right_error):
            if error is not None:
                raise error
        if lhs.v is None or rhs.v is None:
            raise EvalError("Operation failed: Error during operation: argument must not be null.", node.pos)
        if lhs.v is cty.UNKNOWN or rhs.v is cty.UNKNOWN:
            return cty.unknown(BOOL, not_null=True).mark(marks)
        outcome = (lhs.v and rhs.v) if node.op == "&&" else (lhs.v or rhs.v)
        return cty.bool_value(bool(outcome)).mark(marks)

    def conditional(self, node: ast.Conditional) -> Value:
        true_value, true_error = self._attempt(node.true)
        false_value, false_error = self._attempt(node.false)
        result_type, convert_true, convert_false = _conditional_type(true_value, false_value)
        if result_type is None:
            raise EvalError("Inconsistent conditional result types: The true and false result expressions must "
                            f"have consistent types. {_mismatch(true_value.type, false_value.type)}.", node.pos)
        condition = self.eval(node.condition)
        condition, cond_marks = condition.unmark_deep()
        if condition.v is None:
            raise EvalError("Null condition: The condition value is null. Conditions must either be true or false.",
                            _pos(node.condition, node.pos))
        if condition.v is cty.UNKNOWN:  # refined not null when neither result can be null (hclsyntax)
            both = cty.is_not_null(true_value) and cty.is_not_null(false_value)
            return cty.unknown(result_type, not_null=both).mark(cond_marks)
        try:
            condition = cty.convert(condition, BOOL)
        except ConversionError as error:
            raise EvalError("Incorrect condition type: The condition expression must be of type bool.",
                            _pos(node.condition, node.pos)) from error
        chosen, branch_error, conversion = (true_value, true_error, convert_true) if condition.v else (
            false_value, false_error, convert_false)
        if branch_error is not None:
            raise branch_error
        if conversion:
            try:
                chosen = cty.convert(chosen, result_type)
            except ConversionError as failure:
                which = "true" if condition.v else "false"
                raise EvalError(f"Inconsistent conditional result types: The {which} result value has the wrong "
                                f"type: {failure}.", node.pos) from failure
        return chosen.mark(cond_marks)

    def _attempt(self, expr: Any) -> tuple[Value, EvalError | None]:
        try:
            return self.eval(expr), None
        except EvalError as error:
            return cty.unknown(DYNAMIC), error

    # -- for expressions and splats --
    def for_expr(self, node: ast.ForExpr) -> Value:
        collection = self.eval(node.collection)
        collection, marks = collection.unmark()
        if collection.v is None:
            raise EvalError("Iteration over null value: A null value cannot be used as the collection in a 'for' "
                            "expression.", _pos(node.collection, node.pos))
        if collection.v is cty.UNKNOWN and (collection.type.kind == "dynamic" or _iterable(collection)):
            return cty.unknown(DYNAMIC).mark(marks)
        if not _iterable(collection):
            raise EvalError(f"Iteration over non-iterable value: A value of type {collection.type.friendly()} "
                            "cannot be used as the collection in a 'for' expression.", _pos(node.collection, node.pos))
        keys: list[str] = []
        grouped: dict[str, list[Value]] = {}
        items: list[Value] = []
        attrs: dict[str, Value] = {}
        known = True
        for key, element in collection.items():
            symbols = {node.value_var: element}
            if node.key_var is not None:
                symbols[node.key_var] = key
            self.frame = _Frame(symbols, self.frame)
            try:
                if node.condition is not None:
                    include = self._condition(node.condition, "'for'")
                    include, include_marks = include.unmark()
                    marks |= include_marks
                    if include.v is cty.UNKNOWN:
                        known = False
                        continue
                    if not include.v:
                        continue
                if not node.is_object:
                    items.append(self.eval(node.value_expr))
                    continue
                assert node.key_expr is not None
                key_value = self.eval(node.key_expr)
                key_value, key_marks = key_value.unmark()
                marks |= key_marks
                if key_value.v is None:
                    raise EvalError("Invalid object key: Key expression in 'for' expression must not produce a null "
                                    "value.", _pos(node.key_expr, node.pos))
                if key_value.v is cty.UNKNOWN:
                    known = False
                    self.eval(node.value_expr)
                    continue
                try:
                    text = cty.convert(key_value, STRING).v
                except ConversionError as error:
                    raise EvalError(f"Invalid object key: The key expression produced an invalid result: "
                                    f"{error.message}.", _pos(node.key_expr, node.pos)) from error
                value = self.eval(node.value_expr)
                if node.group:
                    if text not in grouped:
                        keys.append(text)
                    grouped.setdefault(text, []).append(value)
                elif text in attrs:
                    raise EvalError(f'Duplicate object key: Two different items produced the key "{text}" in this '
                                    "'for' expression. If duplicates are expected, use the ellipsis (...) after the "
                                    "value expression to enable grouping by key.", _pos(node.key_expr, node.pos))
                else:
                    attrs[text] = value
            finally:
                assert self.frame is not None
                self.frame = self.frame.parent
        if not known:
            return cty.unknown(DYNAMIC).mark(marks)
        if not node.is_object:
            return cty.tuple_value(items).mark(marks)
        if node.group:
            return cty.object_value({k: cty.tuple_value(grouped[k]) for k in keys}).mark(marks)
        return cty.object_value(attrs).mark(marks)

    def splat(self, node: ast.Splat) -> Value:
        source = self.eval(node.source)
        source, marks = source.unmark()
        if source.v is None:
            return cty.EMPTY_TUPLE.mark(marks)
        kind = source.type.kind
        if kind in ("list", "set"):
            assert source.type.elem is not None
            if source.v is cty.UNKNOWN:
                each_type = self._splat_type(node.each, cty.unknown(source.type.elem))
                return cty.unknown(cty.list_of(each_type)).mark(marks)
            results = [self._splat_each(node.each, element) for element in source.v]
            if not results:
                each_type = self._splat_type(node.each, cty.unknown(source.type.elem))
                return Value(cty.list_of(each_type), ()).mark(marks)
            element_type = cty.unify([r.type for r in results])
            if element_type is None or any(r.type != element_type for r in results):
                element_type = element_type or DYNAMIC
                results = [cty.convert(r, element_type) for r in results]
            return Value(cty.list_of(element_type), tuple(results)).mark(marks)
        if source.v is cty.UNKNOWN:
            return cty.unknown(DYNAMIC).mark(marks)
        if kind == "tuple":
            return cty.tuple_value([self._splat_each(node.each, element) for element in source.v]).mark(marks)
        # any other value is treated as a one-element tuple (hclsyntax's auto-upgrade)
        return cty.tuple_value([self._splat_each(node.each, source)]).mark(marks)

    def _splat_each(self, each: Any, element: Value) -> Value:
        self.anon.append(element)
        try:
            return self.eval(each)
        finally:
            self.anon.pop()

    def _splat_type(self, each: Any, element: Value) -> cty.Type:
        try:
            return self._splat_each(each, element).type
        except EvalError:
            return DYNAMIC

    # -- function calls --
    def function_call(self, node: ast.FunctionCall) -> Value:
        if node.namespace == "core::":  # Terraform 1.15: every built-in is also core::NAME
            node = ast.FunctionCall(node.name, node.args, node.expand_final, node.pos)
        if not getattr(self.context, "allow_functions", True):  # HCL refuses any call here, before naming it
            raise EvalError("Function calls not allowed: Functions may not be called here.", node.pos)
        if node.namespace:
            return self._call(self._provider_function(node), node)
        special = _SPECIAL_FORMS.get(node.name)
        if special is not None:
            return special(self, node)
        if node.name == "templatestring" and node.args:
            _check_template_argument(node.args[0], node.pos)
        function = lookup_function(node.name)
        if function is None:
            raise EvalError(f'Call to unknown function: There is no function named "{node.name}".', node.pos)
        return self._call(function, node)

    def _provider_function(self, node: ast.FunctionCall) -> Function:
        """`provider::NAME::FN`: only the functions of a provider iac evaluates, where this module declares it as NAME."""
        full = f"{node.namespace}{node.name}"
        kind, _, rest = node.namespace.partition("::")
        local = rest.removesuffix("::")
        if kind != "provider" or "::" in local:
            raise EvalError(f'Call to unknown function: There is no function named "{full}".', node.pos)
        functions = self.context.functions
        if local not in functions.declared_providers:
            raise EvalError(f'Unknown provider function: There is no function named "{full}". Ensure that provider '
                            f'name "{local}" is declared in this module\'s required_providers block, and that this '
                            f'provider offers a function named "{node.name}".', node.pos)
        source = functions.evaluated_providers.get(local)
        if source is None:
            raise EvalError(f'Call to unknown function: There is no function named "{full}". iac evaluates only the '
                            "functions of terraform.io/builtin/terraform and hashicorp/aws (it runs no provider).",
                            node.pos)
        function = function_of(source, node.namespace, node.name, evaluate_constant)
        if function is None:
            raise EvalError(f'Unknown provider function: The function "{node.name}" is not available from the '
                            f'provider "{local}".', node.pos)
        return function

    def _call(self, function: Function, node: ast.FunctionCall) -> Value:
        args = [self.eval(arg) for arg in node.args]
        if node.expand_final:
            if not args:
                raise EvalError("Invalid expanding argument value: the last argument must be a list.", node.pos)
            last, last_marks = args[-1].unmark()
            if last.v is cty.UNKNOWN:
                return cty.unknown(function.return_type(args[:-1])).mark(last_marks)
            if last.v is None or last.type.kind not in ("list", "set", "tuple"):
                raise EvalError("Invalid expanding argument value: The expanding argument (indicated by ...) must "
                                "be of a tuple, list, or set type.", _pos(node.args[-1], node.pos))
            args = args[:-1] + [e.mark(last_marks) for e in last.v]
        try:
            return call(function, args, self.context.functions)
        except FunctionError as error:
            where = node.args[error.argument] if error.argument is not None and error.argument < len(node.args) else None
            if error.summary is not None:
                raise EvalError(f"{error.summary}: {error.message}", _pos(where, node.pos)) from error
            summary = "Invalid function argument" if error.argument is not None else "Error in function call"
            raise EvalError(f'{summary}: Call to function "{function.name}" failed: {error.message}',
                            _pos(where, node.pos)) from error

    def try_(self, node: ast.FunctionCall) -> Value:
        if not node.args:
            raise EvalError('Invalid function argument: Function "try" requires at least one argument.', node.pos)
        last_error: EvalError | None = None
        for arg in node.args:
            try:
                value = self.eval(arg)
            except EvalError as error:
                last_error = error
                continue
            if not value.is_wholly_known():
                return cty.unknown(DYNAMIC)
            return value
        assert last_error is not None
        raise EvalError("Error in function call: Call to function \"try\" failed: no expression succeeded: "
                        f"{last_error.message}", node.pos)

    def convert_(self, node: ast.FunctionCall) -> Value:
        """`convert(value, TYPE)`: the second argument is a type constraint, read statically (as a variable's
        `type`), optional() defaults included."""
        from iac.lang.typeexpr import TypeError_, apply_defaults, type_constraint

        if len(node.args) != 2 or node.expand_final:
            raise EvalError('Invalid function argument: Function "convert" expects 2 arguments: a value and a type '
                            "constraint.", node.pos)
        try:
            want, defaults = type_constraint(node.args[1], evaluate_constant)
        except TypeError_ as error:
            raise EvalError(f"Invalid type constraint: {error}", _pos(node.args[1], node.pos)) from error
        value = self.eval(node.args[0])
        if value.v is None and value.type.kind == "dynamic":
            return value
        if value.v is cty.UNKNOWN:  # a function call: an unknown argument gives an unknown of the type, unchecked
            return cty.unknown(want, not_null=True).mark(value.marks)
        try:
            return cty.convert(apply_defaults(value, defaults), want)
        except ConversionError as error:
            raise EvalError(f'Invalid function argument: Invalid value for "value" parameter: {error}.',
                            _pos(node.args[0], node.pos)) from error

    def can(self, node: ast.FunctionCall) -> Value:
        if len(node.args) != 1:
            raise EvalError('Invalid function argument: Function "can" expects 1 argument.', node.pos)
        try:
            value = self.eval(node.args[0])
        except EvalError:
            return cty.FALSE
        if not value.is_wholly_known():
            return cty.unknown(BOOL)
        return cty.TRUE


def _check_template_argument(expr: Any, pos: ast.Pos) -> None:
    """Terraform's templatestring takes its template from elsewhere: a literal or computed template in the
    call is refused before anything is evaluated."""
    prefix = 'Invalid function argument: Invalid value for "template" parameter: invalid template expression: '
    if isinstance(expr, (ast.Literal, ast.Template, ast.TemplateWrap)):
        raise EvalError(prefix + "templatestring is only for rendering templates retrieved dynamically from "
                        "elsewhere, and so does not support providing a literal template; consider using a "
                        "template string expression instead.", _pos(expr, pos))
    if not isinstance(expr, (ast.ScopeTraversal, ast.RelativeTraversal, ast.Index, ast.Parens)):
        raise EvalError(prefix + "must be a direct reference to a single string from elsewhere, containing valid "
                        "Terraform template syntax.", _pos(expr, pos))


def _pos(node: Any, default: ast.Pos | None) -> ast.Pos | None:
    return getattr(node, "pos", None) or default


def _iterable(value: Value) -> bool:
    return value.type.kind in ("list", "set", "tuple", "map", "object")


def _short_circuit(op: str, lhs: Value, rhs: Value, left_error: EvalError | None,
                   right_error: EvalError | None) -> tuple[Value, EvalError | None] | None:
    """hclsyntax's ShortCircuit for && and || (a null operand counts as false): the result and the error
    of the side that decided it, or None when neither side decides."""
    def true(v: Value) -> bool:
        return v.v is True

    def false(v: Value) -> bool:
        return v.v is not cty.UNKNOWN and v.v is not True

    left_known, right_known = lhs.v is not cty.UNKNOWN, rhs.v is not cty.UNKNOWN
    if not left_known and not right_known:
        return (cty.unknown(BOOL, not_null=True), None) if left_error is None else None
    controlling, other = (true, false) if op == "||" else (false, true)
    if left_known and controlling(lhs):
        return cty.bool_value(op == "||"), left_error
    if right_known and controlling(rhs):
        return cty.bool_value(op == "||"), right_error
    if not left_known and other(rhs):
        return cty.unknown(BOOL, not_null=True), left_error
    if not right_known and other(lhs):
        return cty.unknown(BOOL, not_null=True), right_error
    return None


def _operand(value: Value, want: cty.Type, pos: ast.Pos, which: str,
             allow_null: bool = False) -> tuple[Value, frozenset[str]]:
    inner, marks = value.unmark_deep()
    if inner.v is None and allow_null:
        return cty.null(want), marks
    if inner.v is None:
        raise EvalError(f"Invalid operand: Unsuitable value for {which}: a {want.kind} is required.", pos)
    try:
        return cty.convert(inner, want), marks
    except ConversionError as error:
        raise EvalError(f"Invalid operand: Unsuitable value for {which}: {error.message}.", pos) from error


def _conditional_type(true_value: Value, false_value: Value) -> tuple[cty.Type | None, bool, bool]:
    """hclsyntax ConditionalExpr: the result type and whether each branch needs converting to it."""
    dynamic_null = cty.null(DYNAMIC)
    # a literal null converts to the other branch's type, and is returned as the untyped null it is
    # (Terraform: `true ? null : 1` is a null of type dynamic)
    if _raw_equal(true_value, dynamic_null):
        return false_value.type, False, False
    if _raw_equal(false_value, dynamic_null):
        return true_value.type, False, False
    if true_value.type == DYNAMIC or false_value.type == DYNAMIC:
        return DYNAMIC, False, False
    unified = cty.unify([true_value.type, false_value.type])
    if unified is None:
        return None, False, False
    return unified, unified != true_value.type, unified != false_value.type


def _raw_equal(a: Value, b: Value) -> bool:
    return a.type == b.type and a.v is b.v and a.marks == b.marks if a.v is None or b.v is None else False


def _mismatch(a: cty.Type, b: cty.Type) -> str:
    if a.kind != b.kind:
        return f"The 'true' value is {_described(a)}, but the 'false' value is {_described(b)}"
    return f"The 'true' value is {_described(a)}, but the 'false' value is {_described(b)}"


def _described(t: cty.Type) -> str:
    name = t.friendly()
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}" if t.kind not in ("tuple", "object") else t.kind


# -- traversal -------------------------------------------------------------------------------------


def traverse(value: Value, step: ast.Step, pos: ast.Pos | None) -> Value:
    """One `.name` or `[key]` step on a value, as hcl.Traversal does (GetAttr / Index)."""
    if isinstance(step, ast.GetAttr):
        return get_attr(value, step.name, pos)
    key = step.key
    if isinstance(key, bool):
        key_value = cty.bool_value(key)
    elif isinstance(key, (int, Decimal)):
        key_value = cty.number(key)
    elif key is None:
        key_value = cty.null(DYNAMIC)
    else:
        key_value = cty.string(key)
    return index_value(value, key_value, pos)


def get_attr(value: Value, name: str, pos: ast.Pos | None) -> Value:
    inner, marks = value.unmark()
    t = inner.type
    if inner.v is None:
        raise EvalError("Attempt to get attribute from null value: This value is null, so it does not have any "
                        "attributes.", pos)
    if t.kind == "object":
        if name not in t.attrs:
            raise EvalError(f'Unsupported attribute: This object does not have an attribute named "{name}".', pos)
        if inner.v is cty.UNKNOWN:
            return cty.unknown(t.attrs[name]).mark(marks)
        return inner.v[name].mark(marks)
    if t.kind == "map":
        assert t.elem is not None
        if inner.v is cty.UNKNOWN:
            return cty.unknown(t.elem).mark(marks)
        if name not in inner.v:
            raise EvalError(f'Missing map element: This map does not have an element with the key "{name}".', pos)
        return inner.v[name].mark(marks)
    if t.kind == "dynamic":
        return cty.unknown(DYNAMIC).mark(marks)
    if t.kind in ("list", "set", "tuple"):
        raise EvalError(f"Unsupported attribute: Can't access attributes on a {t.friendly() if t.kind != 'tuple' else 'tuple'}"
                        f"{' of objects' if t.elem is not None and t.elem.kind == 'object' else ''}. Did you mean to "
                        "access an attribute for a specific element of the list, or across all elements of the list?",
                        pos)
    raise EvalError(f"Unsupported attribute: Can't access attributes on a primitive-typed value ({t.kind}).", pos)


def index_value(collection: Value, key: Value, pos: ast.Pos | None) -> Value:
    """`collection[key]` as hcl.Index does."""
    inner, marks = collection.unmark()
    key, key_marks = key.unmark()
    marks = marks | key_marks
    t = inner.type
    if inner.v is None:
        raise EvalError("Attempt to index null value: This value is null, so it does not have any indices.", pos)
    if key.v is None:
        raise EvalError("Invalid index: Can't use a null value as an indexing key.", pos)
    if t.kind == "dynamic":
        return cty.unknown(DYNAMIC).mark(marks)
    if t.kind in ("list", "tuple"):
        if key.v is cty.UNKNOWN:
            return cty.unknown(t.elem if t.elem is not None else DYNAMIC).mark(marks)
        try:
            number = cty.convert(key, NUMBER)
        except ConversionError as error:
            raise EvalError(f"Invalid index: The given key does not identify an element in this collection value: "
                            f"{error.message}.", pos) from error
        if isinstance(number.v, Decimal) and number.v.is_finite() and number.v.adjusted() > 18:
            # beyond int64 (cty's Int64 is not exact): refused before an int of a million digits is built
            raise EvalError("Invalid index: The given key does not identify an element in this collection value.",
                            pos)
        whole = numbers.quantize_integer(number.v)
        if whole is None:
            raise EvalError("Invalid index: The given key does not identify an element in this collection value: "
                            "indexing a sequence requires a whole number, but the given index has a fractional part.", pos)
        if inner.v is cty.UNKNOWN:
            element_type = t.elem if t.elem is not None else (t.elems[whole] if 0 <= whole < len(t.elems) else None)
            if element_type is None:
                raise EvalError("Invalid index: The given key does not identify an element in this collection value.",
                                pos)
            return cty.unknown(element_type).mark(marks)
        if not 0 <= whole < len(inner.v):
            raise EvalError("Invalid index: The given key does not identify an element in this collection value: the "
                            "given index is greater than or equal to the length of the collection."
                            if whole >= 0 else
                            "Invalid index: The given key does not identify an element in this collection value: a "
                            "negative number is not a valid index for a sequence.", pos)
        return inner.v[whole].mark(marks)
    if t.kind in ("map", "object"):
        if key.v is cty.UNKNOWN:
            if t.kind == "map":
                assert t.elem is not None
                return cty.unknown(t.elem).mark(marks)
            return cty.unknown(DYNAMIC).mark(marks)
        try:
            text = cty.convert(key, STRING).v
        except ConversionError as error:
            raise EvalError(f"Invalid index: The given key does not identify an element in this collection value: "
                            f"{error.message}.", pos) from error
        if t.kind == "object":
            if text not in t.attrs:
                raise EvalError('Invalid index: The given key does not identify an element in this collection '
                                'value.', pos)
            return (cty.unknown(t.attrs[text]) if inner.v is cty.UNKNOWN else inner.v[text]).mark(marks)
        assert t.elem is not None
        if inner.v is cty.UNKNOWN:
            return cty.unknown(t.elem).mark(marks)
        if text not in inner.v:
            raise EvalError("Invalid index: The given key does not identify an element in this collection value.",
                            pos)
        return inner.v[text].mark(marks)
    if t.kind == "set":
        raise EvalError("Invalid index: Elements of a set are identified only by their value and don't have any "
                        "separate index or key to select with, so it's only possible to perform operations across "
                        "all elements of the set.", pos)
    raise EvalError("Invalid index: This value does not have any indices.", pos)


# -- equality --------------------------------------------------------------------------------------


def equals(a: Value, b: Value) -> Value:
    """cty's Equals: marks of both sides on the result; unknown when either side is not wholly known
    (unless their types already differ)."""
    a, a_marks = a.unmark_deep()
    b, b_marks = b.unmark_deep()
    marks = a_marks | b_marks
    if a.v is None or b.v is None:
        if (a.v is cty.UNKNOWN and not a.not_null) or (b.v is cty.UNKNOWN and not b.not_null):
            return cty.unknown(BOOL, not_null=True).mark(marks)
        return cty.bool_value(a.v is None and b.v is None).mark(marks)
    if a.type.kind != "dynamic" and b.type.kind != "dynamic" and not _types_comparable(a.type, b.type):
        return cty.FALSE.mark(marks)
    if not a.is_wholly_known() or not b.is_wholly_known():
        # an unknown string's known prefix may rule a known string out (cty's ValueRange.Includes)
        unknown, other = (a, b) if a.v is cty.UNKNOWN else (b, a)
        if unknown.prefix and isinstance(other.v, str) and not other.v.startswith(unknown.prefix):
            return cty.FALSE.mark(marks)
        return cty.unknown(BOOL, not_null=True).mark(marks)
    return cty.bool_value(_equal_known(a, b)).mark(marks)


def _types_comparable(a: cty.Type, b: cty.Type) -> bool:
    return a == b


def _equal_known(a: Value, b: Value) -> bool:
    if a.type != b.type:
        return False
    if a.v is None or b.v is None:
        return a.v is None and b.v is None
    if a.type.kind == "number":
        return numbers.compare(a.v, b.v) == 0
    if isinstance(a.v, tuple):
        return len(a.v) == len(b.v) and all(_equal_known(x, y) for x, y in zip(a.v, b.v, strict=True))
    if isinstance(a.v, dict):
        return a.v.keys() == b.v.keys() and all(_equal_known(a.v[k], b.v[k]) for k in a.v)
    return bool(a.v == b.v)


_DISPATCH: dict[type, Callable[[_Evaluator, Any], Value]] = {
    ast.Literal: _Evaluator.literal,
    ast.ScopeTraversal: _Evaluator.scope_traversal,
    ast.RelativeTraversal: _Evaluator.relative_traversal,
    ast.Index: _Evaluator.index,
    ast.Anon: _Evaluator.anon_symbol,
    ast.Splat: _Evaluator.splat,
    ast.FunctionCall: _Evaluator.function_call,
    ast.Conditional: _Evaluator.conditional,
    ast.BinaryOp: _Evaluator.binary,
    ast.UnaryOp: _Evaluator.unary,
    ast.Parens: _Evaluator.parens,
    ast.TupleCons: _Evaluator.tuple_cons,
    ast.ObjectCons: _Evaluator.object_cons,
    ast.ForExpr: _Evaluator.for_expr,
    ast.Template: _Evaluator.template,
    ast.TemplateWrap: _Evaluator.template_wrap,
}

_SPECIAL_FORMS: dict[str, Callable[[_Evaluator, ast.FunctionCall], Value]] = {
    "try": _Evaluator.try_,
    "can": _Evaluator.can,
    "convert": _Evaluator.convert_,
}


class _Constants:
    """The context of a constant expression: nothing to refer to, no functions (a `.tfvars` value, a
    variable's default, an optional() default)."""

    functions = FunctionContext()
    allow_functions = False

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        raise EvalError("Variables not allowed: Variables may not be used here.", traversal.pos)


def evaluate_constant(expr: Any) -> Value:
    """The value of an expression that may refer to nothing and call no function, as Terraform reads
    `.tfvars` files, `-var` values and defaults."""
    return evaluate_expr(expr, _Constants())


def evaluate_expr(expr: Any, context: Context, symbols: dict[str, Value] | None = None) -> Value:
    """The value of `expr` in `context` (with extra local `symbols`, e.g. a dynamic block's iterator).

    The parser accepts expressions nested thousands deep (a long `a + b + ...` chain is a deep tree), as
    Terraform does: the recursion limit is raised while evaluating, and past that depth the expression is
    refused with a clear error instead of a RecursionError."""
    evaluator = _Evaluator(context)
    if symbols:
        evaluator.frame = _Frame(dict(symbols), None)
    try:
        with deep_recursion():
            return evaluator.eval(expr)
    except RecursionError:
        raise EvalError("Expression nested too deeply: iac evaluates expressions nested up to a few thousand "
                        "levels.", getattr(expr, "pos", None)) from None


class _TemplateScope:
    """What a `templatefile` template sees: only the variables it is given (as local symbols)."""

    allow_functions = True

    def __init__(self, functions: FunctionContext) -> None:
        self.functions = functions

    def lookup(self, traversal: ast.ScopeTraversal) -> tuple[Value, int]:
        raise EvalError(f'Invalid template variable: vars map does not contain key "{traversal.root}", referenced '
                        f"at {traversal.pos}.", traversal.pos)


def render_template(text: str, variables: Value, file: str, functions: FunctionContext) -> Value:
    """`templatefile`'s rendering: `text` parsed as a template and evaluated with `variables` (an object or
    map) as its only names. A nested `templatefile` call is refused, as Terraform refuses it."""
    from iac.lang.hcl import HclSyntaxError, parse_template

    try:
        tree = parse_template(text, file)
    except HclSyntaxError as error:
        raise EvalError(error.message, error.pos) from error
    symbols: dict[str, Value] = {}
    inner, marks = variables.unmark()
    if inner.v is not None and inner.v is not cty.UNKNOWN:
        for name, value in inner.v.items():
            symbols[name] = value.mark(marks)
    no_nesting = FunctionContext(functions.base_dir, functions.plan_timestamp, render_template=_refuse_nested)
    return evaluate_expr(tree, _TemplateScope(no_nesting), symbols)


def _refuse_nested(text: str, variables: Value, file: str) -> Value:
    raise FunctionError("cannot recursively call templatefile from inside templatefile or templatestring.")
