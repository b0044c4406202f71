"""The order a fleet is rolled out in: the shared part, the canary members, then batches of members.

    waves(["fraud", "search", "ads", "risk"], canary=["fraud"], batch=2)
    -> [["fraud"], ["search", "ads"], ["risk"]]

The members to run are given in fleet order (one converged since the reviewed plan has no place in any wave);
a canary not among them is simply not there, and the first wave is then a batch. A member that must run
`alone` (its first apply creates its state in a backend that creates states one at a time) is a wave of its
own, before the rest of the wave it would have been in. Each wave starts once the
one before has finished, and none starts after a failure (iac/workflows/fleet_applying.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

__all__ = ["is_canary_wave", "waves"]


def waves(keys: Sequence[str], *, canary: Sequence[str], batch: int, alone: Collection[str] = ()) -> list[list[str]]:
    """The members to apply (`keys`, in fleet order), as waves: the canaries together, then batches of `batch`;
    each member of `alone` in a wave of its own."""
    if batch < 1:
        raise ValueError(f"batch {batch}: at least 1")
    first = [k for k in keys if k in set(canary)]
    rest = [k for k in keys if k not in set(canary)]
    planned = ([first] if first else []) + [rest[i : i + batch] for i in range(0, len(rest), batch)]
    return [wave for planned_wave in planned for wave in _apart(planned_wave, alone)]


def _apart(wave: list[str], alone: Collection[str]) -> list[list[str]]:
    """`wave` with each member of `alone` taken out as a wave of one, ahead of the others."""
    solo = [[k] for k in wave if k in alone]
    together = [k for k in wave if k not in alone]
    return solo + ([together] if together else [])


def is_canary_wave(rollout_waves: Sequence[Sequence[str]], canary: Sequence[str], index: int) -> bool:
    """Whether wave `index` (1-based) is a canary wave: one of the leading waves made of canary members only
    (several when canaries run alone)."""
    return 1 <= index <= len(rollout_waves) and all(set(wave) <= set(canary) for wave in rollout_waves[:index])
