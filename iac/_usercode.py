"""An exception raised while running a project's own Python (an environment file, a blueprint) as one line.

`environments/` and `modules/` are code: a typo there raises a Python exception before iac sees a construct.
Instead of a traceback, the user gets one diagnostic located at the innermost line of their own code, with a
suggestion where one can be computed:

    NameError           `name 'teams' is not defined (did you mean 'TEAMS'?)` (the frame's names)
    AttributeError      `'Stack' object has no attribute 'ad' (did you mean 'add'?)` (the object's names)
    TypeError           `Team() got an unexpected keyword argument 'nme' (did you mean 'name'?)` (the signature)
    ValidationError     pydantic's errors, one line each (settings models: `PolicySettings`, `Environment`...)
    anything else       `KeyError: 'x'` (type and message)

iac's own errors (IacError) pass through unchanged; `--debug` still shows the traceback (the original
exception is the cause).

`user_code` runs a block as the user's code and guards what is not an `Exception` too: code can exit
(`sys.exit(0)` must not turn a plan into a silent "no changes"), fail to parse, or never finish. Each is one
line at the user's line, exit 1; Ctrl-C passes through (the user asked to stop). The run has a time limit,
`IAC_BUILD_TIMEOUT` seconds (default 120): an endless loop is stopped where it loops, and a loop inside one C
call (which no Python handler interrupts) `WATCHDOG_GRACE` seconds later by faulthandler's thread.
"""

from __future__ import annotations

import builtins
import faulthandler
import inspect
import json
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from pydantic import ValidationError

from iac.constructs._base import pydantic_diagnostics, relative_source
from iac.diagnostics import ConfigError, Diagnostic, IacError, did_you_mean

__all__ = ["DEFAULT_BUILD_TIMEOUT", "TIMEOUT_VARIABLE", "build_timeout", "user_code", "user_code_error"]

TIMEOUT_VARIABLE = "IAC_BUILD_TIMEOUT"
DEFAULT_BUILD_TIMEOUT = 120.0
"""Seconds: prod (50 workspaces, ~2,000 resources) builds in a few; two minutes is a loop, not a slow build."""

_PACKAGE_DIR = str(Path(__file__).resolve().parent)
_UNEXPECTED_KEYWORD = re.compile(r"^(?P<callee>[\w.<>]+)\(\) got an unexpected keyword argument '(?P<name>\w+)'")


def user_code_error(error: Exception, environment: str | None, *, called: Any = None,
                    fallback: str | None = None) -> ConfigError:
    """One ConfigError for `error`, raised while running the project's code for `environment`. `called` is
    the project's callable iac called (the environment's `build`): its signature explains a bad keyword when
    the call itself failed (a `partial` with a typo), and `fallback` is the file named then."""
    frame, line = _innermost_user_frame(error.__traceback__)
    source = relative_source(f"{frame.f_code.co_filename}:{line}") if frame is not None else fallback
    if isinstance(error, ValidationError):
        diagnostics = pydantic_diagnostics(error, source or "", environment, error.title)
        return ConfigError(*[d if source else d.at(source=None) for d in diagnostics])
    first_line = (str(error).splitlines() or [""])[0]
    summary = f"{type(error).__name__}: {first_line}".rstrip(": ") + _suggestion(error, frame, called)
    return ConfigError(Diagnostic(summary, source=source, environment=environment))


