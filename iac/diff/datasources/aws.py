"""`aws_iam_policy_document` (hashicorp/aws 5.100.0), computed as the provider computes it: locally,
from its configuration alone (internal/service/iam/policy_document_data_source.go and policy_model.go).

The document: the `source_policy_documents` merged in order (a statement with a Sid replaces one with
the same Sid), then the configured statements, then the `override_policy_documents`; `Version` is the
highest seen. Per statement: `Effect` (default Allow), `Action`/`NotAction`/`Resource`/`NotResource` as
one string when the set has one element, else reverse-sorted; principals grouped by type into a map
(identifiers the same way), `{"*": "*"}` alone written as `"*"`; conditions as test -> variable ->
values (one value as a string). `&{` is written `${` in resources, principals and condition values
(an error for version 2008-10-17). Sets are iterated in the SDK's order (iac.diff.datasources.sdkset).
Written with Go's MarshalIndent (`json`) and Marshal (`minified_json`); `id` is the CRC-32 of `json`.

Checked byte for byte against the real provider in tests/providers/test_aws_oracle.py.
"""

from __future__ import annotations

import json
from typing import Any

from iac.diff.datasources.gojson import GoMap, marshal, marshal_indent
from iac.diff.datasources.sdkset import hash_code, set_order
from iac.schema import ResourceSchema

__all__ = ["PolicyError", "read_policy_document"]


class PolicyError(ValueError):
    """A configuration the provider refuses while reading (its message)."""


def read_policy_document(config: dict[str, Any], schema: ResourceSchema) -> dict[str, Any]:
    """The state the provider writes for this configuration (config values, defaults, results)."""
    statement_block = schema.block.block_types["statement"].block
    merged: dict[str, Any] = {"Version": "", "Id": "", "Statement": []}
    sids: set[str] = set()
    for index, text in enumerate(config.get("source_policy_documents") or []):
        if text is None:
            continue
        source = _parse(text, f"merging source document {index}")
        for position, statement in enumerate(source["Statement"]):
            sid = statement.get("Sid", "")
            if sid:
                if sid in sids:
                    raise PolicyError(f"writing IAM Policy Document: merging source document {index}: duplicate Sid "
                                      f"({sid}) in source_policy_documents (statement {position}). Remove the Sid or "
                                      "ensure Sids are unique.")
                sids.add(sid)
        _merge(merged, source)
    version = config.get("version") or "2012-10-17"
    document: dict[str, Any] = {"Version": version, "Id": config.get("policy_id") or "", "Statement": []}
    seen: set[str] = set()
    for raw in config.get("statement") or []:
        document["Statement"].append(_statement(raw, version, seen, statement_block))
    _merge(merged, document)
    for index, text in enumerate(config.get("override_policy_documents") or []):
        if text is not None:
            _merge(merged, _parse(text, f"merging override document {index}"))
    rendered = _document(merged)
    text = marshal_indent(rendered)
    state = _state(config, statement_block)
    state.update(json=text, minified_json=marshal(rendered), id=str(hash_code(text)))
    return state


