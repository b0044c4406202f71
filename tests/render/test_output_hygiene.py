"""Output hygiene: terminal controls never reach a terminal, mentions and bidirectional text never reach a pull
request, error lines stay one readable line, and output files that cannot be written are one line."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from iac.diagnostics import MAX_LINE, Diagnostic, printable
from tests.conftest import Run

ROOT = Path(__file__).resolve().parents[2]
OSC52 = "\x1b]52;c;aGVsbG8=\x07"
HOSTILE = f"{OSC52} back\rspace \u202egnp.exe @octocat @acme/admins ```\n## heading <b>x</b> \x00\x9b"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def _files(tmp_path: Path) -> tuple[Path, Path]:
    """A Databricks cluster whose tags, name and keys are hostile, and a state whose resource names are."""
    config = {"resource": {"databricks_cluster": {"c": {
        "cluster_name": HOSTILE, "spark_version": "15.4.x-scala2.12", "node_type_id": "i3.xlarge", "num_workers": 1,
        "custom_tags": {"team": HOSTILE, f"k{OSC52}": "v", "multi": f"one\ntwo{OSC52}\nthree"}}}}}
    provider = 'provider["terraform.io/builtin/terraform"]'
    state = {"version": 4, "serial": 1, "lineage": "l", "resources": [
        {"mode": "managed", "type": "terraform_data", "name": f"gone\n{OSC52}\u202e", "provider": provider,
         "instances": [{"schema_version": 0, "sensitive_attributes": [], "attributes": {
             "id": "1", "input": {"value": HOSTILE, "type": "string"}, "output": None, "triggers_replace": None}}]}]}
    (tmp_path / "main.tf.json").write_text(json.dumps(config))
    (tmp_path / "terraform.tfstate").write_text(json.dumps(state))
    return tmp_path / "main.tf.json", tmp_path / "terraform.tfstate"


def test_text_output_escapes_every_terminal_control(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    config, state = _files(tmp_path)
    result = run_iac("plan", "--config", str(config), "--state", str(state))
    assert result.code == 0, result.stderr
    assert "gnp.exe" in result.stdout and "gone" in result.stdout  # everything is shown...
    assert _CONTROL.findall(result.stdout + result.stderr) == []  # ...but nothing a terminal would act on
    assert "\\x1b]52;c;aGVsbG8=" in result.stdout and "\\u202e" in result.stdout


def test_markdown_neutralises_mentions_and_bidirectional_text(tmp_path: Path, run_iac: Callable[..., Run]) -> None:
    config, state = _files(tmp_path)
    result = run_iac("plan", "--config", str(config), "--state", str(state), "--format", "markdown")
    assert result.code == 0, result.stderr
    markdown = result.stdout
    assert _CONTROL.findall(markdown) == []
    outside_code = _without_code(markdown)
    assert re.findall(r"(?<![\w`])@[A-Za-z0-9]", outside_code) == []
    assert "<b>" not in outside_code


def _without_code(markdown: str) -> str:
    """The Markdown with fenced blocks and code spans removed: what GitHub turns into mentions and HTML."""
    text = re.sub(r"(?ms)^(`{3,}|~{3,}).*?^\1\s*$", "", markdown)
    return re.sub(r"(`+).*?\1", "", text)


def test_a_mention_in_a_finding_becomes_code() -> None:
    from iac.render._markdown_text import text

    assert text("owned by @octocat and @acme/admins, mail a@b.example") == (
        "owned by `@octocat` and `@acme/admins`, mail a@b.example")
    assert text("x\u202ey\x1bz") == "x\\\\u202ey\\\\x1bz"


def test_printable_escapes_exactly_the_control_format_and_separator_characters() -> None:
    """Generated over every code point: what Go's strconv.Quote escapes besides quotes (Cc, Cf, Zl, Zp); the
    regular expression knows Unicode 15's format characters too (Python 3.11's table is Unicode 14)."""
    newer = set(range(0x13439, 0x13440))
    for code in range(0x110000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        escaped = printable(char) != char
        assert escaped == (unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") or code in newer), hex(code)


def test_an_error_echoing_a_huge_value_is_cut_to_one_readable_line(tmp_path: Path,
                                                                   run_iac: Callable[..., Run]) -> None:
    (tmp_path / "main.tf.json").write_text(json.dumps({"x" * 500_000 + "\nsecond line": {}}))
    result = run_iac("plan", "--config", str(tmp_path / "main.tf.json"))
    assert result.code == 1
    (line,) = result.stderr.splitlines()
    assert len(line) < MAX_LINE + 100 and line.endswith(" more characters)")


def test_diagnostic_lines_are_one_line_whatever_they_hold() -> None:
    line = Diagnostic("bad value\nsecond", address="a\rb", attribute="c\u202ed").format()
    assert line == "a\\rb.c\\u202ed: bad value\\nsecond"


@pytest.mark.parametrize("option", ["--out", "--sarif", "--junit"])
@pytest.mark.parametrize(("target", "expected"), [
    pytest.param("DIR", "is a directory; give a file name", id="a directory"),
    pytest.param("FILE/x.json", "is not a directory", id="under a file"),
    pytest.param("/proc/iac/x.json", "cannot be written", id="unwritable"),
])
def test_output_files_that_cannot_be_written_are_one_line(tmp_path: Path, run_iac: Callable[..., Run], option: str,
                                                          target: str, expected: str) -> None:
    (tmp_path / "DIR").mkdir()
    (tmp_path / "FILE").write_text("")
    (tmp_path / "main.tf.json").write_text(json.dumps({"resource": {"terraform_data": {"a": {"input": 1}}}}))
    path = target if target.startswith("/") else str(tmp_path / target)
    result = run_iac("plan", "--config", str(tmp_path / "main.tf.json"), option, path)
    assert result.code == 1
    assert result.stderr.splitlines() == [f"Error: {option} {path}: " + result.stderr.split(": ", 2)[2].strip()]
    assert expected in result.stderr
    if "DIR" in target or "FILE" in target:
        assert result.stdout == ""  # known before planning


@pytest.mark.parametrize("command", [("synth", "dev"), ("fleet", "synth", "prod")], ids=["synth", "fleet synth"])
@pytest.mark.parametrize(("target", "expected"), [
    pytest.param("FILE", "is a file; give a directory", id="a file"),
    pytest.param("FILE/x", "is not a directory", id="under a file"),
    pytest.param("/proc/self/iac", "is not writable", id="unwritable"),
])
def test_output_directories_that_cannot_be_written_are_one_line(tmp_path: Path, run_iac: Callable[..., Run],
                                                                command: tuple[str, ...], target: str,
                                                                expected: str) -> None:
    (tmp_path / "FILE").write_text("")
    path = target if target.startswith("/") else str(tmp_path / target)
    result = run_iac(*command, "--out", path, "--project", str(ROOT))
    assert result.code == 1
    assert result.stdout == ""  # known before building the environment
    assert result.stderr.splitlines() == [f"Error: --out {path}: {result.stderr.split(': ', 2)[2].strip()}"]
    assert expected in result.stderr


def test_a_symlinked_audit_log_is_refused(tmp_path: Path) -> None:
    from iac.diagnostics import ApplyRefused
    from iac.terraform.audit import AuditRecord, append_record

    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n")
    log = tmp_path / "audit.jsonl"
    log.symlink_to(target)
    with pytest.raises(ApplyRefused, match="is a symbolic link; the audit log must be a plain file"):
        append_record(log, AuditRecord(environment="dev", command="apply"))
    assert target.read_text() == "precious\n"


@pytest.mark.parametrize("workdir", ["../../x", "/tmp/iac-outside", "a/../../b"])
def test_a_workdir_outside_the_project_is_refused(tmp_path: Path, workdir: str) -> None:
    from iac.diagnostics import ConfigError
    from iac.environment import Environment, Mode

    environment = Environment(name="dev", mode=Mode.development, cloud="aws", region="r", account_id="a",
                              build=lambda stack: None, workdir=workdir)
    with pytest.raises(ConfigError, match="is outside the project"):
        environment.working_directory(tmp_path)
    inside: Any = Environment(name="dev", mode=Mode.development, cloud="aws", region="r", account_id="a",
                              build=lambda stack: None, workdir="build/dev")
    assert inside.working_directory(tmp_path) == tmp_path / "build/dev"
