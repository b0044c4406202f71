"""random, time and null: providers that compute their values locally, in Terraform's process, with no remote
object. The values follow each provider's own rules (hashicorp/terraform-provider-random 3.7, -time 0.13,
-null 3.2), drawn from the sandbox's seeded generator so a fresh sandbox gives the same "random" values every run.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from iac.sandbox.api._context import Context, Rule, Values

__all__ = ["RULES"]

# internal/random/string.go: the character classes and the default special characters.
_LOWER, _UPPER, _NUMERIC = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"


def _flag(s: Values, name: str) -> bool:
    return s.get(name) is not False


def _string(s: Values, c: Context) -> str:
    """CreateString: the minimum counts of each class first, the rest from every enabled class, shuffled."""
    special = s.get("override_special") if s.get("override_special") is not None else _SPECIAL
    classes = [(_UPPER, "upper", "min_upper"), (_LOWER, "lower", "min_lower"),
               (_NUMERIC, "numeric" if s.get("numeric") is not None else "number", "min_numeric"),
               (special, "special", "min_special")]
    length = int(s.get("length") or 0)
    chars: list[str] = []
    pool = ""
    for alphabet, flag, minimum in classes:
        if _flag(s, flag) and alphabet:
            pool += alphabet
            chars += [c.rng.choice(alphabet) for _ in range(int(s.get(minimum) or 0))]
    chars += [c.rng.choice(pool) for _ in range(max(length - len(chars), 0))] if pool else []
    c.rng.shuffle(chars)
    return "".join(chars)


def _random_string(s: Values, c: Context) -> Values:
    result = _string(s, c)
    return {"id": result, "result": result}


def _random_password(s: Values, c: Context) -> Values:
    result = _string(s, c)
    salt = "".join(c.rng.choice("./" + _UPPER + _LOWER + _NUMERIC) for _ in range(53))
    return {"id": "none", "result": result, "bcrypt_hash": f"$2a$10${salt}"}


def _random_id(s: Values, c: Context) -> Values:
    raw = bytes(c.rng.getrandbits(8) for _ in range(int(s.get("byte_length") or 0)))
    prefix = s.get("prefix") or ""
    b64_url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return {"id": b64_url, "b64_url": prefix + b64_url, "b64_std": prefix + base64.b64encode(raw).decode(),
            "hex": prefix + raw.hex(), "dec": prefix + str(int.from_bytes(raw, "big"))}


def _base_time(s: Values, c: Context) -> datetime:
    configured = s.get("rfc3339")
    if isinstance(configured, str) and configured:
        return datetime.fromisoformat(configured.replace("Z", "+00:00"))
    return c.now


def _rotation(s: Values, base: datetime) -> datetime:
    """setRotationValues: the base plus the rotation_* years, months, days, hours and minutes."""
    months = base.month - 1 + int(s.get("rotation_months") or 0) + 12 * int(s.get("rotation_years") or 0)
    shifted = base.replace(year=base.year + months // 12, month=months % 12 + 1)
    return shifted + timedelta(days=int(s.get("rotation_days") or 0), hours=int(s.get("rotation_hours") or 0),
                               minutes=int(s.get("rotation_minutes") or 0))


def _time_rotating(s: Values, c: Context) -> Values:
    base = _base_time(s, c)
    stamp = "%Y-%m-%dT%H:%M:%SZ"
    rotation = s.get("rotation_rfc3339") or _rotation(s, base).strftime(stamp)
    return {"id": base.strftime(stamp), "rfc3339": base.strftime(stamp), "rotation_rfc3339": rotation,
            "year": base.year, "month": base.month, "day": base.day, "hour": base.hour, "minute": base.minute,
            "second": base.second, "unix": int(base.timestamp())}


RULES: dict[str, Rule] = {
    "null_resource": lambda s, c: {"id": c.digits(19)},
    "random_id": _random_id,
    "random_password": _random_password,
    "random_string": _random_string,
    "time_rotating": _time_rotating,
    "time_sleep": lambda s, c: {"id": c.rfc3339()},
}
