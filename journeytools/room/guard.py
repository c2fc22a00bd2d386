"""What a participant's page may see of errors in the room's kernel: a short apology, never a
traceback (tracebacks name files and folders on the facilitator's laptop). The full traceback
goes to the kernel's stderr, which Voilà writes to the facilitator's terminal."""

from __future__ import annotations

import sys
import traceback
from typing import Any

APOLOGY = "Sorry, that did not work. Please try again, or tell the facilitator."


def quiet_tracebacks(shell: Any = None) -> bool:
    """Replace the kernel's traceback display with :data:`APOLOGY`; False outside IPython."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:  # pragma: no cover - IPython always comes with ipykernel
            return False
        shell = get_ipython()
    if shell is None:
        return False

    def show(*args: Any, **kwargs: Any) -> None:
        etype, value, tb = sys.exc_info()
        log = sys.__stderr__
        if etype is not None and log is not None:
            log.write("journeytools room: error in a participant's page\n"
                                 + "".join(traceback.format_exception(etype, value, tb)))
            log.flush()
        print(APOLOGY, file=sys.stderr)

    shell.showtraceback = show
    shell.showsyntaxerror = show
    return True
