"""Ctrl-C at a chosen moment: a KeyboardInterrupt raised in the main thread after a delay."""

import contextlib
import signal


@contextlib.contextmanager
def interrupt_after(seconds: float):
    """Within the block, KeyboardInterrupt is raised once `seconds` have passed (SIGALRM, as the
    terminal's SIGINT would); the timer and the previous handler are restored on leaving it."""

    def raise_interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, raise_interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
