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
"""

from __future__ import annotations

import builtins
import inspect
import re
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from pydantic import ValidationError

from iac.constructs._base import pydantic_diagnostics, relative_source
from iac.diagnostics import ConfigError, Diagnostic, did_you_mean

__all__ = ["user_code_error"]

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
