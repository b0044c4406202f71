"""Filesystem functions: abspath, basename, dirname, file, filebase64, filebase64sha256, filebase64sha512,
fileexists, filemd5, fileset, filesha1, filesha256, filesha512, pathexpand, templatefile
(Terraform's internal/lang/funcs/filesystem.go and crypto.go).

Relative paths are read from `FunctionContext.base_dir` (Terraform: the working directory, whatever the
module). Path strings follow Go's path/filepath on Unix (`Clean` collapses `//`, `.` and `..`; `Base` and
`Dir` of "" are "."), `~` is expanded from $HOME as go-homedir does, and `fileset` patterns are
doublestar's (`**` for any number of directories, `{a,b}`, `[...]`). Errors quote the path as Terraform
does, or say "(sensitive value)" for a sensitive one.
"""

from __future__ import annotations

import base64
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext, FunctionError, Param, builtin
from iac.lang.functions.crypto import hash_text
from iac.lang.functions.encoding import nfc

__all__ = ["go_base", "go_clean", "go_dir", "go_join"]


# -- Go's path/filepath (Unix) ------------------------------------------------------------------------------------


def go_clean(path: str) -> str:
    """filepath.Clean: the shortest equivalent path ("" is ".", `//a/./b/../c/` is "/a/c")."""
    if not path:
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(part)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."


def go_join(*elems: str) -> str:
    """filepath.Join: the non-empty elements joined with "/" and cleaned ("" when all are empty)."""
    kept = [e for e in elems if e]
    return go_clean("/".join(kept)) if kept else ""


def go_base(path: str) -> str:
    """filepath.Base: the last element, trailing slashes ignored ("" is ".", "/" is "/")."""
    if not path:
        return "."
    path = path.rstrip("/")
    if not path:
        return "/"
    return path[path.rfind("/") + 1:]


def go_dir(path: str) -> str:
    """filepath.Dir: everything but the last element, cleaned."""
    return go_clean(path[:path.rfind("/") + 1])


def _expand_home(path: str) -> str:
    """go-homedir's Expand: a leading `~` (alone or before a separator) becomes $HOME."""
    if not path or path[0] != "~":
        return path
    if len(path) > 1 and path[1] not in "/\\":
        raise FunctionError("cannot expand user-specific home dir")
    home = os.environ.get("HOME") or str(Path.home())
    return go_join(home, path[1:])


def _redact(text: str, marks: frozenset[str]) -> str:
    from iac._go import go_quote

    return "(sensitive value)" if cty.SENSITIVE in marks else go_quote(text)


def _resolve(context: FunctionContext, path: str) -> tuple[str, Path]:
    """The path as Terraform names it in messages (joined with its base directory ".", cleaned) and the
    file iac opens (relative to `base_dir`). Raises the `~` expansion error."""
    try:
        expanded = _expand_home(path)
    except FunctionError as error:
        raise FunctionError(f"failed to expand ~: {error.message}") from error
    shown = go_clean(expanded) if expanded.startswith("/") else go_join(".", expanded)
    return shown, Path(shown) if shown.startswith("/") else Path(context.base_dir) / shown


def _read_bytes(context: FunctionContext, path: str, marks: frozenset[str]) -> bytes:
    """readFileBytes: the file's bytes, or Terraform's error (with its hint for a missing file)."""
    try:
        shown, target = _resolve(context, path)
    except FunctionError as error:
        raise FunctionError(error.message, argument=0) from error
    try:
        return target.read_bytes()
    except FileNotFoundError as error:
        raise FunctionError(f"no file exists at {_redact(path, marks)}; this function works only with files that are "
                            "distributed as part of the configuration source code, so if this file will be "
                            "created by a resource in this configuration you must instead obtain this result "
                            "from an attribute of that resource", argument=0) from error
    except IsADirectoryError as error:
        raise FunctionError(f"failed to read file: read {shown}: is a directory", argument=0) from error
    except NotADirectoryError as error:
        raise FunctionError(f"open {shown}: not a directory", argument=0) from error
    except PermissionError as error:
        raise FunctionError(f"open {shown}: permission denied", argument=0) from error


