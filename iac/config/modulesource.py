"""A module call's `source`, judged as Terraform parses it (its addrs.ParseModuleSource) before anything is
installed: a local path (`./x`, `../x`), else a module registry address (`[HOST/]NAMESPACE/NAME/SYSTEM`),
else a remote address go-getter recognises (a URL, `GETTER::...`, `github.com/USER/REPO`, `git@...`,
`bitbucket.org/...`, an S3 or GCS host, an absolute path). Anything else is Terraform's "Invalid module source
address", in its words: `modules/vpc` is not installed from anywhere, it is a local path missing its `./`.
An optional `//SUBDIR` may not lead out of the package.
"""

from __future__ import annotations

import posixpath
import re

__all__ = ["LOCAL_PREFIXES", "source_problem"]

LOCAL_PREFIXES = ("./", "../", ".\\", "..\\")
"""What makes a source a local path (Terraform accepts Windows separators and reads them as `/`)."""

_NAME = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?")
_SYSTEM = re.compile(r"[0-9a-z]{1,64}")
_HOST_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")
_FORCED = re.compile(r"([A-Za-z0-9]+)::(.+)", re.S)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_RESERVED_HOSTS = ("github.com", "bitbucket.org")


def source_problem(source: str) -> str | None:
    """Terraform's reason for refusing `source` as a module source address, or None when it parses."""
    if source.startswith(LOCAL_PREFIXES):
        return None
    package, subdir = _split_subdir(source)
    if subdir.startswith("../"):
        return f'Failed to parse module source address: subdirectory path "{subdir}" leads outside of the module package.'
    if _is_registry(package):
        return None
    if not package:
        return "Failed to parse module source address: invalid source address: ."
    forced = _FORCED.fullmatch(package)
    detected = forced.group(2) if forced else package
    if _SCHEME.match(detected) or detected.startswith(("git@", "bitbucket.org/", "/")):
        return None
    if detected.startswith("github.com/"):
        if len(detected.split("/")) < 3:
            return "Failed to parse module source address: GitHub URLs should be github.com/username/repo."
        return None
    if ".amazonaws.com/" in detected or "googleapis.com/" in detected:
        return None
    return (f'Terraform failed to determine your intended installation method for remote module package "{detected}". '
            f'If you intended this as a path relative to the current module, use "./{detected}" instead. The "./" '
            "prefix indicates that the address is a relative filesystem path.")


def _split_subdir(source: str) -> tuple[str, str]:
    """go-getter's SourceDirSubdir: `PACKAGE//SUBDIR` (a scheme's `://` and a query string are not it), the
    subdirectory cleaned."""
    stop = source.find("?")
    stop = len(source) if stop < 0 else stop
    scheme = source.find("://", 0, stop)
    offset = scheme + 3 if scheme >= 0 else 0
    found = source.find("//", offset, stop)
    if found < 0:
        return source, ""
    package, subdir = source[:found], source[found + 2:]
    query = subdir.find("?")
    if query >= 0:
        package, subdir = package + subdir[query:], subdir[:query]
    return package, posixpath.normpath(subdir) if subdir else ""


def _is_registry(package: str) -> bool:
    parts = package.split("/")
    if len(parts) == 4:
        host = parts.pop(0).lower()
        name, _, port = host.partition(":")
        labels = name.split(".")
        if (len(labels) < 2 or "--" in name or host in _RESERVED_HOSTS or (port and not port.isdigit())
                or not all(_HOST_LABEL.fullmatch(label) for label in labels)):
            return False
    return (len(parts) == 3 and bool(_NAME.fullmatch(parts[0])) and bool(_NAME.fullmatch(parts[1]))
            and bool(_SYSTEM.fullmatch(parts[2])))
