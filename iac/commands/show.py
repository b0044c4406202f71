"""`iac show plan.json`: render a saved plan again.

Text by default (Terraform's human-readable plan, coloured only on a terminal, then the checks' cost,
findings and verdict when the plan carries them, as `iac plan` printed them), `--json` re-emits
the plan JSON deterministically, `--format markdown` the PR comment body. A file that cannot be read
or is not a plan JSON is a one-line error naming the file (exit 1).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer

from iac._jsonio import dumps
from iac._jsonread import decode_deep
from iac.cli import app
from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["read_plan", "render_saved", "show_command"]


def read_plan(path: Path) -> dict[str, Any]:
    """A plan JSON file (Terraform format 1.x, ours or Terraform's `show -json`), with exact numbers."""
    try:
        plan: Any = decode_deep(path.read_bytes())  # as Terraform reads JSON: invalid UTF-8, long numbers, deep nesting
    except OSError as error:
        raise ConfigError(Diagnostic(f"cannot read plan file: {error.strerror or error}", source=str(path))) from None
    except (ValueError, msgspec.DecodeError) as error:
        raise ConfigError(Diagnostic(f"not valid JSON: {error}", source=str(path))) from None
    version = plan.get("format_version") if isinstance(plan, Mapping) else None
    if not isinstance(version, str) or not version.startswith("1."):
        raise ConfigError(Diagnostic("not a Terraform plan JSON (format_version 1.x expected)", source=str(path)))
    changes = plan.get("resource_changes") or []
    if not isinstance(changes, list) or not all(isinstance(c, Mapping) and isinstance(c.get("change"), Mapping)
                                                 and isinstance(c["change"].get("actions"), list) for c in changes):
        raise ConfigError(Diagnostic("malformed plan JSON: resource_changes[].change.actions missing", source=str(path)))
    return dict(plan)


@app.command("show")
def show_command(
    plan_file: Annotated[Path, typer.Argument(help="A plan JSON written by `iac plan --out` (or `terraform show -json`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan JSON again (deterministic).")] = False,
    fmt: Annotated[str | None, typer.Option("--format", help="text (default), json or markdown.")] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="Never colour the text output.")] = False,
) -> None:
    """Render a saved plan again, exactly as `iac plan` printed it."""
    from iac.render import output_format

    fmt = output_format(fmt, as_json)  # text unless asked
    plan = read_plan(plan_file)
    color = not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
    typer.echo(render_saved(plan, fmt, color=color, source=str(plan_file)), nl=False)


def render_saved(plan: dict[str, Any], fmt: str, *, color: bool, source: str) -> str:
    """A plan file's rendering (text: the plan, then its cost, findings and verdict, as `iac plan` printed
    them); a file whose parts are not what a plan holds is one line naming it."""
    from iac.policy.render import render_plan_with_checks
    from iac.render import RENDERERS

    if fmt == "json":
        return dumps(plan)
    try:
        return render_plan_with_checks(plan, color=color) if fmt == "text" else RENDERERS[fmt](plan, color=color)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ConfigError(Diagnostic(f"malformed plan JSON: {type(error).__name__}: {error}", source=source)) from None
