"""One value's before/after with its unknown and sensitive marks, walked in step (Terraform's
`jsonformat/structured`): the input of the differ, read straight from a plan JSON change.

A child that is absent from a side is `None` with `*_explicit = False`; a child present as JSON
null is `None` with `*_explicit = True` (the difference matters for objects, see §0 of the formats
reference).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from iac.render._common import MASK, Action
from iac.render._strings import JsonNumber


class Matcher:
    """Paths into a value (replace_paths, or the paths our engine reports as changed).

    `propagate` makes a matched node match all its children too."""

    __slots__ = ("always", "paths", "propagate")

    def __init__(self, paths: Sequence[Sequence[Any]] = (), *, propagate: bool = False, always: bool = False) -> None:
        self.paths = tuple(tuple(p) for p in paths)
        self.propagate = propagate
        self.always = always

    def matches(self) -> bool:
        """A path ends exactly here."""
        return self.always or any(len(p) == 0 for p in self.paths)

    def matches_partial(self) -> bool:
        """Some path ends here or goes through here."""
        return self.always or bool(self.paths)

    def child(self, step: str | int) -> Matcher:
        if self.always or not self.paths:
            return self
        kept = []
        for path in self.paths:
            if not path:
                if self.propagate:
                    kept.append(path)
            elif str(path[0]) == str(step):  # indexes may be written as numbers or digit strings
                kept.append(path[1:])
        return Matcher(kept, propagate=self.propagate)


NOTHING = Matcher()
ALWAYS = Matcher(always=True)


def same(a: Any, b: Any) -> bool:
    """Deep equality of JSON values with types kept apart (`True` is not `1`, `"1"` is not `1`)."""
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, JsonNumber) or isinstance(b, JsonNumber):
        return bool(a == b)
    if isinstance(a, (int, Decimal)) or isinstance(b, (int, Decimal)):
        return isinstance(a, (int, Decimal)) and isinstance(b, (int, Decimal)) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return False


def _get(container: Any, key: str | int) -> tuple[Any, bool]:
    # Plan JSON is parsed into plain dicts and lists: exact type checks are much faster than ABCs.
    kind = type(container)
    if kind is dict:
        return (container[key], True) if key in container else (None, False)
    if kind is list and type(key) is int and 0 <= key < len(container):
        return container[key], True
    return None, False


@dataclass(slots=True)
class Change:
    """A value before and after, with `unknown` (after_unknown), the two sensitivity masks, the
    replace paths, and `changed`: the paths our engine reports as changed (`iac.reasons`), the only
    way to tell whether a value masked as "(sensitive value)" on both sides changed."""

    before: Any = None
    after: Any = None
    before_explicit: bool = False
    after_explicit: bool = False
    unknown: Any = None
    before_sensitive: Any = None
    after_sensitive: Any = None
    replace: Matcher = NOTHING
    changed: Matcher = NOTHING
    non_legacy: bool = False

    # -- children ------------------------------------------------------------------------------

    def key(self, name: str, *, explicit: bool = True) -> Change:
        """The child at an object attribute or map key (`explicit=False`: presence not recorded,
        as for the attributes of blocks and objects, whose changes are always implicit)."""
        before, before_explicit = _get(self.before, name)
        after, after_explicit = _get(self.after, name)
        return Change(
            before, after, before_explicit and explicit, after_explicit and explicit,
            _get(self.unknown, name)[0], _get(self.before_sensitive, name)[0], _get(self.after_sensitive, name)[0],
            self.replace.child(name), self.changed.child(name), self.non_legacy,
        )

    def index(self, before_ix: int, after_ix: int) -> Change:
        """The child pairing element `before_ix` of before with `after_ix` of after."""
        before, before_explicit = _get(self.before, before_ix)
        after, after_explicit = _get(self.after, after_ix)
        relevant = before_ix if 0 <= before_ix < len(self.before_list) else after_ix
        return Change(
            before, after, before_explicit, after_explicit,
            _get(self.unknown, after_ix)[0], _get(self.before_sensitive, before_ix)[0],
            _get(self.after_sensitive, after_ix)[0], self.replace.child(relevant), self.changed.child(relevant),
        )

    @property
    def before_map(self) -> Mapping[str, Any] | None:
        return self.before if isinstance(self.before, dict) else None

    @property
    def after_map(self) -> Mapping[str, Any] | None:
        return self.after if isinstance(self.after, dict) else None

    @property
    def before_list(self) -> list[Any]:
        return self.before if isinstance(self.before, list) else []

    @property
    def after_list(self) -> list[Any]:
        return self.after if isinstance(self.after, list) else []

    def explicit_keys(self) -> list[str]:
        return sorted({*(self.before_map or ()), *(self.after_map or ())})

    def all_keys(self) -> list[str]:
        keys = set(self.explicit_keys())
        for extra in (self.unknown, self.before_sensitive, self.after_sensitive):
            if isinstance(extra, dict):
                keys.update(extra)
        return sorted(keys)

    # -- marks ---------------------------------------------------------------------------------

    @property
    def is_unknown(self) -> bool:
        return self.unknown is True

    @property
    def is_before_sensitive(self) -> bool:
        return self.before_sensitive is True

    @property
    def is_after_sensitive(self) -> bool:
        return self.after_sensitive is True

    @property
    def masked(self) -> bool:
        """A side holds our mask string instead of its value."""
        return (self.before == MASK and self.is_before_sensitive) or (self.after == MASK and self.is_after_sensitive)

    # -- actions -------------------------------------------------------------------------------

    def calculate_action(self) -> Action:
        """The action for a leaf: create/delete when a side is missing, else no-op or update."""
        if self.before is None and not self.before_explicit and (self.after is not None or self.after_explicit):
            return Action.CREATE
        if self.after is None and not self.after_explicit and (self.before is not None or self.before_explicit):
            return Action.DELETE
        if (
            same(self.before, self.after)
            and self.after_explicit == self.before_explicit
            and self.is_after_sensitive == self.is_before_sensitive
        ):
            return Action.NOOP
        return Action.UPDATE

    def default_action_for_iteration(self) -> Action:
        """The starting action of a collection, refined by its children's actions."""
        if self.before is None and self.after is None:
            return Action.NOOP
        if self.before is None:
            return Action.CREATE
        if self.after is None:
            return Action.DELETE
        return Action.NOOP

    def as_noop(self) -> Change:
        return replace(self, after_explicit=self.before_explicit, after=self.before, unknown=False,
                       after_sensitive=self.before_sensitive)

    def as_delete(self) -> Change:
        return replace(self, after_explicit=False, after=None, unknown=None, after_sensitive=None)

    def as_create(self) -> Change:
        return replace(self, before_explicit=False, before=None, before_sensitive=None)

    def unmarked(self) -> Change:
        """The same change with its sensitivity marks removed."""
        return replace(self, before_sensitive=False, after_sensitive=False)


def compare_actions(current: Action, following: Action) -> Action:
    """Fold a child's action into its collection's: any difference makes an update."""
    if following is Action.NOOP:
        return current
    return Action.UPDATE if current is not following else current
