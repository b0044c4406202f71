"""Naming and mode presets: separation prefixes, development-mode names, paused schedules, short autotermination."""

from __future__ import annotations

from decimal import Decimal

from iac.constructs import Cluster, Construct, Job, Schedule
from iac.diagnostics import Diagnostic
from iac.environment import Environment, Mode, Separation
from iac.stack import Stack

__all__ = ["apply_development_presets", "apply_separation"]


def _prefix_fields(construct: Construct, fields: tuple[str, ...], prefix: str) -> None:
    for field in fields:
        value = getattr(construct, field, None)
        if isinstance(value, str) and not value.startswith(prefix):
            setattr(construct, field, prefix + value)


def _prefixes(construct: Construct) -> bool:
    return bool(construct.IDENTIFIER_FIELDS or construct.DISPLAY_NAME_FIELDS)


def apply_separation(environment: Environment, stack: Stack) -> list[Diagnostic]:
    """Indirect separation shares one workspace: identifiers (catalogs, scopes, groups...) get the
    environment as prefix so environments cannot collide, and display names say which one they are."""
    if environment.separation is not Separation.indirect:
        return []
    origin = f"indirect separation (prefixed with environment {environment.name})"
    for construct in filter(_prefixes, stack.resources()):
        with construct.recording(origin):
            _prefix_fields(construct, construct.IDENTIFIER_FIELDS, f"{environment.name}_")
            _prefix_fields(construct, construct.DISPLAY_NAME_FIELDS, f"[{environment.name}] ")
    return []


def apply_development_presets(environment: Environment, stack: Stack) -> list[Diagnostic]:
    """Development mode, like bundles' `mode: development`: `[dev <user>] ` display names, `dev_<user>_`
    identifiers, paused job schedules, and all-purpose clusters that stop after a short idle time."""
    if environment.mode is not Mode.development:
        return []
    presets, user = environment.presets, environment.developer_name()
    cap = presets.max_autotermination_minutes
    for construct in stack.resources():
        if presets.prefix_names and _prefixes(construct):
            with construct.recording(f"development preset (names prefixed for {user})"):
                _prefix_fields(construct, construct.DISPLAY_NAME_FIELDS, f"[dev {user}] ")
                _prefix_fields(construct, construct.IDENTIFIER_FIELDS, f"dev_{user}_")
        if presets.pause_schedules and isinstance(construct, Job) and construct.schedule is not None:
            with construct.recording("development preset (schedules paused)"):
                construct.schedule = Schedule(**{**construct.schedule.__dict__, "pause_status": "PAUSED"})
        if isinstance(construct, Cluster):
            minutes = construct.autotermination_minutes
            if minutes is None or (isinstance(minutes, (int, Decimal)) and (minutes == 0 or minutes > cap)):
                with construct.recording(f"development preset (at most {cap} idle minutes)"):
                    construct.autotermination_minutes = cap
    return []