@builtin("file", [Param("path", cty.STRING, allow_marked=True)], returns=cty.STRING, needs_context=True)
def file(context: FunctionContext, path: Value) -> Value:
    """The file's contents, which must be valid UTF-8 (normalised to NFC, as every Terraform string)."""
    inner, marks = path.unmark()
    data = _read_bytes(context, inner.v, marks)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FunctionError(f"contents of {_redact(inner.v, marks)} are not valid UTF-8; use the filebase64 function "
                            "to obtain the Base64 encoded contents or the other file functions (e.g. filemd5, "
                            "filesha256) to obtain file hashing results instead") from error
    return cty.string(nfc(text)).mark(marks)


@builtin("filebase64", [Param("path", cty.STRING, allow_marked=True)], returns=cty.STRING, needs_context=True)
def filebase64(context: FunctionContext, path: Value) -> Value:
    inner, marks = path.unmark()
    data = _read_bytes(context, inner.v, marks)
    return cty.string(base64.b64encode(data).decode("ascii")).mark(marks)


def _file_hash(name: str, algorithm: str, encoding: str) -> None:
    def impl(context: FunctionContext, path: Value) -> Value:
        try:
            shown, target = _resolve(context, path.v)
            return cty.string(hash_text(target.read_bytes(), algorithm, encoding))
        except FunctionError:
            raise
        except FileNotFoundError as error:
            raise FunctionError(f"open {shown}: no such file or directory") from error
        except IsADirectoryError as error:
            raise FunctionError(f"read {shown}: is a directory") from error
        except NotADirectoryError as error:
            raise FunctionError(f"open {shown}: not a directory") from error

    impl.__doc__ = f"{name}: the {algorithm} of the file's bytes, {encoding}-encoded (Go's raw open/read errors)."
    builtin(name, [Param("path", cty.STRING)], returns=cty.STRING, needs_context=True)(impl)


for _name, _algorithm, _encoding in (("filemd5", "md5", "hex"), ("filesha1", "sha1", "hex"),
                                     ("filesha256", "sha256", "hex"), ("filesha512", "sha512", "hex"),
                                     ("filebase64sha256", "sha256", "base64"),
                                     ("filebase64sha512", "sha512", "base64")):
    _file_hash(_name, _algorithm, _encoding)


@builtin("fileexists", [Param("path", cty.STRING, allow_marked=True)], returns=cty.BOOL, needs_context=True)
def fileexists(context: FunctionContext, path: Value) -> Value:
    """Whether a regular file exists at the path (following symlinks). A directory, device, pipe or socket
    there is an error, not false."""
    inner, marks = path.unmark()
    shown, target = _resolve(context, inner.v)
    try:
        info = target.stat()
    except FileNotFoundError:
        return cty.FALSE.mark(marks)
    except OSError as error:
        raise FunctionError(f"failed to stat {_redact(shown, marks)}") from error
    if stat.S_ISREG(info.st_mode):
        return cty.TRUE.mark(marks)
    name = _redact(shown, marks)
    if stat.S_ISDIR(info.st_mode):
        raise FunctionError(f"{name} is a directory, not a file", argument=1)
    if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):
        raise FunctionError(f"{name} is a device node, not a regular file", argument=1)
    if stat.S_ISFIFO(info.st_mode):
        raise FunctionError(f"{name} is a named pipe, not a regular file", argument=1)
    if stat.S_ISSOCK(info.st_mode):
        raise FunctionError(f"{name} is a unix domain socket, not a regular file", argument=1)
    raise FunctionError(f"{name} is not a regular file", argument=1)


@builtin("abspath", [Param("path", cty.STRING)], returns=cty.STRING, needs_context=True)
def abspath(context: FunctionContext, path: Value) -> Value:
    """filepath.Abs: an absolute path cleaned, a relative one joined to the working directory (iac: the
    base directory). The file need not exist."""
    text = path.v
    if text.startswith("/"):
        return cty.string(go_clean(text))
    return cty.string(go_join(str(Path(context.base_dir).absolute()), text))


@builtin("basename", [Param("path", cty.STRING)], returns=cty.STRING)
def basename(path: Value) -> Value:
    return cty.string(go_base(path.v))


@builtin("dirname", [Param("path", cty.STRING)], returns=cty.STRING)
def dirname(path: Value) -> Value:
    return cty.string(go_dir(path.v))


@builtin("pathexpand", [Param("path", cty.STRING)], returns=cty.STRING)
def pathexpand(path: Value) -> Value:
    """A leading `~` or `~/` becomes the home directory (the result then cleaned, as filepath.Join does);
    any other path is returned unchanged; `~user` is an error."""
    return cty.string(_expand_home(path.v))


