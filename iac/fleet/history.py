"""The configurations a fleet part was successfully applied with: what a rollback plans going back to.

    <part workdir>/.iac/applied/index.jsonl          one line per successful apply that changed the configuration
    <part workdir>/.iac/applied/<sha256 hex>.tf.json  that configuration, exactly as Terraform applied it

(the sandbox keeps its own, under `<part workdir>/.sandbox/.iac/applied/`). A configuration is the member's
`main.tf.json`: no secret is in it (secrets reach Terraform as `TF_VAR_*` only), so it is kept readable by its
owner like the rest of the working directory. The last `KEEP` distinct configurations are kept.

The rollback target is the configuration of the member's last successful apply that is not the one its code
now makes: after a rollout of a change, the configuration from before it, whether or not the member was
already changed (a member that failed midway goes back to its last good configuration too); after the
rollback is applied, planning it again plans nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from iac._jsonio import atomic_write, dumps, loads
from iac.terraform.workdir import config_hash

__all__ = ["KEEP", "Applied", "applied", "record_applied", "rollback_target"]

KEEP = 10


@dataclass(frozen=True)
class Applied:
    """One kept configuration."""

    config_hash: str
    time: str
    path: Path

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def _root(meta: Path) -> Path:
    return meta / "applied"


def applied(meta: Path) -> list[Applied]:
    """The kept configurations of the part whose `.iac` directory is `meta`, oldest first."""
    index = _root(meta) / "index.jsonl"
    if not index.is_file():
        return []
    out = []
    for line in index.read_text(encoding="utf-8").splitlines():
        entry = loads(line)
        path = _root(meta) / f"{entry['config_hash'].removeprefix('sha256:')}.tf.json"
        if path.is_file():
            out.append(Applied(entry["config_hash"], entry["time"], path))
    return out


def record_applied(meta: Path, config_text: str) -> None:
    """Keep `config_text` as the part's latest successfully applied configuration (nothing when it already is)."""
    digest = config_hash(config_text.encode("utf-8"))
    kept = applied(meta)
    if kept and kept[-1].config_hash == digest:
        return
    root = _root(meta)
    root.mkdir(parents=True, exist_ok=True)
    atomic_write(root / f"{digest.removeprefix('sha256:')}.tf.json", config_text, mode=0o600)
    entries = [*kept, Applied(digest, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), root / "x")][-KEEP:]
    atomic_write(root / "index.jsonl", "".join(dumps({"config_hash": e.config_hash, "time": e.time}, indent=None) + "\n"
                                               for e in entries), mode=0o600)
    wanted = {f"{e.config_hash.removeprefix('sha256:')}.tf.json" for e in entries}
    for stale in root.glob("*.tf.json"):
        if stale.name not in wanted:
            stale.unlink(missing_ok=True)


def rollback_target(meta: Path, current_hash: str) -> Applied | None:
    """The last kept configuration that is not `current_hash` (what the code makes now); None: nothing to go back to."""
    for entry in reversed(applied(meta)):
        if entry.config_hash != current_hash:
            return entry
    return None
