"""Starting vl-convert's renderer early, on a thread, so that its start overlaps reading the database.

Its first drawing in a process starts a JavaScript engine (about 0.9 s on a 2-core machine);
started while the report's libraries load and the database is read, the first picture does not
wait for it. Only vl-convert is imported here: Altair and pandas load on the main thread meanwhile.
"""

from __future__ import annotations

import threading

_SMALLEST = {"mark": "point", "data": {"values": [{"x": 0}]}, "encoding": {"x": {"field": "x", "type": "nominal"}}}


def start_renderer() -> None:
    """Start vl-convert's renderer on a daemon thread (a no-op once it runs); drawing does not wait for it."""

    def warm() -> None:
        import vl_convert

        vl_convert.vegalite_to_svg(_SMALLEST)

    threading.Thread(target=warm, name="start-renderer", daemon=True).start()
