"""Pure per-item work (parsing a file, cleaning an article) spread over worker processes, results in input order.

Starting workers costs a fork each and the pickling of every result, so small inputs are handled in
this process. Workers are forked where the platform can: they start with digest and everything the
parent loaded, such as the language model and the items themselves, already in memory (elsewhere the
items are pickled to them too).
"""

from __future__ import annotations

import gc
import itertools
import os
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 8


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after, as it was): for stages that build
    millions of small objects which live on, where each full collection walks every one of them again
    (0.9-1.0 s of CPU in the parent of a mix:10000 run, clean and story grouping, for nothing found).
    Garbage cycles made inside are collected once collection resumes; reference counting frees the rest."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def use_pool(items: int, min_items: int) -> bool:
    """Whether ``items`` pieces of work are worth worker processes (at least ``min_items``, and two cores)."""
    return items >= min_items and cpu_count() >= 2


# The work of each ordered_map in progress, by its number: forked workers find their items here, in the memory
# they share with this process, so only item numbers are sent to them, not the items (megabytes of text).
_SHARED: dict[int, tuple[Callable[..., object], Sequence[object], tuple[object, ...]]] = {}
_numbers = itertools.count()


def ordered_map(function: Callable[..., R], items: Sequence[T], *constant: object, chunk: int = 16) -> Iterator[R]:
    """``function(item, *constant)`` for each item, in worker processes, yielded in the order of ``items``.

    Call it when ``use_pool`` says so; an exception in a worker is raised here, at its item.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    forked = "fork" in methods
    context = multiprocessing.get_context("fork" if forked else None)
    if forked:
        number = next(_numbers)
        _SHARED[number] = (function, items, constant)
        call: Callable[..., R] = _shared_call  # type: ignore[assignment]
        arguments: list[Iterable[object]] = [itertools.repeat(number), range(len(items))]
    else:  # workers start afresh: items and constants are pickled to them
        call = function
        arguments = [items, *(itertools.repeat(value) for value in constant)]
    try:
        with ProcessPoolExecutor(max_workers=min(cpu_count(), MAX_WORKERS), mp_context=context) as pool:
            # map keeps the input order whatever order the workers finish in.
            yield from pool.map(call, *arguments, chunksize=chunk)
    finally:
        if forked:
            del _SHARED[number]


def _shared_call(number: int, index: int) -> object:
    """In a forked worker: the ``index``-th item of ordered_map ``number``, worked on."""
    function, items, constant = _SHARED[number]
    return function(items[index], *constant)


def shared_map(function: Callable[..., R], items: Sequence[T], *constant: object,
               before: Callable[[int], None] | None = None) -> Iterator[R]:
    """``function(item, *constant)`` for each item, yielded in the order of ``items``: this process works
    through them from the front while one forked worker takes them from the back, until the two meet.

    For a few large pieces of work of very different sizes (a run's stories: the first one may be most of
    the time): neither side waits for the other while work is left, and the front items are worked here,
    where the caller can watch them. The worker is given one item at a time (a queued item could no longer
    be taken back). ``before(index)`` is called as the caller's turn comes to each item (before it is
    worked on or waited for). Where workers cannot be forked, every item is worked here.
    Call it when ``use_pool`` says so; an exception is raised at its item.
    """
    import multiprocessing
    import threading
    from concurrent.futures import Future, ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods() or len(items) < 2:
        for index, item in enumerate(items):
            if before is not None:
                before(index)
            yield function(item, *constant)
        return
    number = next(_numbers)
    _SHARED[number] = (function, items, constant)
    lock = threading.Lock()
    futures: dict[int, Future] = {}
    claimed = {"front": 0, "back": len(items)}  # items below front are this process's, from back on the worker's
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:

            def give_worker_next(_done: object = None) -> None:
                with lock:
                    if claimed["back"] - 1 < claimed["front"]:
                        return
                    claimed["back"] -= 1
                    index = claimed["back"]
                    try:
                        future = futures[index] = pool.submit(_shared_call, number, index)
                    except RuntimeError:  # shutting down (an exception here): nothing more to give
                        claimed["back"] += 1
                        return
                future.add_done_callback(give_worker_next)

            give_worker_next()
            try:
                for index, item in enumerate(items):
                    if before is not None:
                        before(index)
                    with lock:
                        mine = index < claimed["back"]
                        if mine:
                            claimed["front"] = index + 1
                    yield function(item, *constant) if mine else futures[index].result()
            except BaseException:
                with lock:
                    claimed["front"] = len(items)  # the worker is given nothing more
                raise
    finally:
        del _SHARED[number]
