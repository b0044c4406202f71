"""Values without a schema type (dynamic attributes, outputs, JSON inside strings) diffed by their
JSON shape, and the sensitive/unknown handling shared with typed values (Terraform's `jsondiff`
and `structured.CheckFor*`).

Also the renderer of primitive leaves, typed or not (`PrimitiveRenderer`): a string holding JSON renders
as the JSON diff of its content, whose leaves are primitives again, so the two recurse into each other
and share this module (the text of primitive values is iac.render._primitive)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from iac.render._change import Change, compare_actions, same
from iac.render._common import Action
from iac.render._nodes import (
    Diff,
    ListRenderer,
    NoWarnings,
    ObjectRenderer,
    Opts,
    Renderer,
    SensitiveRenderer,
    TypeChangeRenderer,
    UnknownRenderer,
    forces_replacement,
    null_suffix,
    pad,
    symbol,
)
from iac.render._primitive import Evaluated, evaluate, heredoc_diff, render_plain
from iac.render._sequence import process_slice
from iac.render._strings import JsonNumber


def check_sensitive(change: Change, inner_of: Callable[[Change], Diff],
                    wrap: Callable[[Diff, bool, bool], Renderer], replace_: bool) -> Diff | None:
    """A sensitive value renders as `(sensitive value)`; None when the value is not sensitive.

    Our plan JSON holds the mask string instead of sensitive values, so when a side is masked the
    action comes from presence alone, and a masked value that looks unchanged is an update when
    our engine reports a change below it (`Change.changed`)."""
    before, after = change.is_before_sensitive, change.is_after_sensitive
    if not before and not after:
        return None
    value = change.unmarked()
    inner = inner_of(value)
    if change.masked and not change.is_unknown:  # an unknown after value: the inner diff already says update/create
        masked_action = value.calculate_action()
        if masked_action is Action.NOOP and change.changed.matches_partial():
            masked_action = Action.UPDATE
        inner = Diff(inner.renderer, masked_action, inner.replace)
    action = inner.action
    null_noop = (change.before is None and not change.before_explicit
                 and change.after is None and not change.after_explicit)
    if action is Action.NOOP and before != after and not null_noop:
        action = Action.UPDATE  # only the sensitivity changes
    return Diff(wrap(inner, before, after), action, replace_)


def check_unknown(change: Change, child_unknown: Any, when_created: Callable[[Change], Diff],
                  when_updated: Callable[[Change, Change], Diff]) -> Diff | None:
    """An unknown after value renders as `(known after apply)` (after the old value, if any)."""
    if not change.is_unknown:
        return None
    change = replace(change, after_explicit=True)  # after is null here, yet not deleted
    if change.before is None:
        return when_created(change)
    return when_updated(change, replace(change.as_delete(), unknown=child_unknown))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, Decimal, JsonNumber)):
        return "number"
    if isinstance(value, Mapping):
        return "object"
    return "array"


def transform(change: Change) -> Diff:
    """The diff of a value by its JSON shape (Terraform's `JsonOpts.Transform`)."""
    sensitive = check_sensitive(change, transform, SensitiveRenderer, False)
    if sensitive is not None:
        return sensitive
    unknown = check_unknown(
        change, False,
        lambda current: Diff(UnknownRenderer(), Action.CREATE),
        lambda current, before: Diff(UnknownRenderer(transform(before)), Action.UPDATE),
    )
    if unknown is not None:
        return unknown
    before_type, after_type = _json_type(change.before), _json_type(change.after)
    deleted = after_type == "null" and not change.after_explicit
    created = before_type == "null" and not change.before_explicit
    if before_type == after_type or created or deleted:
        return _update(change, before_type if before_type != "null" else after_type)
    swap = TypeChangeRenderer(_update(change.as_delete(), before_type), _update(change.as_create(), after_type))
    return Diff(swap, Action.UPDATE)


def _update(change: Change, json_type: str) -> Diff:
    if json_type == "object":
        return _object(change)
    if json_type == "array":
        return _array(change)
    return _primitive(change, None if json_type == "null" else json_type)


def _primitive(change: Change, ctype: str | None) -> Diff:
    before_missing = change.before is None and not change.before_explicit
    after_missing = change.after is None and not change.after_explicit
    if before_missing and not after_missing:
        action = Action.CREATE
    elif after_missing and not before_missing:
        action = Action.DELETE
    elif same(change.before, change.after):
        action = Action.NOOP
    else:
        action = Action.UPDATE
    return Diff(PrimitiveRenderer(change.before, change.after, ctype), action)


def collection_action(before: Any, after: Any, kind: type) -> Action:
    """The starting action of a list or map: create or delete when one side is not one."""
    if isinstance(before, kind) and not isinstance(after, kind):
        return Action.DELETE
    if not isinstance(before, kind) and isinstance(after, kind):
        return Action.CREATE
    return Action.NOOP


def _object(change: Change) -> Diff:
    action = collection_action(change.before, change.after, Mapping)
    elements = {}
    for key in change.all_keys():
        elements[key] = transform(change.key(key))
        action = compare_actions(action, elements[key].action)
    return Diff(ObjectRenderer(elements), action)


def transform_slice(change: Change, element_of: Callable[[Change], Diff], is_object: Callable[[Any], bool]) -> tuple[list[Diff], Action]:
    """Diff a list element by element, pairing elements through their longest common subsequence."""
    action = collection_action(change.before, change.after, list)
    elements: list[Diff] = []

    def process(b: int, a: int) -> None:
        nonlocal action
        element = element_of(change.index(b, a))
        elements.append(element)
        action = compare_actions(action, element.action)

    process_slice(change.before_list, change.after_list, process, is_object, same)
    return elements, action


def _array(change: Change) -> Diff:
    elements, action = transform_slice(change, transform, lambda v: isinstance(v, Mapping))
    return Diff(ListRenderer(elements), action)


def json_diff(before: Any, after: Any, *, before_explicit: bool, after_explicit: bool) -> Diff:
    """The diff of two decoded JSON documents (a string attribute holding JSON)."""
    return transform(Change(before, after, before_explicit, after_explicit, unknown=False,
                            before_sensitive=False, after_sensitive=False))


@dataclass(frozen=True, slots=True)
class PrimitiveRenderer(NoWarnings):
    """A primitive value: numbers and bools as written, strings Go-quoted, strings holding JSON as a
    `jsonencode(...)` structural diff, multi-line strings as `<<-EOT` heredocs diffed line by line.
    `ctype` is "string", "number", "bool", or None for a JSON null."""

    before: Any
    after: Any
    ctype: str | None

    def write(self, diff: Diff, indent: int, opts: Opts, out: list[str]) -> None:
        out.append(self._text(diff, indent, opts))

    def _text(self, diff: Diff, indent: int, opts: Opts) -> str:
        if self.ctype == "string":
            return self._string(diff, indent, opts)
        before, after = render_plain(self.before, opts), render_plain(self.after, opts)
        replace = forces_replacement(diff.replace, opts)
        if diff.action is Action.CREATE:
            return f"{after}{replace}"
        if diff.action is Action.DELETE:
            return f"{before}{null_suffix(diff.action, opts)}{replace}"
        if diff.action is Action.NOOP:
            return f"{before}{replace}"
        return f"{before} {opts.c('[yellow]->[reset]')} {after}{replace}"

    def _string(self, diff: Diff, indent: int, opts: Opts) -> str:
        replace = forces_replacement(diff.replace, opts)
        if diff.action in (Action.CREATE, Action.NOOP, Action.DELETE):
            value = self.before if diff.action is Action.DELETE else self.after
            text = evaluate(value, opts)
            if diff.action is Action.DELETE and text.null:
                return f"{text.simple()}{replace}"
            if text.is_json:
                before = text if diff.action is not Action.CREATE else None
                after = text if diff.action is not Action.DELETE else None
                return _json_string(diff, indent, opts, before, after)
            if not text.multiline:
                suffix = null_suffix(diff.action, opts) if diff.action is Action.DELETE else ""
                return f"{text.simple()}{suffix}{replace}"
            lead = f"{pad(indent + 1)}{symbol(Action.NOOP, opts)}"
            lines = [lead + line for line in text.text.split("\n")]
        else:
            before, after = evaluate(self.before, opts), evaluate(self.after, opts)
            if before.is_json and after.is_json:
                return _json_string(diff, indent, opts, before, after)
            if before.is_json or after.is_json:
                swap = TypeChangeRenderer(Diff(PrimitiveRenderer(self.before, None, "string"), Action.DELETE),
                                          Diff(PrimitiveRenderer(None, self.after, "string"), Action.CREATE))
                return Diff(swap, diff.action, diff.replace).render(indent, opts)
            if not before.multiline and not after.multiline:
                return f"{before.simple()} {opts.c('[yellow]->[reset]')} {after.simple()}{replace}"
            lines = heredoc_diff(before.text.split("\n"), after.text.split("\n"), indent, opts)
        body = "\n".join(lines)
        return f"<<-EOT{replace}\n{body}\n{pad(indent)}{symbol(Action.NOOP, opts)}EOT{null_suffix(diff.action, opts)}"


def _json_string(diff: Diff, indent: int, opts: Opts, before: Evaluated | None, after: Evaluated | None) -> str:
    json_change_diff = json_diff(
        before.json if before else None,
        after.json if after else None,
        before_explicit=diff.action is not Action.CREATE,
        after_explicit=diff.action is not Action.DELETE,
    )
    action = diff.action
    json_opts = opts.clone(override_null_suffix=True)
    whitespace = replace = ""
    if json_change_diff.action is Action.NOOP and diff.action is Action.UPDATE:
        # Only whitespace changed: the JSON diff is empty, so say so and show the whole value.
        whitespace = " # whitespace changes force replacement" if diff.replace else " # whitespace changes"
        json_opts = opts.clone(override_null_suffix=True, show_unchanged_children=True)
        action = Action.NOOP
    else:
        replace = forces_replacement(diff.replace, opts)
    rendered = json_change_diff.render(indent + 1, json_opts)
    if diff.action in (Action.CREATE, Action.DELETE):
        action = Action.NOOP  # no +/- on the JSON body; `~` is kept for updates
    if "\n" in rendered:
        return (f"jsonencode({whitespace}\n{pad(indent + 1)}{symbol(action, opts)}{rendered}{replace}\n"
                f"{pad(indent)}{symbol(Action.NOOP, opts)}){null_suffix(diff.action, opts)}")
    return f"jsonencode({rendered}){whitespace}{replace}"
