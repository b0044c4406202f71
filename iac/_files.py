"""Files a command writes on request (`--out`, `--sarif`, `--junit`): a path that cannot be written is one
line naming the option and the path, found before any planning when it can be, never a traceback.

    check_writable(out, "--out")          # before planning: a directory, a parent that cannot exist or be written
    check_directory(out, "--out")         # the same for a directory written into (`synth --out DIR`): not a file
    with writing(out, "--out"):           # around the write itself: whatever the file system says
        ...
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from iac.diagnostics import ConfigError, Diagnostic

__all__ = ["check_directory", "check_writable", "writing"]


def check_writable(path: Path | None, option: str) -> None:
    """Refuse early what can be known not to work: an existing directory, a parent that is a file, a parent
    directory (the nearest that exists) this process may not write into."""
    if path is None:
        return
    if path.is_dir():
        raise _error(path, option, "is a directory; give a file name")
    _check_parent(path.parent, path, option)


def check_directory(path: Path | None, option: str) -> None:
    """Refuse early a directory to write into that is a file, or lies under a file or an unwritable directory."""
    if path is None:
        return
    if path.exists() and not path.is_dir():
        raise _error(path, option, "is a file; give a directory")
    _check_parent(path, path, option)


def _check_parent(parent: Path, path: Path, option: str) -> None:
    """The nearest existing directory at or above `parent` must be a directory this process may write into."""
    while not parent.exists():
        if parent == parent.parent:
            break
        parent = parent.parent
    if parent.exists() and not parent.is_dir():
        raise _error(path, option, f"{parent} is not a directory")
    if parent.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise _error(path, option, f"the directory {parent} is not writable")


@contextmanager
def writing(path: Path, option: str) -> Iterator[None]:
    """Whatever the write raises (a full disk, a file made read-only meanwhile) as one line."""
    try:
        yield
    except OSError as error:
        raise _error(path, option, f"cannot be written: {error.strerror or error}") from None


def _error(path: Path, option: str, why: str) -> ConfigError:
    return ConfigError(Diagnostic(f"{option} {path}: {why}"))
