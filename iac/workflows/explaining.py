"""Explaining workflow: where a value of an environment's configuration comes from (`iac explain ENV ADDRESS[.attr]`).

The environment is built again, and the construct at ADDRESS is looked at after the blueprint ran and after each
resolve step (iac/resolve/pipeline.py), so every leaf value gets its story, in order:
  * set by the construct, at the blueprint line that made it (`modules/team_workspace.py:203`), and, when the
    value holds a string written in the environment file, that literal and its line (the member data the
    blueprint was given: `Team(name="fraud", cost_center="cc-1001")`);
  * changed or added by a step: indirect separation's prefixes, a development-mode preset (prefixed names,
    paused schedules, capped autotermination), the environment's default_tags; each with the environment-file
    line that asks for it.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iac.diagnostics import ConfigError, Diagnostic
from iac.values import format_path

__all__ = ["Explanation", "Origin", "explain"]

_STEP_WORDS = {
    "apply_separation": ("separation", "indirect separation: the environment's name prefixed to names and identifiers"),
    "add_default_tags": ("default_tags", "the environment's default_tags"),
}


@dataclass(frozen=True)
class Origin:
    """One attribute leaf: its final value and where it came from, first cause first."""

    path: str
    value: Any
    story: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Explanation:
    address: str
    construct: str
    """The construct class (`Cluster`)."""
    source: str
    """Where the blueprint made it (`modules/team_workspace.py:203`)."""
    provider: str | None
    origins: list[Origin]


def explain(environment: str, project: Path | None, address: str, attribute: str | None = None) -> Explanation:
    """Where each value of the construct at ADDRESS (or only of its attribute path `attribute`) comes from."""
    from iac.project import build_stack, find_project, load_environment
    from iac.resolve._step import run_steps
    from iac.resolve.pipeline import STEPS

    root = project or find_project()
    env = load_environment(root, environment)
    stack = build_stack(env)
    construct = stack.get(address)
    if construct is None:
        close = difflib.get_close_matches(address, [c.address for c in stack.resources()], n=1, cutoff=0.8)
        raise ConfigError(Diagnostic("no construct at this address" + (f" (did you mean {close[0]!r}?)" if close else ""),
                                     environment=environment, address=address))
    snapshots = [("built", dict(_leaves(construct.body())))]
    for step in STEPS:
        run_steps([step], env, stack)
        snapshots.append((step.name, dict(_leaves(construct.body()))))
    env_file = root / "environments" / f"{environment}.py"
    literals = _string_literals(env_file)
    final = snapshots[-1][1]
    wanted = [p for p in final if attribute is None or p == attribute or p.startswith((attribute + ".", attribute + "["))]
    if attribute is not None and not wanted:
        close = difflib.get_close_matches(attribute, list(final), n=1, cutoff=0.85)
        raise ConfigError(Diagnostic("not set in the configuration (the provider decides it: known after apply)"
                                     + (f"; did you mean {close[0]!r}?" if close else ""),
                                     environment=environment, address=address, attribute=attribute))
    origins = [Origin(path, final[path], _story(path, snapshots, construct.source, env_file, root, literals))
               for path in wanted]
    return Explanation(address, type(construct).__name__, construct.source, construct._provider or None, origins)


def _story(path: str, snapshots: list[tuple[str, dict[str, Any]]], source: str, env_file: Path, root: Path,
           literals: list[tuple[str, int]]) -> list[str]:
    story: list[str] = []
    built = snapshots[0][1]
    relative = env_file.relative_to(root)
    if path in built:
        story.append(f"set by the construct at {source}: {_show(built[path])}")
        value = built[path]
        reference = _REFERENCE.fullmatch(value) if isinstance(value, str) else None
        if reference:
            story.append(f"a reference to {reference.group(1)} (its {reference.group(2)}), known once that is planned")
        elif isinstance(value, str):
            story += [f"from the environment's data: {_show(text)} at {relative}:{line}"
                      for text, line in literals if len(text) >= 3 and text in value]
    previous = built.get(path, _ABSENT)
    for name, leaves in snapshots[1:]:
        now = leaves.get(path, _ABSENT)
        if now != previous:
            key, words = _STEP_WORDS.get(name, (None, f"the resolve step {name}"))
            if name == "apply_development_presets":
                key, words = _preset(path, previous, now)
            line = _line_of(env_file, key) if key else None
            where = f" ({relative}:{line})" if line else ""
            verb = "added by" if previous is _ABSENT else "changed by"
            story.append(f"{verb} {words}{where}: {_show(now)}")
            previous = now
    return story


_ABSENT = object()
_REFERENCE = re.compile(r"\$\{((?:data\.)?[\w-]+\.[\w-]+)\.([\w-]+)\}")


def _preset(path: str, before: Any, after: Any) -> tuple[str, str]:
    """Which development-mode preset made the change, and the environment keyword that controls it."""
    if path.endswith("autotermination_minutes"):
        return "presets", f"the development-mode autotermination cap (presets.max_autotermination_minutes = {after})"
    if path.endswith("pause_status"):
        return "presets", "the development-mode preset pause_schedules (schedules paused)"
    if isinstance(before, str) and isinstance(after, str) and after.endswith(before):
        return "mode", f"the development-mode preset prefix_names ({_show(after[: len(after) - len(before)])} prefixed)"
    return "mode", "a development-mode preset"


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[str, Any]]:
    """Leaf values by path (`custom_tags.team`, `task[0].task_key`); an empty map or list is a leaf."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            if key != "//":
                yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    elif path:
        yield format_path(path), value


def _string_literals(env_file: Path) -> list[tuple[str, int]]:
    """String constants of the environment file with their lines (its docstring excepted)."""
    try:
        tree = ast.parse(env_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return []
    docstring = ast.get_docstring(tree, clean=False)
    return sorted({(node.value, node.lineno) for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value != docstring},
                  key=lambda item: (item[1], item[0]))


def _line_of(env_file: Path, keyword: str) -> int | None:
    """The environment file's line that sets `keyword=` (its Environment(...) argument)."""
    try:
        tree = ast.parse(env_file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == keyword:
            return node.value.lineno
    return None


def _show(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)
