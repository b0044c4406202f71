"""The simulated Google Cloud project (hashicorp/google 6.x types): resource ids, self links, emails."""

from __future__ import annotations

import base64

from iac.sandbox.api._context import Context, Rule, Values

__all__ = ["RULES"]

_COMPUTE = "https://www.googleapis.com/compute/v1"
_DEFAULT_PROJECT = "sandbox-project"
_DEFAULT_REGION = "us-central1"


def _project(s: Values, c: Context) -> str:
    return str(s.get("project") or c.project or _DEFAULT_PROJECT)


def _region(s: Values, c: Context) -> str:
    return str(s.get("region") or c.region or _DEFAULT_REGION)


def _timestamp(c: Context) -> str:
    return c.now.strftime("%Y-%m-%dT%H:%M:%S.000-08:00")


def _global(kind: str) -> Rule:
    def rule(s: Values, c: Context) -> Values:
        path = f"projects/{_project(s, c)}/global/{kind}/{s.get('name')}"
        return {"id": path, "self_link": f"{_COMPUTE}/{path}"}
    return rule


def _regional(kind: str) -> Rule:
    def rule(s: Values, c: Context) -> Values:
        path = f"projects/{_project(s, c)}/regions/{_region(s, c)}/{kind}/{s.get('name')}"
        return {"id": path, "self_link": f"{_COMPUTE}/{path}", "creation_timestamp": _timestamp(c)}
    return rule


def _network(s: Values, c: Context) -> Values:
    number = c.digits(19)
    return _global("networks")(s, c) | {"gateway_ipv4": "", "network_id": number, "numeric_id": number}


def _first_host(cidr: str | None) -> str:
    if not cidr or "/" not in cidr:
        return ""
    octets = cidr.split("/", 1)[0].split(".")
    return ".".join([*octets[:3], str(int(octets[3]) + 1)]) if len(octets) == 4 else ""


def _subnetwork(s: Values, c: Context) -> Values:
    return _regional("subnetworks")(s, c) | {
        "fingerprint": base64.b64encode(bytes(c.rng.getrandbits(8) for _ in range(8))).decode(),
        "gateway_address": _first_host(s.get("ip_cidr_range")), "subnetwork_id": int(c.digits(19)),
        "internal_ipv6_prefix": "", "ipv6_cidr_range": "", "ipv6_gce_endpoint": "", "state": ""}


def _service_account(s: Values, c: Context) -> Values:
    email = f"{s.get('account_id')}@{_project(s, c)}.iam.gserviceaccount.com"
    name = f"projects/{_project(s, c)}/serviceAccounts/{email}"
    return {"id": name, "name": name, "email": email, "member": f"serviceAccount:{email}", "unique_id": c.digits(21)}


def _storage_bucket(s: Values, c: Context) -> Values:
    name = s.get("name")
    labels = {**(s.get("labels") or {}), "goog-terraform-provisioned": "true"}
    return {"id": name, "self_link": f"https://www.googleapis.com/storage/v1/b/{name}", "url": f"gs://{name}",
            "project_number": int(c.digits(12)), "time_created": c.rfc3339(), "updated": c.rfc3339(),
            "effective_labels": labels, "terraform_labels": labels}


RULES: dict[str, Rule] = {
    "google_compute_network": _network,
    "google_compute_router": _regional("routers"),
    "google_compute_router_nat": lambda s, c: {
        "id": f"{_project(s, c)}/{_region(s, c)}/{s.get('router')}/{s.get('name')}"},
    "google_compute_subnetwork": _subnetwork,
    "google_project_iam_member": lambda s, c: {
        "id": f"{s.get('project')}/{s.get('role')}/{s.get('member')}",
        "etag": "BwY" + base64.b64encode(bytes(c.rng.getrandbits(8) for _ in range(6))).decode()},
    "google_service_account": _service_account,
    "google_storage_bucket": _storage_bucket,
}
