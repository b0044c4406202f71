"""`iac import ENV ADDRESS ID`: adopt an existing object into the construct at ADDRESS.

Writes the import into `environments/ENV.imports.json` (a Terraform `import` block in the synthesized
configuration); `iac plan ENV` then shows it and `iac apply ENV` records it. With `--sandbox`, the import is applied
into the sandbox right away (only ADDRESS) and must then plan as a no-op: proof that the construct describes the
object as it is. The work is iac/workflows/importing.py and the apply workflow.
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
) -> None:
    """Record that the existing object ID belongs to the construct at ADDRESS (an import block)."""
    from iac.workflows.importing import record_import

    recorded = record_import(environment, project, address, object_id)
    typer.echo(f"Wrote {recorded.path}: {address} (made at {recorded.source}) imports {object_id!r}"
               + (f", instead of {recorded.replaced!r}" if recorded.replaced else "") + ".")
    if not sandbox:
        typer.echo(f"`iac plan {environment}` shows the import; `iac apply {environment}` records it in the state.")
        return
    _prove(environment, project, address, engine)
    typer.echo(f"Proved in the sandbox: {address} imported, and iac plans no change for it.")


def _prove(environment: str, project: Path | None, address: str, engine: str) -> None:
    """Apply only ADDRESS into the sandbox (the apply run verifies Terraform's plan against iac's preview and
    confirms that iac plans nothing for it afterwards)."""
    from iac.apply import flow
    from iac.apply.target import from_environment
    from iac.terraform.approval import ApprovalFlags, StdinPrompt
    from iac.terraform.runner import parse_engine, select_runner
    from iac.workflows import applying
    from iac.workflows.importing import check_imported

    services = flow.Services(previewer=applying.default_previewer(), prompt=StdinPrompt(typer.echo),
                             echo=typer.echo, render=applying.renderer(False), runner_factory=select_runner)
    options = flow.ApplyOptions(targets=(address,), flags=ApprovalFlags(auto_approve=True), engine=parse_engine(engine))
    warn = lambda line: typer.echo(line, err=True)  # noqa: E731
    applying.run(from_environment(environment, project), options, services, sandbox=True, warn=warn)
    check_imported(environment, project, address, warn=warn)
