"""The order a fleet is rolled out in: the shared part, the canary members, then batches of members.

    waves(["fraud", "search", "ads", "risk"], canary=["fraud"], batch=2)
    -> [["fraud"], ["search", "ads"], ["risk"]]

The members to run are given in fleet order (one converged since the reviewed plan has no place in any wave);
a canary not among them is simply not there, and the first wave is then a batch. Each wave starts once the
one before has finished, and none starts after a failure (iac/workflows/fleet_applying.py).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["is_canary_wave", "waves"]


def waves(keys: Sequence[str], *, canary: Sequence[str], batch: int) -> list[list[str]]:
    """The members to apply (`keys`, in fleet order), as waves: the canaries together, then batches of `batch`."""
    if batch < 1:
        raise ValueError(f"batch {batch}: at least 1")
    first = [k for k in keys if k in set(canary)]
    rest = [k for k in keys if k not in set(canary)]
    return ([first] if first else []) + [rest[i : i + batch] for i in range(0, len(rest), batch)]


def is_canary_wave(rollout_waves: Sequence[Sequence[str]], canary: Sequence[str], index: int) -> bool:
    """Whether wave `index` (1-based) is the canary wave: the first, made of canary members only."""
    return index == 1 and bool(rollout_waves) and set(rollout_waves[0]) <= set(canary)
