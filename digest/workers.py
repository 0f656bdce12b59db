"""Pure per-item work (parsing a file, cleaning an article) spread over worker processes, results in input order.

Starting workers costs a fork each and the pickling of every result, so small inputs are handled in
this process. Workers are forked where the platform can: they start with digest and everything the
parent loaded, such as the language model and the items themselves, already in memory (elsewhere the
items are pickled to them too).
"""

from __future__ import annotations

import itertools
import os
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