def _innermost_user_frame(tb: TracebackType | None) -> tuple[FrameType | None, int]:
    """The deepest traceback frame outside iac and the libraries (the user's line that failed)."""
    found: tuple[FrameType | None, int] = (None, 0)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.startswith((_PACKAGE_DIR, "<")) and "site-packages" not in name and "/lib/python" not in name:
            found = (tb.tb_frame, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _suggestion(error: Exception, frame: FrameType | None, called: Any) -> str:
    if "did you mean" in str(error).lower():
        return ""
    if isinstance(error, NameError) and error.name and frame is not None:
        return did_you_mean(error.name, [*frame.f_locals, *frame.f_globals, *dir(builtins)])
    if isinstance(error, AttributeError) and error.name and getattr(error, "obj", None) is not None:
        return did_you_mean(error.name, [n for n in dir(error.obj) if not n.startswith("_")])
    match = _UNEXPECTED_KEYWORD.match(str(error)) if isinstance(error, TypeError) else None
    if match is not None:
        callee = _lookup(match["callee"], frame) if frame is not None else called
        if callee is not None:
            return did_you_mean(match["name"], _parameters(callee))
    return ""


def _lookup(dotted: str, frame: FrameType) -> Any:
    """`Team.__init__` -> the `Team` the failing frame sees (then its attributes)."""
    head, *rest = dotted.split(".")
    value = frame.f_locals.get(head, frame.f_globals.get(head, getattr(builtins, head, None)))
    for part in rest:
        value = getattr(value, part, None)
    return value


def _parameters(callee: Any) -> list[str]:
    callee = getattr(callee, "func", callee)  # a functools.partial: the function it calls
    try:
        parameters = inspect.signature(callee).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


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
def user_code(environment: str, *, what: str, called: Any = None, fallback: str | None = None) -> Iterator[None]:
    """Run the block as the project's code for `environment` (`what` names it in messages: the file, or
    `build()`): an `Exception` is `user_code_error`'s one line; an exit, a syntax error, a time-out or any
    other BaseException is one line at the user's line too. IacError and Ctrl-C pass through."""
    limit = build_timeout()
    timed_out = (f"{what} did not finish within {limit:g} s (an endless loop?); set {TIMEOUT_VARIABLE}=SECONDS to "
                 "allow longer")
    try:
        with _time_limit(limit, Diagnostic(timed_out, source=fallback, environment=environment)):
            yield
    except (IacError, KeyboardInterrupt):
        raise
    except _TimedOut as stop:
        raise _located(stop, environment, fallback, timed_out) from None
    except SystemExit as stop:
        raise _located(stop, environment, fallback, f"{what} called sys.exit({stop.code!r}): an environment file "
                                                    "must define an environment, not end the run") from None
    except SyntaxError as error:  # the file itself (or one it imports) does not parse: its own file and line
        where = relative_source(f"{error.filename or '?'}:{error.lineno or 0}")
        raise ConfigError(Diagnostic(f"syntax error: {error.msg}", source=where, environment=environment)) from None
    except Exception as error:
        raise user_code_error(error, environment, called=called, fallback=fallback) from error
    except BaseException as error:  # noqa: BLE001 - user code may raise anything, even BaseException subclasses
        message = " ".join(str(error).split()) or "(no message)"
        raise _located(error, environment, fallback, f"{what} raised {type(error).__name__}: {message}") from None


@contextmanager
def _time_limit(seconds: float, timed_out: Diagnostic) -> Iterator[None]:
    """SIGALRM after `seconds`, then every second (a bare `except:` in a loop must not outlive it), and the
    watchdog behind it. Only in the main thread, where signals are delivered; elsewhere (a worker thread)
    there is no limit."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        with _watchdog(seconds + WATCHDOG_GRACE, timed_out):
            yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


WATCHDOG_GRACE = 5.0
"""Seconds past the limit before the watchdog ends the process: enough for the alarm to stop any Python
loop first."""


@contextmanager
def _watchdog(seconds: float, timed_out: Diagnostic) -> Iterator[None]:
    """For a loop inside one C call (`sum(range(10**15))`, a regular expression backtracking): it holds the
    interpreter, so no Python handler runs, SIGALRM's and Ctrl-C's included. faulthandler's thread needs no
    interpreter: after `seconds` it writes the stacks into a pipe and exits 1; a reader process (one per iac
    process, ending with it) turns them into the same one line, at the main thread's innermost user line."""
    pipe = _reader_pipe()
    if pipe is None:  # no process to spare: the alarm alone
        yield
        return
    where = (replace(timed_out, source=None).format(), timed_out.source or "")
    os.write(pipe, (json.dumps(where) + "\n").encode())  # what to say, should this block be stopped
    faulthandler.dump_traceback_later(seconds, exit=True, file=pipe)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


_READER: list[tuple[subprocess.Popen[bytes], int]] = []
"""The reader and the write end of its stdin, once started (it exits when the pipe closes: with iac)."""


def _reader_pipe() -> int | None:
    if not _READER:
        read_end, write_end = os.pipe()
        try:
            reader = subprocess.Popen([sys.executable, "-I", "-S", "-c", _READER_CODE, _PACKAGE_DIR, os.getcwd(),
                                       str(threading.main_thread().ident)], stdin=read_end, stdout=subprocess.DEVNULL)
        except OSError:
            os.close(write_end)
            return None
        finally:
            os.close(read_end)
        _READER.append((reader, write_end))
    return _READER[0][1]


_READER_CODE = r"""
import json, os, re, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's Ctrl-C reaches the whole group: iac answers it
package, cwd, main_thread = sys.argv[1:]
message, fallback, dump = "", "", None
for line in sys.stdin:  # a line saying what to say per block; faulthandler's stacks if one was stopped
    if dump is not None:
        dump += line
    elif line.startswith("Timeout ("):
        dump = line
    else:
        message, fallback = json.loads(line)
if dump:
    where = fallback
    for block in dump.split("\nThread ")[1:]:
        if int(block.split()[0], 16) != int(main_thread):
            continue
        for path, number in re.findall(r'File "(.*)", line (\d+)', block):  # innermost first
            if not path.startswith((package, "<")) and "site-packages" not in path and "/lib/python" not in path:
                # the user's own file, as _innermost_user_frame decides
                relative = os.path.relpath(path, cwd)
                where = f"{path if relative.startswith('..') else relative}:{number}"
                break
    sys.stderr.write(f"Error: {where + ': ' if where else ''}{message}\n")
"""


def _located(error: BaseException, environment: str, fallback: str | None, summary: str) -> ConfigError:
    frame, line = _innermost_user_frame(error.__traceback__)
    source = relative_source(f"{frame.f_code.co_filename}:{line}") if frame is not None else fallback
    return ConfigError(Diagnostic(summary, source=source, environment=environment))
