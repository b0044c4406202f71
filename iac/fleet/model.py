"""A fleet: one blueprint stamped over a list of members, each member with its own state, plus a shared part.

    Fleet(shared=shared_estate, blueprint=team_member, members=TEAMS)

`members` are values (a dataclass per team, say); each has a `key`: a short, stable name that names the
member's state (its working directory and backend key), so it must never change once the member exists
(a team that renames changes its display name, never its key). The `shared` builder adds the account-level
objects every member uses (the metastore, account groups) to a stack and returns what members read from
them: `{"metastore_id": metastore.metastore_id}`. The `blueprint` builds one member from its value and
those exports.

A fleet is also a plain `build` function: `Fleet(...)(stack)` builds the whole estate in one stack (the
shared part, then every member, exports passed as direct references). That is the *joined* form: what one
state holds before `iac fleet split` and after `iac fleet join`, and exactly the estate a single-state
environment built before. The *split* form builds each part on its own (`build_shared`, `build_member`):
the shared part outputs its exports, and a member reads them as input variables (`shared_<name>`), whose
values iac takes from the shared state (iac/fleet/parts.py says why variables, not `terraform_remote_state`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from iac.diagnostics import ConfigError, Diagnostic, did_you_mean, listed

if TYPE_CHECKING:
    from iac.stack import Stack

__all__ = ["EXPORT_VARIABLE_PREFIX", "Fleet", "SharedExports", "fleet_of", "listed_members", "member_and_shared_only",
           "member_key", "unknown_member"]

EXPORT_VARIABLE_PREFIX = "shared_"
"""A member reads the shared export `metastore_id` as the input variable `shared_metastore_id`."""

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_EXPORT = re.compile(r"^[a-z][a-z0-9_]*$")


class SharedExports:
    """What a member blueprint sees of the shared part: `shared.metastore_id`.

    In the joined form each export is the shared resource's reference itself; in the split form it is the
    member's input variable (`${var.shared_metastore_id}`). A blueprint cannot tell the two apart, which is
    the point: one blueprint, two layouts, the same resources."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            known = ", ".join(sorted(self._values)) or "(none)"
            raise AttributeError(f"the shared part exports no {name!r}; it exports: {known}") from None

    def __getitem__(self, name: str) -> Any:
        return self.__getattr__(name)

    def names(self) -> list[str]:
        return sorted(self._values)


