"""Finding a project and loading its environments (`environments/<name>.py`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from iac._usercode import user_code
from iac.constructs._base import environment_context
from iac.diagnostics import ConfigError, Diagnostic
from iac.environment import Environment
from iac.stack import Stack

__all__ = ["build_stack", "find_project", "list_environments", "load_environment"]


def find_project(start: Path | None = None) -> Path:
    """The nearest directory at or above `start` (default: cwd) that has an `environments/` folder."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "environments").is_dir():
            return candidate
    raise ConfigError(Diagnostic(f"no project found: no 'environments/' directory in {here} or above"))


def list_environments(project_dir: Path) -> list[str]:
    return sorted(p.stem for p in (project_dir / "environments").glob("*.py") if not p.stem.startswith("_"))


def load_environment(project_dir: Path, name: str) -> Environment:
    """Import `environments/<name>.py` and return its `environment` (an Environment, or a function returning one)."""
    names = list_environments(project_dir)
    if name not in names:
        raise ConfigError(Diagnostic(f"unknown environment {name!r}; valid environments: {', '.join(names) or '(none)'}"))
    path = project_dir / "environments" / f"{name}.py"
    if str(project_dir) not in sys.path:
        sys.path.insert(0, str(project_dir))  # so environments can import the project's modules/
    with environment_context(name), user_code(name, what=f"environments/{name}.py"):
        # the project's own code: whatever it does (raise, exit, loop) is one line at its line
        spec = importlib.util.spec_from_file_location(f"iac_environment_{name}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        value = getattr(module, "environment", None)
        environment = value() if callable(value) and not isinstance(value, Environment) else value
    if not isinstance(environment, Environment):
        raise ConfigError(Diagnostic(f"{path.relative_to(project_dir)} must define `environment` (an Environment)",
                                     environment=name))
    if environment.name != name:
        raise ConfigError(Diagnostic(f"environments/{name}.py defines an environment named {environment.name!r}",
                                     environment=name))
    return environment


def build_stack(environment: Environment) -> Stack:
    """Run the environment's blueprint into a fresh stack; errors carry the environment's name."""
    stack = Stack(environment)
    with environment_context(environment.name), user_code(environment.name, what="build()", called=environment.build,
                                                          fallback=f"environments/{environment.name}.py"):
        environment.build(stack)  # the blueprint: whatever it does (raise, exit, loop) is one line at its line
    return stack