def _statement(raw: dict[str, Any], version: str, seen: set[str], block: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Sid": "", "Effect": raw.get("effect") or "Allow"}
    sid = raw.get("sid") or ""
    if sid in seen:
        raise PolicyError(f"writing IAM Policy Document: duplicate Sid ({sid}). Remove the Sid or ensure the Sid is unique.")
    statement["Sid"] = sid
    if sid:
        seen.add(sid)
    for key, field, replace in (("actions", "Action", False), ("not_actions", "NotAction", False),
                                ("resources", "Resource", True), ("not_resources", "NotResource", True)):
        items = list(raw.get(key) or [])
        if items:
            decoded = _decode(items)
            statement[field] = _replace_vars(decoded, version, key) if replace else decoded
    for key, field in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        items = list(raw.get(key) or [])
        if items:
            ordered = set_order(items, block.block_types[key].block)
            statement[field] = [(p["type"], _replace_vars(_decode(list(p["identifiers"] or [])), version, key))
                                for p in ordered]
    conditions = list(raw.get("condition") or [])
    if conditions:
        found = []
        for item in set_order(conditions, block.block_types["condition"].block):
            values = _replace_vars(list(item["values"] or []), version, "condition")
            found.append((item["test"], item["variable"], values[0] if len(values) == 1 else values))
        statement["Condition"] = found
    return statement


def _decode(items: list[str]) -> Any:
    """`policyDecodeConfigStrings`: one element as a string, else reverse-sorted."""
    return items[0] if len(items) == 1 else sorted(items, reverse=True)


def _replace_vars(value: Any, version: str, what: str) -> Any:
    values = [value] if isinstance(value, str) else value
    for item in values:
        if version == "2008-10-17" and "&{" in item:
            raise PolicyError(f"reading {what}: found &{{ sequence in ({item}), which is not supported in document "
                              "version 2008-10-17")
    replaced = [item.replace("&{", "${") for item in values]
    return replaced[0] if isinstance(value, str) else replaced


def _merge(into: dict[str, Any], new: dict[str, Any]) -> None:
    if new["Id"]:
        into["Id"] = new["Id"]
    if new["Version"] > into["Version"]:
        into["Version"] = new["Version"]
    for statement in new["Statement"]:
        sid = statement.get("Sid", "")
        if sid:
            for index, existing in enumerate(into["Statement"]):
                if existing.get("Sid", "") == sid:
                    into["Statement"][index] = statement
                    break
            else:
                into["Statement"].append(statement)
        else:
            into["Statement"].append(statement)


def _parse(text: str, what: str) -> dict[str, Any]:
    """A source/override document as the provider's model reads it (Unmarshal)."""
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise PolicyError(f"writing IAM Policy Document: {what}: {error}") from error
    statements = raw.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    parsed = []
    for item in statements:
        statement: dict[str, Any] = {"Sid": item.get("Sid", ""), "Effect": item.get("Effect", "")}
        for field in ("Action", "NotAction", "Resource", "NotResource"):
            if item.get(field) not in (None, "", []):
                statement[field] = item[field]
        for field in ("Principal", "NotPrincipal"):
            if field in item and item[field] is not None:
                statement[field] = _parse_principals(item[field])
        if item.get("Condition"):
            statement["Condition"] = [(test, variable, values if isinstance(values, list) else [values])
                                      for test, by_variable in item["Condition"].items()
                                      for variable, values in by_variable.items()]
        parsed.append(statement)
    return {"Version": raw.get("Version", ""), "Id": raw.get("Id", ""), "Statement": parsed}


def _parse_principals(raw: Any) -> list[tuple[str, Any]]:
    if isinstance(raw, str):
        return [("*", ["*"])]
    return [(kind, sorted(value) if isinstance(value, list) else value) for kind, value in raw.items()]


def _document(merged: dict[str, Any]) -> dict[str, Any]:
    """The model as Go marshals it (struct field order, `omitempty`)."""
    out: dict[str, Any] = {}
    if merged["Version"]:
        out["Version"] = merged["Version"]
    if merged["Id"]:
        out["Id"] = merged["Id"]
    out["Statement"] = [_statement_json(s) for s in merged["Statement"]] or None
    if out["Statement"] is None:
        del out["Statement"]
    return out


def _statement_json(statement: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if statement.get("Sid"):
        out["Sid"] = statement["Sid"]
    if statement.get("Effect"):
        out["Effect"] = statement["Effect"]
    for field in ("Action", "NotAction", "Resource", "NotResource"):
        if statement.get(field) not in (None, "", []):
            out[field] = statement[field]
    for field in ("Principal", "NotPrincipal"):
        if statement.get(field):
            out[field] = _principals_json(statement[field])
    if statement.get("Condition"):
        out["Condition"] = _conditions_json(statement["Condition"])
    return out


def _principals_json(principals: list[tuple[str, Any]]) -> Any:
    if len(principals) == 1 and principals[0][0] == "*" and principals[0][1] in ("*", ["*"]):
        return "*"
    raw: dict[str, Any] = GoMap()
    for kind, identifiers in principals:
        if isinstance(identifiers, list):
            held = raw.get(kind)
            start = [] if held is None else [held] if isinstance(held, str) else held
            raw[kind] = [*start, *sorted(identifiers, reverse=True)]
        else:
            held = raw.get(kind)
            raw[kind] = identifiers if held is None else [held, identifiers] if isinstance(held, str) else [*held, identifiers]
    return raw


def _conditions_json(conditions: list[tuple[str, str, Any]]) -> Any:
    raw: dict[str, Any] = GoMap()
    for test, variable, values in conditions:
        by_variable = raw.setdefault(test, GoMap())
        held = by_variable.setdefault(variable, [])
        held.extend(values if isinstance(values, list) else [values])
    for by_variable in raw.values():
        for variable, values in by_variable.items():
            if len(values) == 1:
                by_variable[variable] = values[0]
    return raw


def _state(config: dict[str, Any], statement_block: Any) -> dict[str, Any]:
    """The data source's attributes as the provider stores them: the configuration with the defaults
    (version, effect) and, inside statements, unset strings as "" and unset collections as []."""
    state = dict(config)
    state["version"] = config.get("version") or "2012-10-17"
    statements = []
    for raw in config.get("statement") or []:
        item = dict(raw)
        item["effect"] = raw.get("effect") or "Allow"
        for name, attribute in statement_block.attributes.items():
            if item.get(name) is None:
                item[name] = "" if attribute.type == "string" else []
        for name in statement_block.block_types:
            item[name] = item.get(name) or []
        statements.append(item)
    state["statement"] = statements or None  # no statement blocks: stored as null
    return state
