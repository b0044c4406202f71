"""Deeply nested configurations: Python's recursion limit, raised while iac walks one.

Terraform (Go, with stacks that grow) plans expressions nested thousands deep: 3,000 nested brackets, or a
4,000-term `a + b + ...` chain, which parses as a tree that deep. Every walker of iac's syntax trees and values
recurses, so the command line runs each command inside `deep_recursion()` (loading, planning, rendering);
a library caller planning such a configuration wraps its calls in it too. Outside it, at Python's default
limit, the loader and the planner turn RecursionError into a one-line "Nesting too deep" error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["DEEP", "deep_recursion"]

DEEP = 60_000
"""The recursion limit while a configuration is walked."""


@contextmanager
def deep_recursion() -> Iterator[None]:
    """Raise Python's recursion limit to `DEEP` for the block (never lower it), and restore it after."""
    limit = sys.getrecursionlimit()
    if limit < DEEP:
        sys.setrecursionlimit(DEEP)
    try:
        yield
    finally:
        if limit < DEEP:
            sys.setrecursionlimit(limit)
