"""The executable imports only the command module it runs: which module registers which command is found by
the module's name, and planning a JSON file never imports apply, fleets, GitHub or the sandbox."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import importlib, sys
from iac import cli
found = {}
for module in cli._COMMAND_MODULES:
    before = cli._registered_names()
    importlib.import_module("iac.commands." + module)
    for name in cli._registered_names() - before:
        found[name] = module
print(repr(found))
"""


def test_every_command_is_found_in_the_module_its_name_points_to() -> None:
    """A fresh interpreter registers the modules one by one: each command's module is the one its name picks."""
    result = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    found: dict[str, str] = eval(result.stdout)  # noqa: S307 - our own probe's repr of a dict of strings
    assert {"plan", "apply", "import", "fleet", "state", "version"} <= set(found)
    cli = importlib.import_module("iac.cli")
    picked = {name: next((m for m in (name.replace("-", "_"), name + "_") if m in cli._COMMAND_MODULES), None)
              for name in found}
    # a command whose name points to no module (or another one) costs a full registration, never a wrong one
    misplaced = {name for name, module in picked.items() if module not in (None, found[name])}
    assert misplaced == set()
    assert picked["plan"] == "plan" and picked["import"] == "import_"


def test_planning_a_json_file_imports_only_what_planning_uses(tmp_path: Path) -> None:
    config = tmp_path / "main.tf.json"
    config.write_text('{"resource": {"terraform_data": {"a": {"input": "x"}}}}')
    probe = ("import sys, runpy\n"
             f"sys.argv = ['iac', 'plan', '--config', {str(config)!r}, '--json']\n"
             "from iac import cli\n"
             "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
             "print('MODULES', sorted(m for m in sys.modules if m.startswith('iac.')), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert '"create"' in result.stdout, result.stderr[-2000:]
    loaded = eval(result.stderr.rsplit("MODULES ", 1)[1])  # noqa: S307
    for unused in ("iac.commands.apply", "iac.commands.fleet", "iac.apply.flow", "iac.github.client",
                   "iac.sandbox", "iac.workflows.fleet_planning", "iac.terraform.audit"):
        assert unused not in loaded, unused


def test_a_misspelt_command_still_lists_every_command() -> None:
    result = subprocess.run([sys.executable, "-m", "iac", "plam"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "No such command 'plam'" in result.stderr


def test_the_version_option_loads_no_other_command() -> None:
    probe = ("import sys\nsys.argv = ['iac', '--version']\nfrom iac import cli\n"
             "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
             "print('MODULES', sorted(m for m in sys.modules if m.startswith('iac.commands.')), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.stdout.startswith("iac "), result.stderr[-2000:]
    assert eval(result.stderr.rsplit("MODULES ", 1)[1]) == ["iac.commands.version"]  # noqa: S307
