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
  ``longest=0``: the arguments are the code's own (style names, tags), short
  by construction, and the bare ``lru_cache`` is used.

Both expose ``cache_info()``, ``cache_clear()`` and their bounds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache, update_wrapper
from typing import Any, Generic, NamedTuple, ParamSpec, Protocol, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)


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


class Small(Protocol[P, R_co]):
    """What ``small`` makes: the function, cached, with its bounds."""

    entries: int
    longest: int
    size: int
    cached: Callable[..., Any]
    """The ``lru_cache`` itself, for a hot caller that keeps to ``longest`` on its own (a call
    through the length check costs a Python frame more: 50,000 of them in a 100× report)."""

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R_co: ...

    def cache_info(self) -> Info: ...

    def cache_clear(self) -> None: ...


def small(entries: int, longest: int, size: int) -> Callable[[Callable[P, R]], Small[P, R]]:
    """Cache a function of a short text: ``entries`` texts of ≤ ``longest`` characters, ≤ ``size`` bytes.

    A closure rather than an object with ``__call__``: a hit costs half as
    much, which a 100× report's 50,000 calls notice. ``longest=0`` says every
    argument is short by construction (the code's own style names and
    numbers): the bare ``lru_cache`` then, with no check at all.
    """

    def decorate(function: Callable[P, R]) -> Small[P, R]:
        cached: Any = lru_cache(maxsize=entries)(function)
        if longest:

            def call(*args: Any, **kwargs: Any) -> Any:
                if len(args[0]) > longest:
                    return function(*args, **kwargs)
                return cached(*args, **kwargs)

            found: Any = update_wrapper(call, function)
        else:
            found = cached

        def info() -> Info:
            hits, misses, maxsize, currsize = cached.cache_info()
            return Info(hits, misses, maxsize or 0, currsize, 0, size)

        if longest:
            found.cache_info = info
            found.cache_clear = cached.cache_clear
        found.entries, found.longest, found.size = entries, longest, size
        found.cached = cached
        return cast(Small[P, R], found)

    return decorate
