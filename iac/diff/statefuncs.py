"""Providers' StateFuncs: normalisers a configured value goes through before it is planned (and stored).

An SDKv2 attribute with a StateFunc plans `StateFunc(config)`, not the configuration as written; the
schema data names the function (`state_func`, from iac/data/aws-plan-behaviour.json). Each entry says
which provider function it reproduces.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from iac.diff.datasources.gojson import GoMap, marshal

__all__ = ["STATE_FUNCS", "normalize_json", "policies_equivalent"]


def _go_value(value: Any) -> Any:
    """A parsed JSON value as Go's `interface{}` holds it (objects are maps: keys sorted on output)."""
    if isinstance(value, dict):
        return GoMap({k: _go_value(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_go_value(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    return value


def normalize_json(text: Any) -> Any:
    """terraform-plugin-sdk helper/structure.NormalizeJsonString: the JSON re-marshalled compactly with
    object keys sorted (Go's encoder, HTML characters escaped); not JSON: returned as given."""
    if not isinstance(text, str) or text == "":
        return text
    try:
        parsed = json.loads(text, parse_float=Decimal)
    except ValueError:
        return text
    return marshal(_go_value(parsed))


_VERSION_FIRST = re.compile(r'(?s)^(\{\n?)(.*?)(,\s*)?(  )?("Version":\s*"2012-10-17")(,)?(\n)?(.*?)(\})')


def legacy_policy(text: Any) -> Any:
    """hashicorp/aws internal/verify.LegacyPolicyNormalize: `normalize_json`, then the
    `"Version": "2012-10-17"` member moved to the front (by the provider's own regular expression)."""
    normalised = normalize_json(text)
    if not isinstance(normalised, str) or normalised == text and not _parses(text):
        return normalised
    return _VERSION_FIRST.sub(lambda m: "".join(m.group(i) or "" for i in (1, 5, 3, 2, 6, 7, 8, 9)), normalised, count=1)


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


STATE_FUNCS: dict[str, Callable[[Any], Any]] = {
    "normalize_json": normalize_json,
    "legacy_policy": legacy_policy,
}


_ACCOUNT = re.compile(r"^[0-9]{12}$")


def _members(value: Any) -> list[str] | None:
    """awspolicy `newStringSet`: nothing, a string, or a list of strings (else None: never equal)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _same_members(a: Any, b: Any) -> bool:
    ours, theirs = _members(a), _members(b)
    return ours is not None and theirs is not None and len(ours) == len(theirs) and set(ours) == set(theirs)


def _same_principal(a: Any, b: Any) -> bool:
    """Equal strings, or a 12-digit account id and that account's root ARN."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    if a == b:
        return True
    for account, other in ((a, b), (b, a)):
        parts = other.split(":")
        if _ACCOUNT.match(account) and len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" \
                and parts[4] == account and parts[5] == "root":
            return True
    return False


def _same_principals(a: Any, b: Any) -> bool:
    if a is None and b is None:
        return True
    if isinstance(a, str) or isinstance(b, str):
        return _same_principal(a, b)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    ours = {k: m for k, v in a.items() if (m := _members(v))}
    theirs = {k: m for k, v in b.items() if (m := _members(v))}
    if ours.keys() != theirs.keys():
        return False
    return all(len(ours[k]) == len(theirs[k]) and all(any(_same_principal(x, y) for y in theirs[k]) for x in ours[k])
               for k in ours)


def _same_conditions(a: Any, b: Any) -> bool:
    if (a is None) != (b is None):
        return False
    a, b = a or {}, b or {}
    if not isinstance(a, dict) or not isinstance(b, dict) or a.keys() != b.keys():
        return False
    for test in a:
        inner_a, inner_b = a[test] or {}, b[test] or {}
        if not isinstance(inner_a, dict) or not isinstance(inner_b, dict) or inner_a.keys() != inner_b.keys():
            return False
        if not all(_same_members(inner_a[k], inner_b[k]) for k in inner_a):
            return False
    return True


def _same_statement(a: Any, b: Any) -> bool:
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    return (a.get("Sid", "") == b.get("Sid", "") and str(a.get("Effect", "")).lower() == str(b.get("Effect", "")).lower()
            and all(_same_members(a.get(f), b.get(f)) for f in ("Action", "NotAction", "Resource", "NotResource"))
            and _same_conditions(a.get("Condition"), b.get("Condition"))
            and _same_principals(a.get("Principal"), b.get("Principal"))
            and _same_principals(a.get("NotPrincipal"), b.get("NotPrincipal")))


def policies_equivalent(a: Any, b: Any) -> bool:
    """IAM policy documents that mean the same, as hashicorp/awspolicyequivalence (PoliciesAreEquivalent,
    behind the aws provider's policy DiffSuppressFuncs) decides: same Version and Id, and every statement
    of each has an equal one in the other — same Sid, Effect (any case), actions, resources and condition
    values as sets (a string is a one-element list), principals as sets, a 12-digit account id equal to
    that account's root ARN."""
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    try:
        left, right = json.loads(a), json.loads(b)
    except ValueError:
        return False
    if not isinstance(left, dict) or not isinstance(right, dict):
        return False
    if left.get("Version", "") != right.get("Version", "") or left.get("Id", "") != right.get("Id", ""):
        return False

    def statements(doc: dict[str, Any]) -> list[Any]:
        raw = doc.get("Statement")
        return raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else []

    ours, theirs = statements(left), statements(right)
    return len(ours) == len(theirs) and all(any(_same_statement(x, y) for y in theirs) for x in ours) and all(
        any(_same_statement(y, x) for x in ours) for y in theirs)
