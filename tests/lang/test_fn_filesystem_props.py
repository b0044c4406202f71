"""Generated calls of the filesystem functions, compared with Terraform: random path strings for the path
functions, random file contents (any bytes) for the file readers and hashes, random doublestar patterns
over a fixed tree for fileset."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from iac.lang.functions import FunctionContext
from tests.lang.test_fn_encoding_support import CaseLike, check_cases, s, sens
from tests.lang.test_fn_filesystem import make_tree

SETTINGS = settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck),
                    phases=(Phase.explicit, Phase.reuse, Phase.generate))
PATH_TEXT = st.text(st.sampled_from("ab/./..~ é\\"), max_size=14)
READERS = ["file", "filebase64", "filemd5", "filesha1", "filesha256", "filesha512", "filebase64sha256",
           "filebase64sha512", "fileexists"]


@st.composite
def path_call(draw: st.DrawFn) -> CaseLike:
    name = draw(st.sampled_from(["basename", "dirname", "pathexpand", "abspath"]))
    text = s(draw(PATH_TEXT))
    return (name, [sens(text) if draw(st.booleans()) else text])


@pytest.mark.oracle
@SETTINGS
@given(st.lists(path_call(), min_size=80, max_size=100))
def test_generated_path_calls_match_terraform(cases: list[CaseLike]) -> None:
    with tempfile.TemporaryDirectory(prefix="fnpaths") as name:
        root = Path(name)
        check_cases(cases, context=FunctionContext(base_dir=root), workdir=root)


CONTENT = st.one_of(st.binary(max_size=40), st.text(max_size=40).map(lambda t: t.encode()),
                    st.lists(st.sampled_from([b"abc", b"\n", b"\r\n", b"\xff", b"\xc3\xa9", b"e\xcc\x81"]),
                             max_size=20).map(b"".join))


@pytest.mark.oracle
@SETTINGS
@given(st.lists(CONTENT, min_size=8, max_size=12), st.lists(st.tuples(st.sampled_from(READERS), st.integers(0, 11),
                                                                        st.booleans()), min_size=60, max_size=80))
def test_generated_file_reads_match_terraform(contents: list[bytes], calls: list[tuple[str, int, bool]]) -> None:
    with tempfile.TemporaryDirectory(prefix="fnfiles") as name:
        root = Path(name)
        for index, data in enumerate(contents):
            (root / f"f{index}.bin").write_bytes(data)
        cases: list[CaseLike] = []
        for function, index, sensitive in calls:
            path = s(f"f{index}.bin")  # indexes past the files name missing ones
            cases.append((function, [sens(path) if sensitive else path]))
        check_cases(cases, context=FunctionContext(base_dir=root), workdir=root)


PATTERN = st.lists(st.one_of(st.sampled_from(["*", "**", "?", "[ab]", "[^a]", "[a-z]", "{a,b}", "{txt,md}", "sub",
                                              "deep", ".", "*.txt", "x y.txt", "[br]", "\\[", "{", "é"]),
                             st.text(st.sampled_from("abcdeistx.*?"), min_size=1, max_size=4)),
                   min_size=1, max_size=4).map("/".join)


@pytest.mark.oracle
@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["data", "data/sub", "./data/", "other", "missing"]), PATTERN),
                min_size=50, max_size=70))
def test_generated_fileset_calls_match_terraform(calls: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory(prefix="fnset") as name:
        root = Path(name)
        make_tree(root, broken_link=False)
        cases: list[CaseLike] = [("fileset", [s(base), s(pattern)]) for base, pattern in calls]
        check_cases(cases, context=FunctionContext(base_dir=root), workdir=root)
