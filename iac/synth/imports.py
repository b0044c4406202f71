"""Objects to import: `environments/<name>.imports.json`, which `iac import ENV ADDRESS ID` writes, becomes
Terraform `import` blocks in the environment's main.tf.json (the next apply adopts the existing object into the
construct at ADDRESS instead of creating it; once imported, the block changes nothing).

The file maps construct addresses to the remote objects' ids, sorted: `{"databricks_cluster.shared": "0101-..."}`.
A fleet with a state per member keeps a section per part, keyed as its states are listed (`(shared)`, member
keys): `{"fraud": {"databricks_cluster.fraud_shared": "0101-..."}}`; each part imports only its own section
(the same address may be another object in another member's state).
It sits beside the environment file because it is values, not logic, and it is reviewed like one.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iac._jsonio import atomic_write, dumps, read_json
from iac.diagnostics import ConfigError, Diagnostic
from iac.stack import Stack

if TYPE_CHECKING:
    from iac.environment import Environment

__all__ = ["import_blocks", "imports_file", "read_imports", "write_imports"]

_FLAT = '"ADDRESS": "ID" strings'
_SECTIONED = 'one section per fleet part, {"MEMBER": {"ADDRESS": "ID"}} ("(shared)" for the shared part)'


def imports_file(project_dir: Path, environment: str) -> Path:
    return project_dir / "environments" / f"{environment}.imports.json"


def read_imports(project_dir: Path, environment: str, part: str | None = None) -> dict[str, str]:
    """The imports of an environment (`part` None) or of one part of a fleet (its section): empty when there are
    none; a malformed file, or one of the other layout, is a one-line error naming it."""
    found = _read(project_dir, environment)
    if part is None:
        if not _addresses(found):
            raise _malformed(project_dir, environment, f"expected an object of {_FLAT}"
                             + ("; this one has a section per fleet part (name one with --member KEY or "
                                "--shared-only)" if _sections(found) else ""))
        return dict(found)
    if not _sections(found):
        raise _malformed(project_dir, environment, f"a fleet with a state per member keeps {_SECTIONED}")
    return dict(found.get(part, {}))


def write_imports(project_dir: Path, environment: str, imports: dict[str, str], part: str | None = None) -> Path:
    """Write the environment's imports, or one part's section of them (the other sections kept as they are)."""
    content: dict[str, Any] = dict(sorted(imports.items()))
    if part is not None:
        sections = dict(_read(project_dir, environment))
        sections[part] = content
        content = {label: section for label, section in sorted(sections.items()) if section}
    return atomic_write(imports_file(project_dir, environment), dumps(content))


def import_blocks(environment: Environment, stack: Stack, project_dir: Path | None) -> list[dict[str, str]]:
    """Terraform JSON `import` blocks for the environment's imports (a fleet part's: its own section), each naming
    a construct of the stack."""
    if project_dir is None:
        return []
    imports = read_imports(project_dir, environment.name, environment.fleet_part)
    known = [c.address for c in stack.resources()]
    for address in imports:
        if stack.get(address) is None:
            close = difflib.get_close_matches(address, known, n=1, cutoff=0.8)
            who = "" if environment.fleet_part is None else f" of fleet part {environment.fleet_part}"
            raise ConfigError(Diagnostic(
                f"no construct{who} at this address to import into" + (f" (did you mean {close[0]!r}?)" if close else ""),
                source=str(imports_file(project_dir, environment.name).relative_to(project_dir)),
                environment=environment.name, address=address))
    return [{"to": address, "id": imports[address]} for address in sorted(imports)]


def _read(project_dir: Path, environment: str) -> dict[str, Any]:
    path = imports_file(project_dir, environment)
    if not path.is_file():
        return {}
    try:
        found: Any = read_json(path)
    except (OSError, ValueError) as error:
        raise ConfigError(Diagnostic(f"cannot read: {error}", source=str(path.relative_to(project_dir)),
                                     environment=environment)) from None
    if not isinstance(found, dict):
        raise _malformed(project_dir, environment, f"expected an object of {_FLAT}")
    return found


def _addresses(found: dict[str, Any]) -> bool:
    return all(isinstance(k, str) and isinstance(v, str) and v for k, v in found.items())


def _sections(found: dict[str, Any]) -> bool:
    return all(isinstance(section, dict) and _addresses(section) for section in found.values())


def _malformed(project_dir: Path, environment: str, why: str) -> ConfigError:
    return ConfigError(Diagnostic(why, source=str(imports_file(project_dir, environment).relative_to(project_dir)),
                                  environment=environment))
