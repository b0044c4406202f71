"""iac: Databricks estates as typed Python; deterministic Terraform JSON, iac's own plan, checks, verified apply.

The command line parses, calls the library, picks a renderer and maps errors to exit codes. Each command
lives in `iac/commands/<name>.py` and registers itself on `app`; this module only assembles them and maps
errors to exit codes in one place.

Exit codes:
  0  success
  1  error (bad input, unreadable state, a Terraform failure, a check that crashed)
  2  success with changes (only with --detailed-exitcode)
  3  denied by policy
"""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil
import sys
from typing import Any

import typer

from iac.diagnostics import IacError
from iac.lang.depth import deep_recursion

app = typer.Typer(
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    help=__doc__.split("\n\n", 1)[0] + "\n\nExit codes: 0 success; 1 error; 2 changes present (with --detailed-exitcode); 3 denied by policy.",
    rich_markup_mode=None,
)

# Every module in iac/commands/ registers its commands on `app` when imported: no shared list to edit.
# `iac --help` lists them in the order of the workflow; a new module goes after these, alphabetically.
_WORKFLOW_ORDER = ("init", "synth", "plan", "show", "check", "apply", "comment", "state", "output", "graph", "import_",
                   "explain", "sandbox", "version")
_COMMAND_MODULES: list[str] = sorted(
    (m.name for m in pkgutil.iter_modules(importlib.import_module("iac.commands").__path__) if not m.name.startswith("_")),
    key=lambda name: (_WORKFLOW_ORDER.index(name) if name in _WORKFLOW_ORDER else len(_WORKFLOW_ORDER), name),
)


def register_commands(command: str | None = None) -> None:
    """Import the command modules; each registers its commands on `app` (importing twice is a no-op). Given
    the command asked for, only the module named after it (`import`: import_.py), when that module registers
    it: planning a JSON file then never imports apply, fleets, the GitHub client or typer's completion."""
    if command is not None:
        module = next((m for m in (command.replace("-", "_"), command + "_") if m in _COMMAND_MODULES), None)
        if module is not None:
            importlib.import_module(f"iac.commands.{module}")
            if command in _registered_names():
                return
    for name in _COMMAND_MODULES:
        importlib.import_module(f"iac.commands.{name}")


def _registered_names() -> set[str]:
    commands = {c.name or (c.callback.__name__.replace("_", "-") if c.callback else "") for c in app.registered_commands}
    return commands | {g.name or "" for g in app.registered_groups}


def _command_asked_for(argv: list[str]) -> str | None:
    """The command word of a command line, when it comes first (`--version`: the version command's); None for
    other options first and for shell completion, which need every command."""
    if len(argv) < 2 or any(k.endswith("_COMPLETE") for k in os.environ if k.startswith("_")):
        return None
    if argv[1] == "--version":  # answered by the root callback: one light module is enough to form the group
        return "version"
    return None if argv[1].startswith("-") else argv[1]


def report(error: IacError) -> int:
    """Print every diagnostic of `error` on stderr, one line each, and return its exit code."""
    for diagnostic in error.diagnostics:
        typer.echo(f"Error: {diagnostic.format()}" if diagnostic.severity == "error" else diagnostic.format(), err=True)
    return error.exit_code


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"iac {installed_version()}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                       help="Print iac's version and exit.")) -> None:
    """Always a command group, even while only one command is registered."""


def installed_version() -> str:
    """iac's version as installed (`0+unknown` when run from a checkout that is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("iac")
    except PackageNotFoundError:
        return "0+unknown"


def main() -> None:
    """The command line, in-process (tests call it; `run()` is the executable). IacError is caught here
    and only here; --debug shows the traceback."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        # A configuration may nest thousands deep, and every walker of it recurses (iac/lang/depth.py): the
        # whole command runs with the raised limit, rendering included; past it, one line, never a traceback.
        with deep_recursion():
            register_commands(_command_asked_for(sys.argv))
            app()  # standalone mode: typer prints usage errors and exits 2 itself
    except IacError as error:
        if debug:
            raise
        sys.exit(report(error))
    except RecursionError:
        if debug:
            raise
        typer.echo("Error: Nesting too deep: the configuration nests expressions or values deeper than iac can "
                   "follow", err=True)
        sys.exit(1)
    except KeyboardInterrupt:  # Ctrl-C while the commands load (inside one, typer exits 130 itself)
        if debug:
            raise
        sys.exit(130)


def run() -> None:
    """The `iac` executable (and `python -m iac`): `main()`, ending the process without tearing the
    heap down when a command asked for it (`skip_teardown`)."""
    global _kept_until_exit
    _kept_until_exit = []
    try:
        main()
    except SystemExit as done:
        if _kept_until_exit:
            _exit_now(done.code)
        raise
    if _kept_until_exit:
        _exit_now(0)


_kept_until_exit: list[Any] | None = None
"""What commands asked to keep until the process ends; None unless `run()` is the entry point."""


def skip_teardown(*objects: Any) -> None:
    """For a read-only command whose result is built: keep `objects` alive and end the process without
    freeing them. A 100,000-resource plan is ~700 MB in millions of objects; freeing them one by one,
    then the interpreter's final collection, took seconds after the last line was printed. Everything
    alive is also frozen (`gc.freeze`): call it while the collector is still paused (`gc_paused`), else
    re-enabling the collector scans every object the plan made first (0.5 s at 100,000 resources).
    Only `run()` (the executable) honours it: commands invoked in-process (tests) free as usual."""
    if _kept_until_exit is not None:
        _kept_until_exit.append(objects)
        gc.freeze()


def _exit_now(code: Any) -> None:
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: what was written is all there is
        code = code or 1
    os._exit(code or 0)