# -- fileset: doublestar globbing --------------------------------------------------------------------------------


class _BadPattern(ValueError):
    pass


def _has_meta(part: str) -> bool:
    return any(c in part for c in "*?[{\\")


def _translate(part: str) -> str:
    """One path component of a doublestar pattern as a regular expression (no `/` inside)."""
    out: list[str] = []
    i = 0
    depth = 0
    while i < len(part):
        c = part[i]
        if c == "\\":
            i += 1
            if i >= len(part):
                raise _BadPattern
            out.append(re.escape(part[i]))
        elif c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            end = i + 1
            if end < len(part) and part[end] == "^":
                end += 1
            if end < len(part) and part[end] == "]":
                end += 1
            while end < len(part) and part[end] != "]":
                end += 2 if part[end] == "\\" else 1
            if end >= len(part):
                raise _BadPattern
            out.append(_char_class(part[i + 1:end]))
            i = end
        elif c == "{":
            depth += 1
            out.append("(?:")
        elif c == "}" and depth:
            depth -= 1
            out.append(")")
        elif c == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(c))
        i += 1
    if depth:
        raise _BadPattern
    return "".join(out)


def _char_class(body: str) -> str:
    """A `[...]` body (ranges, `!` or `^` to negate, `\\` escapes) as a Python character class."""
    negate = body[:1] == "^"  # doublestar negates with ^ only: [!a] is "!" or "a"
    if negate:
        body = body[1:]
    if not body:
        raise _BadPattern
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            i += 1
            if i >= len(body):
                raise _BadPattern
            c = body[i]
        out.append("-" if c == "-" and 0 < i < len(body) - 1 else re.escape(c))
        i += 1
    return f"[{'^' if negate else ''}{''.join(out)}]"


def _glob(root: Path, pattern: str) -> list[str]:
    """doublestar.Glob of a cleaned pattern: the matching paths (files and directories), as pattern-relative
    text joined under the pattern's leading literal part."""
    absolute = pattern.startswith("/")
    parts = pattern.lstrip("/").split("/") if pattern not in (".", "") else []
    start = "/" if absolute else ""
    results: list[str] = []
    _glob_parts(root, start, parts, results)
    return results


def _glob_parts(root: Path, prefix: str, parts: Sequence[str], results: list[str], seen_meta: bool = False) -> None:
    if not parts:
        results.append(prefix or ".")
        return
    part, rest = parts[0], parts[1:]
    base = _on_disk(root, prefix)
    if part == "**" and not rest:  # everything below, directories included; broken symlinks left out
        results.append(prefix or ".")
        _walk_all(root, prefix, results)
        return
    if part == "**" and rest and rest[0] == "**":
        # doublestar's quirk for a run of ** components: one directory at least before what follows them,
        # and at the end of the pattern the same as **/*
        while rest and rest[0] == "**":
            rest = rest[1:]
        if not rest:
            _glob_parts(root, prefix, ["**", "*"], results, seen_meta)
            return
        for name in _list_dir(base):
            if (base / name).is_dir():
                _glob_parts(root, _child(prefix, name), ["**", *rest], results, seen_meta)
        return
    if part == "**":
        _glob_parts(root, prefix, rest, results, seen_meta)
        for name in _list_dir(base):
            child = _child(prefix, name)
            if (base / name).is_dir():
                _glob_parts(root, child, parts, results, seen_meta)
        return
    if not _has_meta(part):
        child = _child(prefix, part)
        if os.path.lexists(base / part):
            if rest:
                if (base / part).is_dir():
                    _glob_parts(root, child, rest, results, seen_meta)
            else:
                results.append(child)
        return
    try:
        regex = re.compile(_translate(part), re.DOTALL)
    except _BadPattern:
        if seen_meta:  # doublestar reports a bad pattern only in the first component with meta characters;
            return  # a later one just matches nothing
        raise
    for name in sorted(_list_dir(base)):
        if regex.fullmatch(name):
            child = _child(prefix, name)
            if rest:
                if (base / name).is_dir():
                    _glob_parts(root, child, rest, results, True)
            else:
                results.append(child)


def _walk_all(root: Path, prefix: str, results: list[str]) -> None:
    base = _on_disk(root, prefix)
    for name in _list_dir(base):
        child = _child(prefix, name)
        if (base / name).is_dir():
            results.append(child)
            _walk_all(root, child, results)
        elif (base / name).exists():
            results.append(child)


