"""`iac import ENV ADDRESS ID`: adopt an existing object into the construct at ADDRESS.

Writes the import into `environments/ENV.imports.json` (a Terraform `import` block in the synthesized
configuration); `iac plan ENV` then shows it and `iac apply ENV` records it. With `--sandbox`, the import is applied
into the sandbox right away (only ADDRESS) and must then plan as a no-op: proof that the construct describes the
object as it is. In a fleet with a state per member, `--member KEY` (or `--shared-only`) names the part: its own
section of the imports file, its own state. The work is iac/workflows/importing.py and the apply workflow.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from iac.cli import app


@app.command("import")
def import_command(
    environment: Annotated[str, typer.Argument(help="Environment (see `iac envs`).")],
    address: Annotated[str, typer.Argument(help="The construct's address (`databricks_cluster.shared`).")],
    object_id: Annotated[str, typer.Argument(metavar="ID", help="The existing object's id, as the provider imports it.")],
    sandbox: Annotated[bool, typer.Option("--sandbox", help="Then apply the import into the sandbox and prove it plans as a no-op.")] = False,
    engine: Annotated[str, typer.Option("--engine", help="With --sandbox: auto, binary or embedded.")] = "auto",
    project: Annotated[Path | None, typer.Option("--project", help="Project directory (default: nearest with environments/).")] = None,
    member: Annotated[str | None, typer.Option("--member", help="Fleets: import into this member's state.")] = None,
    shared_only: Annotated[bool, typer.Option("--shared-only", help="Fleets: import into the shared part's state.")] = False,
) -> None:
    """Record that the existing object ID belongs to the construct at ADDRESS (an import block)."""
    from iac.workflows.importing import record_import

    recorded = record_import(environment, project, address, object_id, member=member, shared_only=shared_only)
    into = "" if recorded.part is None else f" (fleet part {recorded.part})"
    typer.echo(f"Wrote {recorded.path}: {address}{into} (made at {recorded.source}) imports {object_id!r}"
               + (f", instead of {recorded.replaced!r}" if recorded.replaced else "") + ".")
    flag = "" if recorded.part is None else " --shared-only" if shared_only else f" --member {member}"
    if not sandbox:
        typer.echo(f"`iac plan {environment}{flag}` shows the import; `iac apply {environment}{flag}` records it in "
                   "the state.")
        return
    _prove(environment, project, address, engine, member=member, shared_only=shared_only)
    typer.echo(f"Proved in the sandbox: {address}{into} imported, and iac plans no change for it.")


def _prove(environment: str, project: Path | None, address: str, engine: str, *, member: str | None,
           shared_only: bool) -> None:
    """Apply only ADDRESS into the sandbox, then check iac plans nothing for it (iac/workflows/importing.py)."""
    from iac.apply import flow
    from iac.terraform.approval import ApprovalFlags, StdinPrompt
    from iac.terraform.runner import parse_engine, select_runner
    from iac.workflows import applying
    from iac.workflows.importing import prove_import

    services = flow.Services(previewer=applying.default_previewer(), prompt=StdinPrompt(typer.echo),
                             echo=typer.echo, render=applying.renderer(False), runner_factory=select_runner)
    options = flow.ApplyOptions(targets=(address,), flags=ApprovalFlags(auto_approve=True), engine=parse_engine(engine))
    prove_import(environment, project, address, options, services, member=member, shared_only=shared_only,
                 warn=lambda line: typer.echo(line, err=True))
