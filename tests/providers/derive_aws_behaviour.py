"""Derive iac/data/aws-plan-behaviour.json with the real hashicorp/aws 5.100.0 provider (run by hand:
`python -m tests.providers.derive_aws_behaviour`; the oracle tests check the result where the provider is).

`terraform providers schema -json` leaves out what an SDKv2 provider plans on its own: schema defaults
and Optional+Computed blocks. Both show in a create plan: an argument the configuration leaves out that
Terraform plans with a known value is a default; a block the configuration leaves out that Terraform
plans as known after apply is Optional+Computed. The script plans the sample configurations (only
required arguments, then the usual blocks) with Terraform and with iac, and records every difference of
those two kinds, by type and dotted schema path. The StateFuncs of policy arguments are listed by hand
below (each one is checked by the oracle tests: a wrong one would plan other bytes).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from iac.schema import load_schemas, schema_data_path
from tests.providers.aws_oracle import AwsOracle, aws_config
from tests.providers.aws_samples import BLOCKS, MINIMAL

# (type, path) -> StateFunc, from the provider source (internal/service/iam, s3, kms, ec2).
STATE_FUNCS = {
    ("aws_iam_policy", "policy"): "normalize_json",
    ("aws_iam_role", "assume_role_policy"): "normalize_json",
    ("aws_iam_role", "inline_policy.policy"): "legacy_policy",
    ("aws_iam_role_policy", "policy"): "legacy_policy",
    ("aws_s3_bucket_policy", "policy"): "normalize_json",
    ("aws_s3_bucket", "policy"): "normalize_json",
    ("aws_kms_key", "policy"): "normalize_json",
    ("aws_vpc_endpoint", "policy"): "normalize_json",
}
POLICY_EQUIVALENCE = set(STATE_FUNCS)

NOTES = {
    "what": "What hashicorp/aws 5.100.0 plans that its `terraform providers schema -json` does not say, merged into "
            "the aws schemas of cloud-provider-schemas.json by iac.schema (OVERLAY_FILES): `default` (an argument the "
            "configuration leaves out is planned with this value), `computed` on blocks (an Optional+Computed block: "
            "left out, it keeps what the server has and is known after apply on create), `state_func` (the planned "
            "value is the configuration normalised by this function, iac.diff.statefuncs) and `diff_suppress` "
            "`aws_policy_equivalent` (an equivalent policy document is no change).",
    "origin": "Defaults and computed blocks: derived by planning the sample configurations of "
              "tests/providers/aws_samples.py with Terraform and the official provider build (offline, fake "
              "credentials, plan -refresh=false) and recording where its create plan had a known default or an "
              "unknown block that iac's schema-only plan did not (tests/providers/derive_aws_behaviour.py). "
              "StateFuncs and policy equivalence: from the provider source, checked by the oracle tests "
              "(tests/providers/test_aws_oracle.py).",
    "limits": "Defaults of nested blocks are known only for the blocks the samples configure; a default that depends "
              "on other arguments (CustomizeDiff) is recorded as the sample's value.",
    "version": "5.100.0",
}


def _flat(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(value, dict):
        out: dict[tuple[Any, ...], Any] = {}
        for key, item in value.items():
            out.update(_flat(item, (*path, key)))
        return out
    if isinstance(value, list) and value:
        out = {}
        for index, item in enumerate(value):
            out.update(_flat(item, (*path, index)))
        return out
    return {path: value}


def _schema_path(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int))


def derive(workdir: Path) -> dict[str, dict[str, Any]]:
    oracle = AwsOracle(workdir)
    found: dict[str, dict[str, Any]] = {}
    for samples in (MINIMAL, BLOCKS):
        config = aws_config({"resource": {t: {"s": body} for t, body in samples.items()}})
        theirs = {rc["type"]: rc["change"] for rc in oracle.plan(config).get("resource_changes", [])}
        ours = {rc["type"]: rc["change"] for rc in oracle.iac_plan(config).get("resource_changes", [])}
        for rtype, change in theirs.items():
            schema = load_schemas().get(rtype)
            assert schema is not None
            after, unknown = _flat(change["after"]), _flat(change["after_unknown"])
            our_after = _flat(ours[rtype]["after"])
            for path, value in after.items():
                node = schema.attribute(tuple(p for p in path if not isinstance(p, int)))
                if value is None or value == [] or our_after.get(path) is not None or node is None:
                    continue
                if getattr(node, "computed", False) or getattr(node, "type", None) is None:
                    continue
                found.setdefault(rtype, {})[_schema_path(path)] = {"default": value}
            for path, flag in unknown.items():
                node = schema.attribute(tuple(p for p in path if not isinstance(p, int)))
                if flag is True and our_after.get(path) == [] and node is not None and not hasattr(node, "type"):
                    found.setdefault(rtype, {})[_schema_path(path)] = {"computed": True}
    for (rtype, path), function in STATE_FUNCS.items():
        entry = found.setdefault(rtype, {}).setdefault(path, {})
        entry["state_func"] = function
        if (rtype, path) in POLICY_EQUIVALENCE:
            entry["diff_suppress"] = "aws_policy_equivalent"
    return {t: dict(sorted(v.items())) for t, v in sorted(found.items())}


def main() -> None:
    target = Path(str(schema_data_path("aws-plan-behaviour.json")))
    target.write_text(json.dumps({"_notes": NOTES, "resource_schemas": {}}, indent=1) + "\n")
    load_schemas.cache_clear()
    with tempfile.TemporaryDirectory() as work:
        derived = derive(Path(work))
    target.write_text(json.dumps({"_notes": NOTES, "resource_schemas": derived}, indent=1, sort_keys=True) + "\n")
    print(f"wrote {target}: {sum(len(v) for v in derived.values())} entries over {len(derived)} types")


if __name__ == "__main__":
    main()
