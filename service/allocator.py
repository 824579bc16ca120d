"""glibc's allocator, set for a long-running threaded server; nothing happens elsewhere.

Two habits of glibc's malloc let a gthread worker's resident memory creep up under varied
traffic although what it holds stays bounded:

- each thread that allocates gets an arena of its own (up to eight per core), and each
  arena keeps its own high-water mark of free pages;
- a freed block that was mapped on its own raises the size from which blocks are mapped
  (up to 32 MiB), so later large blocks, such as a response body of a few hundred kB,
  come from the heap and are not returned when freed.

``settle_for_threads`` caps the arenas and fixes the mapping threshold; ``release_free_memory``
hands back the free pages at the top of the heap (after a load, which frees a lot at once).
"""

from __future__ import annotations

import ctypes
import functools

M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8

ARENAS = 2
MMAP_FROM = 256 << 10  # bytes: a block this large is mapped on its own, and unmapped when freed


@functools.cache
def _libc():
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def settle_for_threads(arenas: int = ARENAS, mmap_from: int = MMAP_FROM) -> bool:
    """Cap malloc's arenas and fix its mapping threshold; False if this is not glibc."""
    mallopt = getattr(_libc(), "mallopt", None)
    if mallopt is None:
        return False
    return bool(mallopt(M_ARENA_MAX, arenas)) and bool(mallopt(M_MMAP_THRESHOLD, mmap_from))


def release_free_memory() -> None:
    """Return the heap's free pages to the system (glibc's malloc_trim; else nothing)."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)
