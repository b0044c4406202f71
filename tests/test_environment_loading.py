"""An environment file or its build() that exits, raises, fails to import, does not parse or loops: one line
naming the user's file and line, exit 1 — through the real `iac plan --detailed-exitcode` (where an exit 0
would read as "no changes" to a pipeline) and `iac apply`."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from iac._usercode import TIMEOUT_VARIABLE, WATCHDOG_GRACE

_ENVIRONMENT = """\
from iac import Environment, Mode
{prelude}

def build(stack):
    {build}

environment = Environment(name="dev", mode=Mode.development, cloud="aws", region="us-east-1",
                          account_id="0d5f7a52-1111-4c3b-9e4d-2a9a1e0d0001", build=build)
"""


def _project(tmp_path: Path, *, prelude: str = "", build: str = "pass", helper: str | None = None) -> Path:
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "dev.py").write_text(_ENVIRONMENT.format(prelude=prelude, build=build))
    if helper is not None:
        (tmp_path / "helper.py").write_text(textwrap.dedent(helper))
    return tmp_path


def _iac(project: Path, *args: str, timeout: str = "") -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "IAC_USER": "alice", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    if timeout:
        env[TIMEOUT_VARIABLE] = timeout
    return subprocess.run([sys.executable, "-m", "iac", *args], cwd=project, capture_output=True, text=True, env=env,
                          timeout=120)


CASES = {
    "sys.exit(0) at import": (dict(prelude="import sys\nsys.exit(0)"), "environments/dev.py:3: [dev] environments/dev.py "
                              "called sys.exit(0): an environment file must define an environment, not end the run"),
    "sys.exit('bye') in build": (dict(prelude="import sys", build="sys.exit('bye')"),
                                 "environments/dev.py:5: [dev] build() called sys.exit('bye'): an environment file "
                                 "must define an environment, not end the run"),
    "raise in build": (dict(build="1 / 0"), "environments/dev.py:5: [dev] ZeroDivisionError: division by zero"),
    "a BaseException in build": (dict(prelude="class Stop(BaseException):\n    pass", build="raise Stop('now')"),
                                 "environments/dev.py:6: [dev] build() raised Stop: now"),
    "raise in a helper the build calls": (dict(prelude="import helper", build="helper.boom()",
                                               helper="def boom():\n    raise KeyError('team')\n"),
                                          "helper.py:2: [dev] KeyError: 'team'"),
    "missing import": (dict(prelude="import no_such_module_iac"),
                       "environments/dev.py:2: [dev] ModuleNotFoundError: No module named 'no_such_module_iac'"),
    "syntax error": (dict(prelude="x = (1,"), "environments/dev.py:2: [dev] syntax error: '(' was never closed"),
    "syntax error in an imported helper": (dict(prelude="import helper", helper="def f(:\n    pass\n"),
                                           "helper.py:1: [dev] syntax error: invalid syntax"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_user_code_failures_are_one_line_and_exit_1(tmp_path: Path, case: str) -> None:
    parts, expected = CASES[case]
    project = _project(tmp_path, **parts)
    result = _iac(project, "plan", "dev", "--detailed-exitcode")
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.strip() == f"Error: {expected}"


def test_apply_does_not_exit_0_when_build_exits(tmp_path: Path) -> None:
    project = _project(tmp_path, prelude="import sys", build="sys.exit(0)")
    result = _iac(project, "apply", "dev", "--auto-approve")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: environments/dev.py:5: [dev] build() called sys.exit(0)")


def test_an_endless_build_is_stopped_where_it_loops(tmp_path: Path) -> None:
    project = _project(tmp_path, build="while True:\n        try:\n            pass\n        except BaseException:\n"
                                       "            pass")
    result = _iac(project, "plan", "dev", timeout="1")
    assert result.returncode == 1
    line = result.stderr.strip()
    assert line.startswith("Error: environments/dev.py:")
    assert line.endswith("[dev] build() did not finish within 1 s (an endless loop?); set IAC_BUILD_TIMEOUT=SECONDS "
                         "to allow longer")
    assert int(line.split(":")[2]) in range(5, 10)


def test_an_endless_loop_at_import_is_stopped_too(tmp_path: Path) -> None:
    project = _project(tmp_path, prelude="import time\nwhile True:\n    time.sleep(10)")
    result = _iac(project, "plan", "dev", timeout="0.5")
    assert result.returncode == 1
    assert result.stderr.strip() == ("Error: environments/dev.py:4: [dev] environments/dev.py did not finish within "
                                     "0.5 s (an endless loop?); set IAC_BUILD_TIMEOUT=SECONDS to allow longer")


def test_a_timeout_that_is_not_a_number_is_one_line(tmp_path: Path) -> None:
    result = _iac(_project(tmp_path), "plan", "dev", timeout="soon")
    assert result.returncode == 1
    assert result.stderr.strip() == "Error: IAC_BUILD_TIMEOUT='soon' is not a number of seconds"


def test_the_timer_is_gone_after_a_build(tmp_path: Path) -> None:
    """The alarm is cancelled and the previous SIGALRM handler restored: nothing fires later in the run."""
    import signal

    from iac.project import build_stack, load_environment

    project = _project(tmp_path, build="stack.environment")
    sys.path.insert(0, str(project))
    try:
        previous = signal.getsignal(signal.SIGALRM)
        build_stack(load_environment(project, "dev"))
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is previous
    finally:
        sys.path.remove(str(project))


def test_a_loop_inside_one_c_call_is_stopped_by_the_watchdog(tmp_path: Path) -> None:
    """No Python handler runs while `sum(range(10**15))` holds the interpreter; faulthandler's thread does,
    WATCHDOG_GRACE seconds after the limit: the same one line at the user's line, exit 1."""
    project = _project(tmp_path, build="sum(range(10**15))")
    started = time.monotonic()
    result = _iac(project, "plan", "dev", "--detailed-exitcode", timeout="0.5")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == ("Error: environments/dev.py:5: [dev] build() did not finish within 0.5 s (an "
                                     "endless loop?); set IAC_BUILD_TIMEOUT=SECONDS to allow longer")
    assert time.monotonic() - started < 0.5 + WATCHDOG_GRACE + 30  # not the hours the sum would take


