"""A process-wide store of finished results (reads, chart specs, decks), handed out as private copies.

Why not `st.cache_data`: a hit there hashes every argument with Streamlit's hasher (a DataFrame by
all its values) and unpickles the stored result. For a room of viewers rerunning the same view,
that was a fifth of the server's time per run (py-spy, 30 sessions on the Overview). Here a key is
a plain tuple hashed by Python, and a hit is a dictionary lookup plus a copy that costs next to
nothing:

- a pandas DataFrame or Series comes back as a shallow copy. pandas 3 copies on write, so whatever
  the page does to its copy (a new column, a changed cell) never reaches the stored one or another
  session's;
- dicts, lists, tuples and sets are rebuilt around private copies of their items; numbers, text,
  dates and frozen values are shared as they are; anything else is deep-copied.

Bounded twice: by entries and by an estimate of the bytes held (a DataFrame's own `memory_usage`),
the least recently used going first. Two sessions missing the same key at once compute it once:
the second waits for the first (a room opening the link together costs one query, not thirty).
Nothing a browser sends can clear it (Streamlit's `clear_cache` message empties only Streamlit's
caches); the app clears it after its own writes, and every key of a read holds the data revision.
"""

from __future__ import annotations

import copy
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

import pandas as pd

T = TypeVar("T")

_SHARED = (str, bytes, int, float, bool, type(None), date, datetime, time, timedelta, Decimal, frozenset)


def private_copy(value: T) -> T:
    """A copy of `value` that its receiver may change without changing the stored one.

    What cannot change is shared rather than copied: a tuple or a frozen dataclass comes back as
    the same object when everything in it can be shared, so a large deck costs a walk, not a copy.
    """
    if isinstance(value, _SHARED):
        return value
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy(deep=False)  # type: ignore[return-value]
    if isinstance(value, dict):
        return type(value)((key, private_copy(item)) for key, item in value.items())  # type: ignore[call-arg]
    if isinstance(value, tuple):
        items = [private_copy(item) for item in value]
        if all(new is old for new, old in zip(items, value, strict=True)):
            return value
        return type(value)._make(items) if hasattr(value, "_make") else tuple(items)  # type: ignore[attr-defined,return-value]
    if isinstance(value, list):
        return [private_copy(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, set):
        return set(value)  # type: ignore[return-value]
    if is_dataclass(value) and not isinstance(value, type) and type(value).__dataclass_params__.frozen:  # type: ignore[attr-defined]
        changed = {}
        for name in _field_names(type(value)):
            item = getattr(value, name)
            copied = private_copy(item)
            if copied is not item:
                changed[name] = copied
        return replace(value, **changed) if changed else value  # type: ignore[return-value]
    return copy.deepcopy(value)


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.init)


def size_of(value: Any) -> int:
    """Roughly the bytes `value` holds: exact enough to bound a cache of query results."""
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(index=True, deep=True))
    if isinstance(value, (bytes, str)):
        return sys.getsizeof(value)
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(size_of(k) + size_of(v) for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return sys.getsizeof(value) + sum(size_of(item) for item in value)
    return sys.getsizeof(value)


class Memo:
    """Results by key, at most `max_entries` of them and about `max_bytes`, least recently used out first."""

    def __init__(self, *, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._generation = 0  # bumped by clear(): a result computed before it is not stored after it

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The stored result for `key` (a private copy), computing and storing it first if there is none."""
        found, value = self._lookup(key)
        if found:
            return private_copy(value)  # type: ignore[no-any-return]
        with self._lock:
            turn = self._computing.setdefault(key, threading.Lock())
        with turn:  # one computation per key at a time; the others wait for it and then find it
            try:
                found, value = self._lookup(key)
                if not found:
                    generation = self._generation
                    value = compute()
                    self._store(key, value, generation)
            finally:
                with self._lock:
                    if self._computing.get(key) is turn:
                        del self._computing[key]
        return private_copy(value)  # type: ignore[no-any-return]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._generation += 1

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes_held(self) -> int:
        return self._bytes

    def _lookup(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False, None
            self._entries.move_to_end(key)
            return True, entry[0]

    def _store(self, key: Hashable, value: Any, generation: int) -> None:
        size = size_of(value)
        with self._lock:
            if generation != self._generation or size > self.max_bytes:
                return  # cleared meanwhile (a write): the result may be older than the data
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._entries[key] = (value, size)
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped
