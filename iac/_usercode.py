"""Running the user's Python (an environment file, its `build()`): whatever it does, one line.

    with user_code(project_dir, environment="dev", what="build()"):
        environment.build(stack)

An environment file is code, so it can do anything code does: exit (`sys.exit(0)` must not turn a plan
into a silent "no changes"), raise, fail to import, fail to parse, or never finish. Each becomes one
`ConfigError` line naming the user's own frame (`environments/dev.py:12`, never iac's or a library's)
and exit 1; iac's own errors (`IacError`, e.g. a construct's schema error) pass through unchanged, and
so does Ctrl-C (the user asked to stop). The run has a time limit, `IAC_BUILD_TIMEOUT` seconds
(default 120): an endless loop is stopped where it loops.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType

from iac.diagnostics import ConfigError, Diagnostic, IacError

__all__ = ["DEFAULT_BUILD_TIMEOUT", "TIMEOUT_VARIABLE", "build_timeout", "user_code"]

TIMEOUT_VARIABLE = "IAC_BUILD_TIMEOUT"
DEFAULT_BUILD_TIMEOUT = 120.0
"""Seconds: prod (50 workspaces, ~2,000 resources) builds in a few; two minutes is a loop, not a slow build."""

_PACKAGE_DIR = str(Path(__file__).resolve().parent)


class _TimedOut(BaseException):  # noqa: N818 - a signal, not an error: `except Exception` in user code must not swallow it
    """Raised inside the user's code by the timer."""


def build_timeout() -> float:
    """The time limit in seconds (`IAC_BUILD_TIMEOUT`; 0 or less: none)."""
    raw = os.environ.get(TIMEOUT_VARIABLE, "")
    if not raw.strip():
        return DEFAULT_BUILD_TIMEOUT
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(Diagnostic(f"{TIMEOUT_VARIABLE}={raw!r} is not a number of seconds")) from None


@contextmanager
def user_code(project_dir: Path, *, environment: str, what: str) -> Iterator[None]:
    """Run the block as the user's code: anything but an `IacError` or Ctrl-C becomes one `ConfigError`."""
    limit = build_timeout()
    try:
        with _time_limit(limit):
            yield
    except (IacError, KeyboardInterrupt):
        raise
    except _TimedOut as stop:
        raise _error(project_dir, stop, environment, f"{what} did not finish within {limit:g} s (an endless loop?); "
                                                     f"set {TIMEOUT_VARIABLE}=SECONDS to allow longer") from None
    except SystemExit as stop:
        raise _error(project_dir, stop, environment, f"{what} called sys.exit({stop.code!r}): an environment file "
                                                     "must define an environment, not end the run") from None
    except SyntaxError as error:  # the file itself (or one it imports) does not parse
        where = f"{_relative(project_dir, error.filename or '?')}:{error.lineno or 0}"
        raise ConfigError(Diagnostic(f"syntax error: {error.msg}", source=where, environment=environment)) from None
    except ImportError as error:
        raise _error(project_dir, error, environment, f"{what} failed: {type(error).__name__}: {error}") from None
    except BaseException as error:  # noqa: BLE001 - user code may raise anything (even BaseException subclasses)
        message = " ".join(str(error).split()) or "(no message)"
        raise _error(project_dir, error, environment, f"{what} raised {type(error).__name__}: {message}") from None


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """SIGALRM after `seconds`, then every second (a bare `except:` in a loop must not outlive it). Only
    in the main thread, where signals are delivered; elsewhere (a worker thread) there is no limit."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _error(project_dir: Path, error: BaseException, environment: str, summary: str) -> ConfigError:
    return ConfigError(Diagnostic(summary, source=user_frame(project_dir, error.__traceback__),
                                  environment=environment))


def user_frame(project_dir: Path, tb: TracebackType | None) -> str | None:
    """`file:line` of the innermost frame of the traceback in the project's own files (not iac, not an
    installed package, not the standard library), relative to the project."""
    root = str(project_dir.resolve())
    found = None
    for frame in traceback.extract_tb(tb):
        filename = os.path.abspath(frame.filename)
        if (filename.startswith(root + os.sep) and not filename.startswith(_PACKAGE_DIR)
                and "site-packages" not in filename and not filename.startswith(sys.prefix)):
            found = f"{_relative(project_dir, filename)}:{frame.lineno}"
    return found


def _relative(project_dir: Path, filename: str) -> str:
    try:
        return os.path.relpath(filename, project_dir.resolve()) if os.path.isabs(filename) else filename
    except ValueError:
        return filename
