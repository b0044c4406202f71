"""Oracle tables for the filesystem functions, run in a directory of test files (Terraform plans in it;
iac reads relative paths from it): abspath, basename, dirname, file, filebase64, filebase64sha256,
filebase64sha512, fileexists, filemd5, fileset, filesha1, filesha256, filesha512, pathexpand, templatefile."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from iac.lang import cty
from iac.lang.cty import Value
from iac.lang.functions import FunctionContext, FunctionError
from iac.lang.functions.filesystem import go_base, go_clean, go_dir, go_join
from tests.lang.test_fn_encoding_support import (
    NULL_STRING,
    UNKNOWN_STRING,
    UNTYPED_NULL,
    CaseLike,
    check_cases,
    s,
    sens,
)

FILES: dict[str, bytes] = {
    "hello.txt": b"Hello World",
    "unicode.txt": "é e\u0301 😀 日本\n".encode(),
    "crlf.txt": b"line1\r\nline2\r\n",
    "empty.txt": b"",
    "binary.bin": bytes(range(256)),
    "latin1.txt": "café".encode("latin-1"),
    "bom.txt": b"\xef\xbb\xbfwith bom",
    "data/a.txt": b"a",
    "data/b.json": b'{"b": 1}',
    "data/.hidden": b"hidden",
    "data/x y.txt": b"space",
    "data/[br].txt": b"brackets",
    "data/{br}.txt": b"braces",
    "data/é.txt": b"accent",
    "data/sub/c.txt": b"c",
    "data/sub/e.md": b"e",
    "data/sub/deep/d.txt": b"d",
    "data/sub/deep/deeper/f.txt": b"f",
    "other/z.txt": b"z",
    "tmpl/plain.tmpl": b"just text\n",
    "tmpl/var.tmpl": b"Hello, ${name}!",
    "tmpl/only.tmpl": b"${value}",
    "tmpl/latin1.tmpl": "café".encode("latin-1"),
}


def make_tree(root: Path, broken_link: bool = True) -> None:
    for relative, content in FILES.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (root / "data" / "emptydir").mkdir()
    (root / "data" / "link.txt").symlink_to("a.txt")
    (root / "data" / "linkdir").symlink_to("sub")
    if broken_link:
        (root / "data" / "broken").symlink_to("nowhere")


def _render(text: str, variables: Value, path: str) -> Value:
    """A stand-in for the evaluator's template renderer: `${name}` references only (enough for the
    function's own behaviour: a lone interpolation keeps its value's type)."""
    parts = re.split(r"\$\{(\w+)\}", text)
    values = variables.v
    if len(parts) == 3 and parts[0] == parts[2] == "":
        return values[parts[1]]
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            value = cty.convert(values[part], cty.STRING)
            if not value.is_known:
                return cty.unknown(cty.STRING)
            out.append(value.v)
        else:
            out.append(part)
    return cty.string("".join(out))


PATHS = ["hello.txt", "./hello.txt", "data/../hello.txt", "data//a.txt", "unicode.txt", "crlf.txt", "empty.txt",
         "binary.bin", "latin1.txt", "bom.txt", "data/é.txt", "data/link.txt", "data/linkdir/c.txt", "data/broken",
         "nope.txt", "data", "data/emptydir", "hello.txt/x", "", "~user/x", "~/definitely-missing-iac-file"]


def file_cases(root: Path) -> list[CaseLike]:
    cases: list[CaseLike] = []
    for name in ["file", "filebase64", "filemd5", "filesha1", "filesha256", "filesha512", "filebase64sha256",
                 "filebase64sha512", "fileexists"]:
        cases += [(name, [s(p)]) for p in PATHS]
        cases += [
            (name, [s(str(root / "hello.txt"))]),
            (name, [s(str(root / "data" / ".." / "data" / "a.txt"))]),
            (name, [sens(s("hello.txt"))]),
            (name, [sens(s("nope.txt"))]),
            (name, [sens(s("data"))]),
            (name, [UNKNOWN_STRING]),
            (name, [NULL_STRING]),
            (name, [UNTYPED_NULL]),
            (name, [cty.number(1)]),
            (name, [cty.tuple_value([])]),
            (name, []),
        ]
    cases.append(("file", [sens(s("latin1.txt"))]))
    return cases


PATH_STRINGS = ["", ".", "..", "/", "//", "a", "a/", "a//", "/a", "a/b", "a/b/", "/a/b/c.txt", "a/./b", "a/../b",
                "../../a", "/../a", "./a", "a/b/..", "//a//b//", "~", "~/", "~/x/../y", "~user", "~\\x", "x~/",
                "foo/bar/baz.txt", "C:\\windows\\path", "é/😀.txt", " spaced / path ", "a/b/c/", "/a/b/../../.."]


def path_cases() -> list[CaseLike]:
    cases: list[CaseLike] = []
    for name in ["basename", "dirname", "pathexpand", "abspath"]:
        cases += [(name, [s(p)]) for p in PATH_STRINGS]
        cases += [(name, [sens(s("a/b"))]), (name, [UNKNOWN_STRING]), (name, [NULL_STRING]), (name, [cty.number(1)]),
                  (name, [])]
    return cases


PATTERNS = ["*", "*.txt", "**", "**/*.txt", "**/*", "sub/*", "sub/**", "sub/**/*.txt", "*/*.txt", "**/deep/*",
            "*.{txt,json}", "{a,b}.*", "[ab].*", "[!a]*.txt", "[^a]*.txt", "[a-c]*", "?.txt", "??.txt", "x y.txt",
            "\\[br\\].txt", "[[]br].txt", "\\{br\\}.txt", "é.txt", ".*", "*/", "sub/../*.txt", "./*.json",
            "nomatch*", "missing/*", "[", "[]", "{a,b", "a\\", "**/", "***", "sub/**/deeper/*", "link*", "emptydir/*",
            "linkdir/*", "**/*.md", "*/{/x/d*", "sub/{a", "*/[", "**/[", "**/**/*.txt",
            "**/**", "sub/**/**/*.txt", "**/sub/**/*", "**/**/**/*.txt"]


def fileset_cases(root: Path) -> list[CaseLike]:
    cases: list[CaseLike] = [("fileset", [s("data"), s(p)]) for p in PATTERNS]
    cases += [
        ("fileset", [s("./data/"), s("*.txt")]),
        ("fileset", [s("data/sub"), s("**")]),
        ("fileset", [s(str(root / "data")), s("**/*.txt")]),
        ("fileset", [s(str(root)), s("data/sub/*")]),
        ("fileset", [s("missing"), s("*")]),
        ("fileset", [s("data"), s("")]),
        ("fileset", [s("data/a.txt"), s("")]),
        ("fileset", [s(""), s("data/*.json")]),
        ("fileset", [s("data"), s("../other/*")]),
        ("fileset", [s("data/sub"), s("../*.json")]),
        ("fileset", [sens(s("data")), s("*.txt")]),
        ("fileset", [s("data"), sens(s("*.txt"))]),
        ("fileset", [sens(s("data")), s("nomatch")]),
        ("fileset", [s("data"), sens(s("["))]),
        ("fileset", [UNKNOWN_STRING, s("*")]),
        ("fileset", [s("data"), UNKNOWN_STRING]),
        ("fileset", [NULL_STRING, s("*")]),
        ("fileset", [s("data"), NULL_STRING]),
        ("fileset", [s("data")]),
    ]
    return cases


def template_cases() -> list[CaseLike]:
    name = cty.object_value({"name": s("World")})
    return [
        ("templatefile", [s("tmpl/plain.tmpl"), cty.EMPTY_OBJECT]),
        ("templatefile", [s("tmpl/var.tmpl"), name]),
        ("templatefile", [s("tmpl/var.tmpl"), cty.map_value({"name": s("map")})]),
        ("templatefile", [s("tmpl/only.tmpl"), cty.object_value({"value": cty.number(5)})]),
        ("templatefile", [s("tmpl/only.tmpl"), cty.object_value({"value": cty.tuple_value([s("x"), cty.TRUE])})]),
        ("templatefile", [s("tmpl/var.tmpl"), cty.object_value({"name": UNKNOWN_STRING})]),
        ("templatefile", [s("tmpl/only.tmpl"), cty.object_value({"value": UNKNOWN_STRING})]),
        ("templatefile", [s("tmpl/var.tmpl"), cty.object_value({"name": sens(s("secret"))})]),
        ("templatefile", [sens(s("tmpl/var.tmpl")), name]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.object_value({"bad name": s("x")})]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.object_value({"1abc": s("x")})]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.object_value({"_under": s("x"), "dash-ed": s("y"), "é": s("z")})]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.object_value({"": s("x")})]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.tuple_value([s("x")])]),
        ("templatefile", [s("tmpl/plain.tmpl"), s("x")]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.number(1)]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.null(cty.map_of(cty.STRING))]),
        ("templatefile", [s("tmpl/plain.tmpl"), UNTYPED_NULL]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.unknown(cty.DYNAMIC)]),
        ("templatefile", [s("tmpl/plain.tmpl"), cty.unknown(cty.map_of(cty.STRING))]),
        ("templatefile", [s("tmpl/missing.tmpl"), cty.EMPTY_OBJECT]),
        ("templatefile", [s("tmpl/latin1.tmpl"), cty.EMPTY_OBJECT]),
        ("templatefile", [s("tmpl"), cty.EMPTY_OBJECT]),
        ("templatefile", [UNKNOWN_STRING, cty.EMPTY_OBJECT]),
        ("templatefile", [NULL_STRING, cty.EMPTY_OBJECT]),
        ("templatefile", [s("tmpl/plain.tmpl")]),
    ]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    make_tree(tmp_path)
    return tmp_path


def _context(root: Path) -> FunctionContext:
    return FunctionContext(base_dir=root, render_template=_render)


@pytest.mark.oracle
def test_file_functions_match_terraform(tree: Path) -> None:
    check_cases(file_cases(tree), context=_context(tree), workdir=tree)


@pytest.mark.oracle
def test_path_functions_match_terraform(tree: Path) -> None:
    check_cases(path_cases(), context=_context(tree), workdir=tree)


@pytest.mark.oracle
def test_fileset_matches_terraform(tree: Path) -> None:
    check_cases(fileset_cases(tree), context=_context(tree), workdir=tree)


@pytest.mark.oracle
def test_fileset_without_broken_links_matches_terraform(tmp_path: Path) -> None:
    """The same patterns where no broken symlink makes a match fail to stat."""
    make_tree(tmp_path, broken_link=False)
    check_cases(fileset_cases(tmp_path), context=_context(tmp_path), workdir=tmp_path)


@pytest.mark.oracle
def test_templatefile_matches_terraform(tree: Path) -> None:
    check_cases(template_cases(), context=_context(tree), workdir=tree)


def test_go_path_helpers() -> None:
    assert go_clean("//a/./b/../c/") == "/a/c"
    assert go_clean("") == "." and go_clean("../..") == "../.." and go_clean("/..") == "/"
    assert go_join("", "") == "" and go_join(".", "a") == "a" and go_join("/x", "../y") == "/y"
    assert go_base("") == "." and go_base("///") == "/" and go_base("a/b/") == "b"
    assert go_dir("") == "." and go_dir("/a") == "/" and go_dir("a/b/") == "a/b"


def test_templatefile_without_renderer_is_an_error(tree: Path) -> None:
    from iac.lang.functions import call, lookup_function

    function = lookup_function("templatefile")
    assert function is not None
    with pytest.raises(FunctionError, match="no template renderer"):
        call(function, [s("tmpl/plain.tmpl"), cty.EMPTY_OBJECT], FunctionContext(base_dir=tree))
    assert os.path.isdir(tree)
