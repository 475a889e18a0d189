"""The counts the hostile and fault suites print at the end of a run (issue 10: "with counts printed").

A test adds to a count only after its assertions passed, so "refused cleanly" and "survived" are what
was checked, not what was attempted. `tests/conftest.py` prints the counts in pytest's summary.
"""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()


def inputs(tried: int, refused: int | None = None) -> None:
    """`tried` hostile inputs sent, of which `refused` (all, by default) were refused or shown cleanly."""
    COUNTS["inputs tried"] += tried
    COUNTS["inputs refused cleanly"] += tried if refused is None else refused


def faults(injected: int, survived: int | None = None) -> None:
    """`injected` faults, of which `survived` (all, by default) ended with nothing lost or half-written."""
    COUNTS["faults injected"] += injected
    COUNTS["faults survived with nothing lost"] += injected if survived is None else survived


def summary() -> list[str]:
    lines = []
    if COUNTS["inputs tried"]:
        lines.append(
            f"hostile inputs: {COUNTS['inputs tried']:,} tried, {COUNTS['inputs refused cleanly']:,} refused cleanly"
        )
    if COUNTS["faults injected"]:
        lines.append(
            f"faults: {COUNTS['faults injected']:,} injected, "
            f"{COUNTS['faults survived with nothing lost']:,} survived with nothing lost"
        )
    return lines
