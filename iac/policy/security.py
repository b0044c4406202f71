"""Security rules, configured per environment in `SecuritySettings`.

    SEC001  a job or pipeline does not run as a service principal (production)      error
    SEC002  a personal access token is created                                      error
    SEC003  a resource is owned by a person (an email address)                     error
            ... or is created with no owner (the applying identity becomes it)     warning
    SEC004  a secret scope ACL names a user or service principal, not a group       error
    SEC005  a cluster without an isolating data_security_mode                       error
    SEC006  a literal secret in the configuration                                   error
    SEC007  an identity the rules need is known only after apply                    warning (error in prod)
    SEC008  a resource that holds data or identities is destroyed or replaced       warning (error in prod)

Identities are told apart by form and by reference: users are email addresses (or references to
`databricks_user`), service principals application ids (UUIDs, or references to
`databricks_service_principal`), anything else that is a plain name is a group. A secret's value is
never read into a message: findings name the attribute only, and the value SEC006 recognised travels
in the finding (`Finding.secret`, never written) so that the workflow masks it in every output.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from typing import Any

from iac.plan.view import Path, Unknown
from iac.policy.context import Check, CheckContext, cluster_specs
from iac.policy.model import Finding, Severity
from iac.schema import load_schemas

__all__ = ["CHECKS", "identity_kind"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SECRET_KEY = re.compile(r"(password|passwd|secret|token|credential|(api|access|account|private)[._-]?key)", re.I)
_SECRET_REF = re.compile(r"^\{\{secrets/[^/}]+/[^/}]+\}\}$")
_OWNER_TYPES = {"databricks_user": "user", "databricks_service_principal": "service principal", "databricks_group": "group"}


def identity_kind(value: Any) -> str:
    """`user`, `service principal`, `group`, or `unknown` for a principal name or a reference."""
    if isinstance(value, Unknown):
        for target in value.targets():
            kind = _OWNER_TYPES.get(target.split(".", 1)[0])
            if kind:
                return kind
        return "unknown"
    text = str(value)
    if _EMAIL.match(text):
        return "user"
    if _UUID.match(text):
        return "service principal"
    return "group"


def run_as(ctx: CheckContext) -> Iterator[Finding]:
    """SEC001/SEC007: production jobs and pipelines run as a service principal, never a person."""
    if not ctx.settings.security.jobs_run_as_service_principal:
        return
    for view in ctx.index.existing("databricks_job", "databricks_pipeline"):
        principal, user = view.get("run_as.service_principal_name"), view.get("run_as.user_name")
        fix = "set run_as { service_principal_name = <application id> }"
        if user is not None:
            yield ctx.finding("SEC001", Severity.error, view, "run_as.user_name", "runs as a person; it breaks when they leave", fix)
        elif principal is None:
            yield ctx.finding("SEC001", Severity.error, view, "run_as",
                              "no run_as: it runs as whoever deployed it", fix)
        elif identity_kind(principal) == "user":
            yield ctx.finding("SEC001", Severity.error, view, "run_as.service_principal_name",
                              "service_principal_name is an email address (a person)", fix)
        elif isinstance(principal, Unknown) and identity_kind(principal) == "unknown":
            yield ctx.finding("SEC007", ctx.undecided, view, "run_as.service_principal_name",
                              "the run_as identity is known only after apply", "reference a databricks_service_principal")


def tokens(ctx: CheckContext) -> Iterator[Finding]:
    """SEC002: no personal access tokens (`databricks_token`, a workspace's `token {}` block)."""
    if not ctx.settings.security.forbid_personal_access_tokens:
        return
    for view in ctx.index.existing("databricks_token"):
        yield ctx.finding("SEC002", Severity.error, view, "", "creates a personal access token",
                          "use a service principal with OAuth (M2M) instead of a PAT")
    for view in ctx.index.existing("databricks_mws_workspaces"):
        if view.get("token") is not None:
            yield ctx.finding("SEC002", Severity.error, view, "token", "the workspace mints a personal access token",
                              "remove the token block; authenticate with a service principal")


def owners(ctx: CheckContext) -> Iterator[Finding]:
    """SEC003: no resource owned by a person (`owner`, IS_OWNER permissions)."""
    if not ctx.settings.security.forbid_personal_owners:
        return
    fix = "make a group or a service principal the owner"
    for view in ctx.index:
        if view.deleted or not (_has_owner(view.type) or view.type == "databricks_permissions"):
            continue
        owner = view.get("owner")
        if owner is not None and identity_kind(owner) == "user":
            yield ctx.finding("SEC003", Severity.error, view, "owner", "owned by a person", fix)
        elif view.actions == ("create",) and view.config is not None and view.config_value("owner") is None \
                and _has_owner(view.type):
            # Databricks makes the identity that applies the owner: a person whenever someone applies from a terminal.
            yield ctx.finding("SEC003", Severity.warning, view, "owner",
                              "no owner set: whoever applies becomes the owner", fix)
        if view.type == "databricks_permissions":
            for i, entry in enumerate(view.get("access_control", []) or []):
                if isinstance(entry, dict) and entry.get("permission_level") == "IS_OWNER" and entry.get("user_name"):
                    yield ctx.finding("SEC003", Severity.error, view, ("access_control", i, "user_name"),
                                      "IS_OWNER is granted to a person", fix)


@functools.cache
def _has_owner(resource_type: str) -> bool:
    schema = load_schemas().get(resource_type)
    return schema is not None and "owner" in schema.block.attributes


def secret_acls(ctx: CheckContext) -> Iterator[Finding]:
    """SEC004: secret scopes readable by groups only."""
    if not ctx.settings.security.secret_acls_groups_only:
        return
    for view in ctx.index.existing("databricks_secret_acl"):
        kind = identity_kind(view.get("principal", ""))
        if kind in ("user", "service principal"):
            yield ctx.finding("SEC004", Severity.error, view, "principal",
                              f"a secret scope ACL is granted to a {kind}, not a group",
                              "grant the ACL to a group and manage membership there")
        elif kind == "unknown":
            yield ctx.finding("SEC007", ctx.undecided, view, "principal",
                              "the ACL principal is known only after apply", "reference a databricks_group")


def isolation(ctx: CheckContext) -> Iterator[Finding]:
    """SEC005: clusters isolate users (`data_security_mode`); pipelines manage their own clusters."""
    settings = ctx.settings.security
    if not settings.require_isolation:
        return
    for view in ctx.index.existing("databricks_cluster", "databricks_job"):
        for cluster in cluster_specs(view):
            mode = cluster.spec.get(("data_security_mode",))
            path = (*cluster.path, "data_security_mode")
            if mode is None and cluster.spec.get(("kind",)) == "CLASSIC_PREVIEW":
                continue  # the new API defaults to DATA_SECURITY_MODE_AUTO, which isolates
            if isinstance(mode, Unknown):
                yield ctx.finding("SEC007", ctx.undecided, view, path, "data_security_mode is known only after apply",
                                  "use a literal access mode")
            elif mode not in settings.isolating_modes:
                shown = "not set (no isolation)" if mode is None else f"{mode!r}"
                yield ctx.finding("SEC005", Severity.error, view, path, f"data_security_mode is {shown}",
                                  f"use one of {', '.join(settings.isolating_modes)}")


def _configured(value: Any, names: tuple[str, ...], path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every configured value at a path of names, through lists of blocks."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _configured(item, names, (*path, i))
        return
    if not names:
        yield path, value
        return
    if isinstance(value, dict) and names[0] in value:
        yield from _configured(value[names[0]], names[1:], (*path, names[0]))


@functools.cache
def _sensitive_paths(resource_type: str) -> list[tuple[str, ...]]:
    schema = load_schemas().get(resource_type)
    if schema is None:
        return []
    return [p for p, a in schema.block.walk() if getattr(a, "sensitive", False) and not getattr(a, "computed_only", False)]


def _literal(value: Any) -> bool:
    return value is not None and value != "" and not isinstance(value, Unknown)


def literal_secrets(ctx: CheckContext) -> Iterator[Finding]:
    """SEC006: sensitive attributes and secret-looking Spark settings come from references, never literals."""
    if not ctx.settings.security.forbid_literal_secrets:
        return
    fix = "pass it in as a sensitive variable or a {{secrets/scope/key}} reference"
    for view in ctx.index:
        if view.deleted:
            continue
        for names in _sensitive_paths(view.type) if view.raw_config is not None else []:
            if names[-1] in ctx.settings.security.not_secret:
                continue
            for path, value in _configured(view.config, names):
                if _literal(value):
                    yield ctx.finding("SEC006", Severity.error, view, path, "a sensitive attribute is a literal in the configuration", fix,
                                      secret=value)
        for cluster in cluster_specs(view):
            for attribute in ("spark_conf", "spark_env_vars"):
                settings = cluster.spec.get((attribute,)) or {}
                for key, value in sorted(settings.items()) if isinstance(settings, dict) else []:
                    if _SECRET_KEY.search(key) and _literal(value) and not _SECRET_REF.match(str(value)):
                        yield ctx.finding("SEC006", Severity.error, view, (*cluster.path, attribute, key),
                                          f"{attribute} {key!r} holds a literal secret", fix, secret=value)
    for name, variable in sorted(((ctx.index.main_tf or {}).get("variable") or {}).items()):
        if isinstance(variable, dict) and variable.get("sensitive") and _literal(variable.get("default")):
            yield ctx.finding("SEC006", Severity.error, None, f"variable.{name}.default",
                              f"sensitive variable {name!r} has a literal default", "remove the default; supply it at run time",
                              secret=variable.get("default"))


def data_loss(ctx: CheckContext) -> Iterator[Finding]:
    """SEC008: a workspace, metastore, catalog, schema, volume... destroyed or replaced loses what it holds, and so
    does one the plan creates again because its workspace is replaced (the plan JSON's `iac.gone`).

    A destroy plan (`iac destroy`, `iac plan --destroy`) asks for exactly that and has its own approvals,
    so it is not judged here. A deleted address next to a created one of the same type is most often a
    rename: the fix names it and suggests a `moved` block."""
    protected = set(ctx.settings.security.protect_from_destroy)
    if not protected or (ctx.index.plan.get("iac") or {}).get("plan_mode") == "destroy":
        return
    severity = Severity.error if ctx.production else Severity.warning
    views = ctx.index.of_type(*protected)
    created: dict[str, list[str]] = {}
    for view in views:
        if view.actions == ("create",):
            created.setdefault(view.type, []).append(view.address)
    gone = (ctx.index.plan.get("iac") or {}).get("gone") or {}
    for view in views:
        if view.address in gone:  # its provider configuration changes (a replaced workspace): lost, then created again
            yield ctx.finding("SEC008", severity, view, "", f"{view.type} is lost: {gone[view.address]}",
                              "undo the change that replaces its workspace, or waive SEC008 with a reason")
            continue
        if "delete" not in view.actions:
            continue
        if "create" in view.actions:
            yield ctx.finding("SEC008", severity, view, "", f"{view.type} is replaced: what it holds is lost",
                              "undo the change that forces replacement, or waive SEC008 with a reason")
            continue
        renamed = difflib.get_close_matches(view.address, created.get(view.type, []), n=1, cutoff=0.6)
        fix = (f"if it was renamed, add moved {{ from = {view.address}, to = {renamed[0]} }}" if renamed
               else "to delete it on purpose, waive SEC008 with a reason and an expiry")
        yield ctx.finding("SEC008", severity, view, "", f"{view.type} is destroyed: what it holds is lost", fix)


CHECKS: tuple[Check, ...] = (run_as, tokens, owners, secret_acls, isolation, literal_secrets, data_loss)
