"""Pure per-item work (parsing a file, cleaning an article) spread over worker processes, results in input order.

Starting workers costs a fork each and the pickling of every item and result, so small inputs are
handled in this process. Workers are forked where the platform can (they start with digest and
everything the parent loaded, such as the language model, already in memory).
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


def ordered_map(function: Callable[..., R], items: Sequence[T], *constant: object, chunk: int = 16) -> Iterator[R]:
    """``function(item, *constant)`` for each item, in worker processes, yielded in the order of ``items``.

    Call it when ``use_pool`` says so; an exception in a worker is raised here, at its item.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    arguments: list[Iterable[object]] = [items, *(itertools.repeat(value) for value in constant)]
    with ProcessPoolExecutor(max_workers=min(cpu_count(), MAX_WORKERS), mp_context=context) as pool:
        # map keeps the input order whatever order the workers finish in.
        yield from pool.map(function, *arguments, chunksize=chunk)