def _on_disk(root: Path, prefix: str) -> Path:
    if prefix.startswith("/"):
        return Path(prefix)
    return root / prefix if prefix else root


def _child(prefix: str, name: str) -> str:
    if not prefix:
        return name
    return prefix + name if prefix.endswith("/") else f"{prefix}/{name}"


def _list_dir(directory: Path) -> list[str]:
    try:
        return sorted(os.listdir(directory))
    except OSError:
        return []


def _relative(base: str, target: str) -> str:
    """filepath.Rel for two cleaned paths of the same kind (both relative or both absolute)."""
    base_parts = [p for p in base.split("/") if p and p != "."]
    target_parts = [p for p in target.split("/") if p and p != "."]
    common = 0
    while common < min(len(base_parts), len(target_parts)) and base_parts[common] == target_parts[common]:
        common += 1
    up = [".."] * (len(base_parts) - common)
    return "/".join(up + target_parts[common:]) or "."


@builtin("fileset", [Param("path", cty.STRING, allow_marked=True), Param("pattern", cty.STRING, allow_marked=True)],
         returns=cty.set_of(cty.STRING), needs_context=True)
def fileset(context: FunctionContext, path: Value, pattern: Value) -> Value:
    """The regular files under `path` matching `pattern` (doublestar: `*` and `?` within one name, `**` for
    any number of directories, `{a,b}`, `[...]`), as paths relative to `path` with "/" separators."""
    path_value, path_marks = path.unmark()
    pattern_value, pattern_marks = pattern.unmark()
    marks = path_marks | pattern_marks
    base = path_value.v if path_value.v.startswith("/") else go_join(".", path_value.v)
    full = go_join(base, pattern_value.v)
    try:
        matches = _glob(Path(context.base_dir), full)
    except _BadPattern as error:
        raise FunctionError(f"failed to glob pattern {_redact(full, marks)}: syntax error in pattern") from error
    found: list[Value] = []
    for match in matches:
        target = Path(match) if match.startswith("/") else Path(context.base_dir) / match
        try:
            if not stat.S_ISREG(target.stat().st_mode):
                continue
        except OSError as error:
            reason = os.strerror(error.errno or 0)
            raise FunctionError(f"failed to stat {_redact(match, marks)}: stat {match}: "
                                f"{reason[:1].lower()}{reason[1:]}") from error
        found.append(cty.string(nfc(_relative(base, match))))
    return cty.set_value(found, cty.STRING).mark(marks)


# -- templatefile (the function's side; the evaluator renders) ----------------------------------------------------

def _valid_identifier(name: str) -> bool:
    """hclsyntax.ValidIdentifier: a letter or underscore, then letters, digits, underscores or dashes
    (Unicode ones too)."""
    if not name or not (name[0] == "_" or name[0].isidentifier()):
        return False
    return all(c == "-" or ("a" + c).isidentifier() for c in name[1:])


@builtin("templatefile", [Param("path", cty.STRING, allow_marked=True),
                          Param("vars", cty.DYNAMIC, allow_unknown=True)], returns=cty.DYNAMIC, needs_context=True)
def templatefile(context: FunctionContext, path: Value, variables: Value) -> Value:
    """Reads the template file (as `file` does), checks `vars` (a map or object whose keys are identifiers)
    and renders the template with them through `context.render_template(text, vars, path)`. While the path
    or `vars` is unknown the result is unknown; with unknowns inside `vars` the template is still rendered
    (to report its errors and type) and the result is unknown of that type."""
    inner, marks = path.unmark()
    if not variables.is_known:
        return cty.unknown(cty.DYNAMIC)
    text = file(context, path).unmark()[0].v
    if variables.type.kind not in ("map", "object"):
        raise FunctionError("invalid vars value: must be a map", argument=1)
    for name in sorted(variables.v):
        if not _valid_identifier(name):
            from iac._go import go_quote

            raise FunctionError(f"invalid template variable name {go_quote(name)}: must start with a letter, followed "
                                "by zero or more letters, digits, and underscores", argument=1)
    if context.render_template is None:
        raise FunctionError("templatefile cannot render templates here (no template renderer)")
    result = context.render_template(text, variables, inner.v)
    if not variables.is_wholly_known():
        return cty.unknown(result.type).mark(marks)
    return result.mark(marks)