@dataclass(frozen=True)
class Fleet:
    """A blueprint, its members and the shared part (see the module docstring)."""

    blueprint: Callable[..., Any]
    """`blueprint(stack, member, shared)`: build one member into `stack`; `shared` is a `SharedExports`."""
    members: Sequence[Any]
    """The members, values only, each with a stable `key` (str). Their order is the order of every output."""
    shared: Callable[..., Mapping[str, Any]] | None = None
    """`shared(stack) -> exports`: the account-level objects members use, and what members read of them
    (name -> reference or literal). None: the members share nothing."""
    canary: Sequence[str] | None = None
    """Member keys `iac apply` applies first, alone in their wave, before any other member (the rollout
    stops there if one fails). None: the first member; `()`: no canary."""
    batch: int = 10
    """How many members `iac apply` applies at once after the canaries (each wave waits for the one before)."""

    def __post_init__(self) -> None:
        if not isinstance(self.batch, int) or isinstance(self.batch, bool) or self.batch < 1:
            raise ConfigError(Diagnostic(f"Fleet(batch={self.batch!r}): a batch is a whole number of members, at least 1"))

    def canary_keys(self) -> list[str]:
        """The canary members' keys (checked: each names a member), in fleet order."""
        keys = self.member_keys()
        if self.canary is None:
            return keys[:1]
        wanted = [self.canary] if isinstance(self.canary, str) else list(self.canary)
        unknown = [k for k in wanted if k not in keys]
        if unknown:
            raise ConfigError(Diagnostic(f"Fleet(canary=...): no member {unknown[0]!r}; members: {', '.join(keys)}"))
        return [k for k in keys if k in wanted]

    def __call__(self, stack: Stack) -> None:
        """The joined form: the shared part and every member in one stack (one state)."""
        exports = self.build_shared(stack, joined=True)
        for member in self.members:
            self.blueprint(stack, member, exports)

    def member_keys(self) -> list[str]:
        """Every member's key, in member order; refuses duplicates and keys that cannot name a state."""
        keys = [member_key(m) for m in self.members]
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise ConfigError(Diagnostic(f"two fleet members have the key {key!r}: a key names one member's state"))
            seen.add(key)
        return keys

    def member(self, key: str) -> Any:
        for candidate in self.members:
            if member_key(candidate) == key:
                return candidate
        raise unknown_member(key, self.member_keys())

    def build_shared(self, stack: Stack, *, joined: bool = False) -> SharedExports:
        """Add the shared part to `stack`. Joined: members get the references themselves; split: each
        export also becomes an output of the shared state (what members' variables are fed from)."""
        if self.shared is None:
            return SharedExports({})
        exports = self.shared(stack)
        if not isinstance(exports, Mapping):
            raise ConfigError(Diagnostic("the fleet's shared builder must return its exports as a mapping "
                                         "(name -> reference), e.g. {'metastore_id': metastore.metastore_id}"))
        for name in exports:
            if not isinstance(name, str) or not _EXPORT.match(name):
                raise ConfigError(Diagnostic(f"shared export {name!r}: use lower case letters, digits and '_'"))
        if not joined:
            for name in sorted(exports):
                stack.output(name, exports[name], description=f"shared with every fleet member (var.{EXPORT_VARIABLE_PREFIX}{name})")
        return SharedExports(exports)

    def build_member(self, stack: Stack, member: Any, export_names: Sequence[str]) -> None:
        """The split form of one member: exports read from input variables."""
        variables = {name: "${var." + EXPORT_VARIABLE_PREFIX + name + "}" for name in export_names}
        self.blueprint(stack, member, SharedExports(variables))


def unknown_member(key: str, keys: Sequence[str], *, environment: str | None = None) -> ConfigError:
    """The one error for a member key the fleet does not have: the closest key, and the first ten of them
    (a fleet of 1,000 would otherwise make it a line of 10,000 characters)."""
    return ConfigError(Diagnostic(f"no fleet member {key!r}{did_you_mean(key, keys)}; members: {listed_members(keys)}",
                                  environment=environment))


def listed_members(keys: Sequence[str]) -> str:
    """Member keys for a one-line message: the first ten and how many more, or `(none)`."""
    return listed(list(keys), 10) or "(none)"


def member_and_shared_only(environment: str) -> ConfigError:
    """The one error for `--member KEY --shared-only`: each names what the other excludes, so neither is guessed."""
    return ConfigError(Diagnostic("give --member KEY or --shared-only, not both", environment=environment))


def member_key(member: Any) -> str:
    """The member's stable key (its `key` attribute), checked: it names a directory and a backend key."""
    key = getattr(member, "key", None)
    if not isinstance(key, str) or not _KEY.match(key):
        shown = repr(key) if key is not None else f"{type(member).__name__} without a `key` attribute"
        raise ConfigError(Diagnostic(f"fleet member {shown}: a member's key is lower case letters, digits, '_' or '-' "
                                     "(at most 63), and never changes (it names the member's state)"))
    return key


def fleet_of(environment: Any) -> Fleet | None:
    """The environment's fleet (its member keys checked, any problem naming the environment file), or None for
    a single-stack environment."""
    build = getattr(environment, "build", None)
    if not isinstance(build, Fleet):
        return None
    try:
        build.canary_keys()  # checks the member keys too
    except ConfigError as error:
        name = getattr(environment, "name", None)
        raise ConfigError(*(d.at(environment=name, source=f"environments/{name}.py") for d in error.diagnostics)) from None
    return build
