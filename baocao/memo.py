"""Caches kept in memory, every one bounded by entries and by bytes.

A process that renders thousands of reports (the service, a batch, a
script over a ministry's quarter) must not grow with what it has seen:
each unique report used to leave its parts behind in caches (5.6 MiB for
a 100× report). Every cache in baocao is made here, by one of two
decorators, and states both bounds:

- ``bounded(entries, size, weigh)``: a least-recently-used cache that
  weighs each entry (``weigh(args, value)``, in bytes) and drops the
  oldest until both bounds hold; an entry heavier than ``size`` is not
  kept at all. For caches hit a few times per report (template parts,
  prepared templates), where the weight of a value varies by megabytes.
- ``small(entries, longest, size)``: ``functools.lru_cache`` (in C: a hit
  costs a dict lookup) for the hot caches hit thousands of times per
  report, whose first argument is a text. A text longer than ``longest``
  is not cached (computed each time), so an entry has a worst-case weight
  and ``size`` states what ``entries`` of them weigh at most;
  tests/test_memory_bounds.py fills each with worst cases and measures it.

Both expose ``cache_info()``, ``cache_clear()`` and their bounds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache, update_wrapper
from typing import Any, Generic, NamedTuple, ParamSpec, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")


class Info(NamedTuple):
    """What a cache holds: ``functools``' counts, and the bytes it weighs (``bounded`` only)."""

    hits: int
    misses: int
    maxsize: int
    currsize: int
    weight: int = 0
    size: int = 0


class Bounded(Generic[P, R]):
    """``function`` behind an LRU of at most ``entries`` entries and ``size`` bytes.

    Thread-safe: the service renders in threads. The value is computed
    outside the lock (two threads may compute the same one; the first kept
    wins), the bookkeeping inside it.
    """

    def __init__(
        self,
        function: Callable[P, R],
        entries: int,
        size: int,
        weigh: Callable[[tuple[Any, ...], Any], int],
    ) -> None:
        self.function = function
        self.entries = entries
        self.size = size
        self.weigh = weigh
        self._data: OrderedDict[Hashable, tuple[R, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.weight = 0
        self.hits = self.misses = 0
        update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        key: Hashable = (args, tuple(sorted(kwargs.items()))) if kwargs else args
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                self.hits += 1
                return found[0]
            self.misses += 1
        value = self.function(*args, **kwargs)
        weight = self.weigh(args, value)
        if weight > self.size:
            return value  # kept by no one: it would push out everything else
        with self._lock:
            if key not in self._data:
                self._data[key] = (value, weight)
                self.weight += weight
                while len(self._data) > self.entries or self.weight > self.size:
                    _, (_, dropped) = self._data.popitem(last=False)
                    self.weight -= dropped
        return value

    def cache_info(self) -> Info:
        with self._lock:
            return Info(
                self.hits, self.misses, self.entries, len(self._data), self.weight, self.size
            )

    def cache_clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.weight = self.hits = self.misses = 0


def bounded(
    entries: int, size: int, weigh: Callable[[tuple[Any, ...], Any], int]
) -> Callable[[Callable[P, R]], Bounded[P, R]]:
    """Cache a function in at most ``entries`` entries weighing ``size`` bytes in all."""

    def decorate(function: Callable[P, R]) -> Bounded[P, R]:
        return Bounded(function, entries, size, weigh)

    return decorate


class Small(Generic[P, R]):
    """``function`` cached by ``functools.lru_cache`` when its first argument is short."""

    def __init__(self, function: Callable[P, R], entries: int, longest: int, size: int) -> None:
        self.function = function
        self.entries = entries
        self.longest = longest
        self.size = size
        self.cached = cast(Callable[P, R], lru_cache(maxsize=entries)(function))
        update_wrapper(self, function)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if len(args[0]) > self.longest:  # type: ignore[arg-type]
            return self.function(*args, **kwargs)
        return self.cached(*args, **kwargs)

    def cache_info(self) -> Info:
        hits, misses, maxsize, currsize = self.cached.cache_info()  # type: ignore[attr-defined]
        return Info(hits, misses, maxsize or 0, currsize, 0, self.size)

    def cache_clear(self) -> None:
        self.cached.cache_clear()  # type: ignore[attr-defined]


def small(entries: int, longest: int, size: int) -> Callable[[Callable[P, R]], Small[P, R]]:
    """Cache a function of a short text: ``entries`` texts of ≤ ``longest`` characters, ≤ ``size`` bytes."""

    def decorate(function: Callable[P, R]) -> Small[P, R]:
        return Small(function, entries, longest, size)

    return decorate
