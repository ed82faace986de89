"""Time per pipeline stage: ``with stage("align"): ...``; ``compare --timings`` prints them.

Times add up per stage name within one process until ``reset()``; they are wall-clock
seconds (``time.perf_counter``). Extraction in worker processes is timed as a whole, by
the parent, so ``extract`` is the wall time the user waited for both drafts.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

STAGES = ("extract", "segment", "align", "diff", "detect", "render")

_times: dict[str, float] = {}


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        _times[name] = _times.get(name, 0.0) + time.perf_counter() - start


def timings() -> dict[str, float]:
    """Seconds per stage so far, in pipeline order (stages never entered are left out)."""
    known = {name: _times[name] for name in STAGES if name in _times}
    return known | {name: t for name, t in _times.items() if name not in known}


def reset() -> None:
    _times.clear()


def format_timings(times: dict[str, float]) -> str:
    total = sum(times.values())
    parts = [f"{name} {seconds:.2f}s" for name, seconds in times.items()]
    return "timings: " + ", ".join(parts) + f"; total {total:.2f}s"
