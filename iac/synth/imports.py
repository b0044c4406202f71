"""Objects to import: `environments/<name>.imports.json`, which `iac import ENV ADDRESS ID` writes, becomes
Terraform `import` blocks in the environment's main.tf.json (the next apply adopts the existing object into the
construct at ADDRESS instead of creating it; once imported, the block changes nothing).

The file maps construct addresses to the remote objects' ids, sorted: `{"databricks_cluster.shared": "0101-..."}`.
It sits beside the environment file because it is values, not logic, and it is reviewed like one.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from iac._jsonio import atomic_write, dumps, read_json
from iac.diagnostics import ConfigError, Diagnostic
from iac.stack import Stack

__all__ = ["import_blocks", "imports_file", "read_imports", "write_imports"]


def imports_file(project_dir: Path, environment: str) -> Path:
    return project_dir / "environments" / f"{environment}.imports.json"


def read_imports(project_dir: Path, environment: str) -> dict[str, str]:
    """The environment's imports (empty when it has no file); a malformed file is a one-line error naming it."""
    path = imports_file(project_dir, environment)
    if not path.is_file():
        return {}
    try:
        found: Any = read_json(path)
    except (OSError, ValueError) as error:
        raise ConfigError(Diagnostic(f"cannot read: {error}", source=str(path.relative_to(project_dir)),
                                     environment=environment)) from None
    if not isinstance(found, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in found.items()):
        raise ConfigError(Diagnostic('expected an object of "ADDRESS": "ID" strings',
                                     source=str(path.relative_to(project_dir)), environment=environment))
    return found


def write_imports(project_dir: Path, environment: str, imports: dict[str, str]) -> Path:
    return atomic_write(imports_file(project_dir, environment), dumps(dict(sorted(imports.items()))))


def import_blocks(environment: str, stack: Stack, project_dir: Path | None) -> list[dict[str, str]]:
    """Terraform JSON `import` blocks for the environment's imports, each naming a construct of the stack."""
    if project_dir is None:
        return []
    imports = read_imports(project_dir, environment)
    known = [c.address for c in stack.resources()]
    for address in imports:
        if stack.get(address) is None:
            close = difflib.get_close_matches(address, known, n=1, cutoff=0.8)
            raise ConfigError(Diagnostic(
                "no construct at this address to import into" + (f" (did you mean {close[0]!r}?)" if close else ""),
                source=str(imports_file(project_dir, environment).relative_to(project_dir)),
                environment=environment, address=address))
    return [{"to": address, "id": imports[address]} for address in sorted(imports)]
