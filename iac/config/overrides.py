"""Override files (`override.tf`, `*_override.tf`, and their `.tf.json` forms), merged as Terraform merges
them (https://developer.hashicorp.com/terraform/language/files/override):

- a block in an override file changes the block of the same type and labels in a primary file, which must
  exist ("Missing base ... definition to override");
- each argument it sets replaces the original's; each nested block type it has replaces *all* the
  original's blocks of that type; a resource's `lifecycle` is merged argument by argument;
- `locals` are overridden value by value, wherever they were declared;
- the `terraform` block: `required_providers` entries one by one, anything else (backend, cloud,
  required_version) replaced.

Documents are Terraform JSON shaped (`.tf` files arrive converted, see `iac.config.hcl`).
"""

from __future__ import annotations

from typing import Any

from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["override_document"]

Documents = list[tuple[dict[str, Any], str]]


def override_document(documents: Documents, override: dict[str, Any], file: str) -> None:
    """Merge one override file's document into the primary documents, in place."""
    for kind, value in override.items():
        if kind == "//":
            continue
        if kind in ("resource", "data"):
            for rtype, named in _mapping(value, file, kind).items():
                for name, body in _mapping(named, file, f"{kind}.{rtype}").items():
                    address = f"{'data.' if kind == 'data' else ''}{rtype}.{name}"
                    target = _find(documents, (kind, rtype, name))
                    if target is None:
                        raise _missing(file, f"{'data' if kind == 'data' else 'resource'}", address)
                    _merge_body(target, body, lifecycle=True)
        elif kind in ("variable", "output", "module", "provider"):
            for name, body in _mapping(value, file, kind).items():
                target = _find(documents, (kind, name))
                if target is None:
                    raise _missing(file, kind, f"{kind}.{name}")
                _merge_body(target, body, lifecycle=False)
        elif kind == "locals":
            for body in value if isinstance(value, list) else [value]:
                for name, expr in _mapping(body, file, "locals").items():
                    holder = _find_local(documents, name)
                    if holder is None:
                        raise _missing(file, "local value", f"local.{name}")
                    holder[name] = expr
        elif kind == "terraform":
            for body in value if isinstance(value, list) else [value]:
                _merge_terraform(documents, _mapping(body, file, "terraform"))
        else:  # moved, import, removed, check: not overridable; Terraform adds them
            documents.append(({kind: value}, file))


def _mapping(value: Any, file: str, what: str) -> dict[str, Any]:
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        merged: dict[str, Any] = {}
        for item in value:
            merged.update(item)
        return merged
    if not isinstance(value, dict):
        raise ConfigError(Diagnostic(f"{what} must be a JSON object", source=file))
    return value


def _find(documents: Documents, path: tuple[str, ...]) -> dict[str, Any] | None:
    for document, _file in documents:
        node: Any = document
        for key in path:
            if isinstance(node, list):
                node = next((item[key] for item in node if isinstance(item, dict) and key in item), None)
            elif isinstance(node, dict):
                node = node.get(key)
            else:
                node = None
            if node is None:
                break
        if isinstance(node, list) and len(node) == 1:
            node = node[0]
        if isinstance(node, dict):
            return node
    return None


def _find_local(documents: Documents, name: str) -> dict[str, Any] | None:
    for document, _file in documents:
        blocks = document.get("locals")
        for block in blocks if isinstance(blocks, list) else [blocks]:
            if isinstance(block, dict) and name in block:
                return block
    return None


def _merge_body(target: dict[str, Any], override: dict[str, Any], lifecycle: bool) -> None:
    for key, value in override.items():
        if key == "//":
            continue
        if lifecycle and key == "lifecycle" and isinstance(target.get(key), dict) and isinstance(value, dict):
            target[key] = {**target[key], **value}
        else:
            target[key] = value


def _merge_terraform(documents: Documents, override: dict[str, Any]) -> None:
    primary = _find(documents, ("terraform",))
    if primary is None:
        documents.append(({"terraform": override}, "override"))
        return
    for key, value in override.items():
        if key == "required_providers" and isinstance(primary.get(key), dict) and isinstance(value, dict):
            primary[key] = {**primary[key], **value}
        elif key in ("backend", "cloud"):
            primary.pop("backend", None)
            primary.pop("cloud", None)
            primary[key] = value
        else:
            primary[key] = value


def _missing(file: str, what: str, address: str) -> ConfigError:
    return ConfigError(Diagnostic(f"Missing base {what} definition to override: there is no {what} named "
                                  f"{address.split('.', 1)[-1] if what != 'local value' else address} in a primary "
                                  "configuration file to override.", source=file, address=address))