def test_builds_that_end_in_time_leave_nothing_armed_and_share_one_reader(tmp_path: Path) -> None:
    """Three builds in one process, each within a 0.3 s limit and no grace: if a dump stayed armed, the
    process would be ended a moment later; it is not, and one reader process served all three."""
    project = _project(tmp_path, build="stack.environment")
    script = textwrap.dedent("""
        import time
        from pathlib import Path
        from iac import _usercode
        from iac.project import build_stack, load_environment
        _usercode.WATCHDOG_GRACE = 0.0
        for _ in range(3):
            build_stack(load_environment(Path("."), "dev"))
        time.sleep(1.0)
        print(len(_usercode._READER), _usercode._READER[0][0].poll())
    """)
    env = {"PATH": "/usr/bin:/bin", "IAC_USER": "alice", TIMEOUT_VARIABLE: "0.3",
           "PYTHONPATH": f"{Path(__file__).resolve().parent.parent}:{project}"}
    result = subprocess.run([sys.executable, "-c", script], cwd=project, capture_output=True, text=True, env=env,
                            timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "1 None\n", "")


def test_ctrl_c_during_a_build_ends_the_run_quietly(tmp_path: Path) -> None:
    """A terminal's Ctrl-C reaches iac's whole process group, the watchdog's reader too: it printed a Python
    traceback of its own (`KeyboardInterrupt` at its `for line in sys.stdin`). iac ends with 130, and nothing
    is printed but what iac says."""
    import os
    import signal

    project = _project(tmp_path, prelude="import time", build="time.sleep(60)")
    env = {"PATH": "/usr/bin:/bin", "IAC_USER": "alice", "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    run = subprocess.Popen([sys.executable, "-m", "iac", "plan", "dev"], cwd=project, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    children = Path(f"/proc/{run.pid}/task/{run.pid}/children")
    deadline = time.monotonic() + 60
    while not children.read_text().split() and time.monotonic() < deadline:  # the reader: the build is running
        time.sleep(0.05)
    assert children.read_text().split(), "the build never started"
    time.sleep(0.3)  # the reader is at its `for line in sys.stdin`
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 130
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
