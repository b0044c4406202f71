"""`iac output ENV [NAME]`: the root outputs recorded in the state, read through the Terraform engine.

As `terraform output` writes them (HCL syntax), `--json` as a JSON object. A sensitive output is never printed:
`<sensitive>` in text, `"(sensitive value)"` in JSON, and asking for one by name is an error. The work is the
state workflow (iac/workflows/stateops.py). A fleet's outputs are its parts': `--member KEY` or `--shared-only`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iac._jsonio import dumps
from iac.cli import app
from iac.diagnostics import ConfigError, Diagnostic
from iac.render.hcl_values import hcl_value
from iac.terraform.runner import parse_engine
from iac.workflows.fleet_parts import one_state
from iac.workflows.stateops import SENSITIVE, read_outputs


@app.command("output")
def output_command(
    environment: Annotated[str, typer.Argument(help="Environment (see `iac envs`).")],
    name: Annotated[str | None, typer.Argument(help="Print only this output's value.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outputs as a JSON object.")] = False,
    sandbox: Annotated[bool, typer.Option("--sandbox", help="The outputs the offline sandbox recorded (`iac apply ENV --sandbox`).")] = False,
    engine: Annotated[str, typer.Option("--engine", help="auto, binary or embedded.")] = "auto",
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Fleets: this member's outputs.")] = None,
    shared_only: Annotated[bool, typer.Option("--shared-only", help="Fleets: the shared part's outputs.")] = False,
) -> None:
    """Print the outputs recorded in ENV's state (sensitive ones masked)."""
    with one_state(environment, project, member=member, shared_only=shared_only, sandbox=sandbox,
                   command="iac output", warn=_warn) as state:
        target = state.target
        outputs = read_outputs(target, sandbox=sandbox, engine=parse_engine(engine), warn=_warn, setup=state.setup)
    if name is not None:
        found = next((o for o in outputs if o.name == name), None)
        if found is None:
            known = ", ".join(o.name for o in outputs) or "none recorded"
            raise ConfigError(Diagnostic(f"no output named {name!r} in the state (outputs: {known})",
                                         environment=target.name))
        if found.sensitive:
            raise ConfigError(Diagnostic(f"output {name!r} is sensitive: iac never prints it", environment=target.name))
        typer.echo(dumps(found.value) if as_json else hcl_value(found.value))
        return
    if as_json:
        typer.echo(dumps({o.name: {"sensitive": o.sensitive, "value": SENSITIVE if o.sensitive else o.value}
                          for o in outputs}), nl=False)
        return
    if not outputs:
        _warn(f"{target.name}: no outputs recorded in the state")
    for output in outputs:
        typer.echo(f"{output.name} = {'<sensitive>' if output.sensitive else hcl_value(output.value)}")


def _warn(line: str) -> None:
    typer.echo(line, err=True)
