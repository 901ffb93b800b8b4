"""A forked process pool that is always joined, for ``check --jobs`` and ``recheck
--jobs``: closed after a clean run, terminated when the run fails or is interrupted
(``KeyboardInterrupt``, a generator closed early), so no worker outlives its command.
Workers ignore SIGINT: the parent alone sees Ctrl-C and stops the pool."""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.pool import Pool


@contextmanager
def fork_pool(workers: int) -> Iterator[Pool]:
    """A ``fork``-context pool of ``workers`` processes, joined on the way out."""
    pool = mp.get_context("fork").Pool(workers, initializer=_ignore_sigint)
    try:
        yield pool
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
