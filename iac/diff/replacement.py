"""What iac knows about when a provider replaces a resource rather than updating it in place.

The schema data marks `force_new` attributes (any change replaces). Two things it does not settle:

* *conditional* replacements (`force_new_conditional`: a provider's CustomizeDiff or RequiresReplaceIf
  plan modifier decides from the values). `CONDITIONAL` below turns each described rule into a decision
  on the prior and planned values of the attribute: True replaces, False updates in place, None means
  iac cannot tell (an unknown value) — the change then *may* replace;
* *whole types* whose conditional rules were never captured (`TYPE_RULES`): the databricks types outside
  the 33 whose CustomizeDiff was hand-written, azurerm and google (force_new read from source, CustomizeDiff
  not), and a resource of a provider iac has no schema for. Any in-place update of such a type may be a
  replacement in Terraform's plan, and iac says so instead of claiming an update.

A conditional rule iac has no entry for (a new `force_new_conditional` text) counts as "may replace".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from iac.values import Unknown

__all__ = ["CONDITIONAL", "TYPE_RULES", "Conditional", "conditional_rule", "rules_known"]


# The 33 databricks types whose CustomizeDiff replacements were hand-written into the schema data
# (databricks-provider-schema.json _notes.hand_carried / force_new_conditional_origin).
_DATABRICKS_HAND_CARRIED = frozenset((
    "databricks_catalog", "databricks_cluster", "databricks_cluster_policy", "databricks_external_location",
    "databricks_grants", "databricks_group", "databricks_group_member", "databricks_instance_pool", "databricks_job",
    "databricks_metastore", "databricks_metastore_assignment", "databricks_model_serving", "databricks_mws_credentials",
    "databricks_mws_networks", "databricks_mws_permission_assignment", "databricks_mws_storage_configurations",
    "databricks_mws_workspaces", "databricks_notebook", "databricks_permissions", "databricks_pipeline",
    "databricks_registered_model", "databricks_repo", "databricks_schema", "databricks_secret", "databricks_secret_acl",
    "databricks_secret_scope", "databricks_service_principal", "databricks_sql_endpoint", "databricks_storage_credential",
    "databricks_token", "databricks_user", "databricks_volume", "databricks_workspace_conf",
))

_DATABRICKS = "registry.terraform.io/databricks/databricks"

# provider source -> (are its types' replacement rules all known?, why). `known_types` overrides per type.
TYPE_RULES: Mapping[str, tuple[bool, str]] = {
    "terraform.io/builtin/terraform": (True, "terraform_data is Terraform's own code (triggers_replace)"),
    _DATABRICKS: (False, "force_new derived from source for every type, but CustomizeDiff replacements only for the "
                         "33 hand-carried types (schema _notes.force_new_conditional_origin)"),
    "registry.terraform.io/hashicorp/aws": (True, "every argument path of the 24 types planned against the real "
                                                  "provider (cloud schema _notes.aws.force_new), CustomizeDiff included"),
    "registry.terraform.io/hashicorp/azurerm": (False, "ForceNew read from source; CustomizeDiff not derived "
                                                       "(cloud schema _notes.azurerm.force_new)"),
    "registry.terraform.io/hashicorp/google": (False, "ForceNew read from source; CustomizeDiff not derived "
                                                      "(cloud schema _notes.google.force_new)"),
    "registry.terraform.io/hashicorp/random": (True, "RequiresReplace plan modifiers read from source"),
    "registry.terraform.io/hashicorp/time": (True, "RequiresReplace plan modifiers read from source"),
    "registry.terraform.io/hashicorp/null": (True, "RequiresReplaceIfValuesNotNull read from source"),
}

_KNOWN_TYPES: Mapping[str, str] = {
    **{t: "CustomizeDiff replacements hand-written into the schema data" for t in _DATABRICKS_HAND_CARRIED},
    "azurerm_databricks_workspace": "hand-transcribed with its CustomizeDiff rules (iac/data/azurerm-databricks-workspace.json)",
}


def rules_known(resource_type: str, provider_source: str) -> bool:
    """True when every replacement rule of the type is in the schema data or in `CONDITIONAL`."""
    if resource_type in _KNOWN_TYPES:
        return True
    return TYPE_RULES.get(provider_source, (False, ""))[0]


Decision = Callable[[Any, Any], "bool | None"]


@dataclass(frozen=True, slots=True)
class Conditional:
    """A conditional replacement rule: `decide(old, new)` on the attribute's prior and planned values
    (called only when they differ); `reason` quotes the provider behaviour it reproduces."""

    decide: Decision
    reason: str


def _known(*values: Any) -> bool:
    return not any(isinstance(v, Unknown) for v in values)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _workspace_id(old: Any, new: Any) -> bool | None:
    if not _known(new):
        return None if not _empty(old) else False
    return not _empty(old) and not _empty(new)


def _set_or_change_replaces(old: Any, new: Any) -> bool | None:
    if not _known(new):
        return None
    return not _empty(new)


def _catalog_options(old: Any, new: Any) -> bool | None:
    if not _known(new) or (isinstance(new, dict) and not _known(*new.values())):
        return None
    before = {k: v for k, v in (old or {}).items() if k != "authorized_paths"}
    after = {k: v for k, v in (new or {}).items() if k != "authorized_paths"}
    return before != after


def _vpc_tenancy(old: Any, new: Any) -> bool | None:
    if not _known(new):
        return None
    return not (old == "dedicated" and new in ("default", None))


def _to_trial(old: Any, new: Any) -> bool | None:
    return None if not _known(new) else new == "trial"


def _turned_off(old: Any, new: Any) -> bool | None:
    return None if not _known(new) else old is True and new is not True


def _removed_element(old: Any, new: Any) -> bool | None:
    if not _known(new) or (isinstance(new, list) and not _known(*new)):
        return None
    return bool(set(old or ()) - set(new or ()))


def _values_not_null(old: Any, new: Any) -> bool | None:
    """`RequiresReplaceIfValuesNotNull` (hashicorp/terraform-provider-random internal/planmodifiers/map,
    the same in null): from a null map, replace when a configured value is not null; otherwise replace
    when a configured key's value differs from the prior one (a new key holding null excepted) or a prior
    key is gone."""
    if not _known(new) or (isinstance(new, dict) and not _known(*new.values())):
        return None
    after = new or {}
    if old is None:
        return any(value is not None for value in after.values())
    for key, value in after.items():
        if key not in old and value is None:
            continue
        if key not in old or old[key] != value:
            return True
    return any(key not in after for key in old)


def _unless_empty_to_null(old: Any, new: Any) -> bool | None:
    """random's `RequiresReplaceUnlessEmptyStringToNull` under `RequiresReplaceIf`: every change replaces
    except "" -> null (a config that is not known yet does not replace)."""
    if not _known(new):
        return False
    return not (new is None and old == "")


_WORKSPACE_ID = Conditional(_workspace_id, "an existing non-empty workspace_id changed to another non-empty value "
                                           "replaces (common.NamespaceCustomizeDiff / RequiresReplaceIf)")

# (resource type or "*", schema path) -> rule. The key's text of `force_new_conditional` it implements is
# in the schema data next to the attribute.
CONDITIONAL: Mapping[tuple[str, str], Conditional] = {
    ("*", "provider_config.workspace_id"): _WORKSPACE_ID,
    ("databricks_catalog", "options"): Conditional(
        _catalog_options, "any added/removed/changed key other than authorized_paths replaces (CustomizeDiff)"),
    ("databricks_mws_networks", "gcp_network_info.pod_ip_range_name"): Conditional(
        _set_or_change_replaces, "deprecated GKE field: clearing it is in place, setting/changing it replaces"),
    ("databricks_mws_networks", "gcp_network_info.service_ip_range_name"): Conditional(
        _set_or_change_replaces, "deprecated GKE field: clearing it is in place, setting/changing it replaces"),
    ("databricks_mws_workspaces", "gcp_managed_network_config.gke_cluster_pod_ip_range"): Conditional(
        _set_or_change_replaces, "deprecated GKE field: removing it is in place, any other change replaces"),
    ("databricks_mws_workspaces", "gcp_managed_network_config.gke_cluster_service_ip_range"): Conditional(
        _set_or_change_replaces, "deprecated GKE field: removing it is in place, any other change replaces"),
    ("databricks_pipeline", "catalog"): Conditional(
        lambda old, new: False, "catalog alone is in place; with storage it replaces, and storage is force_new"),
    ("databricks_pipeline", "storage"): Conditional(
        lambda old, new: True if _known(new) else None, "storage changes replace (with or without catalog)"),
    ("aws_vpc", "instance_tenancy"): Conditional(
        _vpc_tenancy, "every change replaces except dedicated -> default (CustomizeDiff, observed with 5.100.0)"),
    ("aws_s3_bucket", "object_lock_configuration"): Conditional(
        lambda old, new: False, "the block is Optional+Computed; its object_lock_enabled is force_new on its own"),
    ("azurerm_databricks_workspace", "sku"): Conditional(_to_trial, "changing sku to trial replaces (CustomizeDiff)"),
    ("azurerm_databricks_workspace", "enhanced_security_compliance.compliance_security_profile_enabled"): Conditional(
        _turned_off, "turning the compliance security profile off replaces (ForceNewIfChange)"),
    ("azurerm_databricks_workspace", "enhanced_security_compliance.compliance_security_profile_standards"): Conditional(
        _removed_element, "removing a compliance standard replaces (ForceNewIfChange)"),
    ("null_resource", "triggers"): Conditional(_values_not_null, "RequiresReplaceIfValuesNotNull"),
    ("random_id", "keepers"): Conditional(_values_not_null, "RequiresReplaceIfValuesNotNull"),
    ("random_password", "keepers"): Conditional(_values_not_null, "RequiresReplaceIfValuesNotNull"),
    ("random_string", "keepers"): Conditional(_values_not_null, "RequiresReplaceIfValuesNotNull"),
    ("random_password", "override_special"): Conditional(_unless_empty_to_null, "RequiresReplaceUnlessEmptyStringToNull"),
    ("random_string", "override_special"): Conditional(_unless_empty_to_null, "RequiresReplaceUnlessEmptyStringToNull"),
}


def conditional_rule(resource_type: str, path: str) -> Conditional | None:
    """The rule for one schema path (names joined by "."), or None when iac has none."""
    return CONDITIONAL.get((resource_type, path)) or CONDITIONAL.get(("*", path))
