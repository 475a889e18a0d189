"""vl-convert in a process of its own, started early and kept: every PNG and SVG of a chart is drawn there.

Why a process and not a thread: vl-convert keeps Python's lock while its JavaScript engine
starts (about 0.4 s) and while it draws (0.1–0.35 s a chart at scale 2), so on a thread it stops
the rest of the process — the report's text in the command line, every other session's page in
the app. Measured on this 2-core machine: a busy main thread did a third less while a thread
started vl-convert, and less than half while one drew. In a child process it draws on the other
core, and the command line and the server never load the engine (nor its memory) themselves.

`start_renderer` starts the process without waiting for it (the command line when a report is
asked for, the app at its start); `draw` sends it a spec and waits for the picture. One drawing
at a time: requests from several threads take turns. A process that has ended (killed, or
stopped by a spec) is replaced at the next drawing. Where no process can be started, vl-convert
draws in this process, as before.
"""

from __future__ import annotations

import atexit
import json
import struct
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Literal

_PROCESS_FILE = Path(__file__).with_name("drawing_process.py")
_LOCK = threading.Lock()
_process: subprocess.Popen[bytes] | None = None


class DrawingRefused(ValueError):
    """vl-convert could not draw the spec (its message says why)."""


def start_renderer() -> None:
    """Start the drawing process if it is not running; returns at once (the process starts its engine itself)."""
    with _LOCK:
        _running()


def draw(spec: str, fmt: Literal["png", "svg"], scale: float = 1) -> bytes:
    """`spec` (Vega-Lite JSON text) drawn as PNG (`scale` times its pixel size) or SVG (UTF-8), in the process.

    Raises DrawingRefused when vl-convert refuses the spec, RuntimeError when the process ends while drawing.
    """
    request = json.dumps({"format": fmt, "scale": scale, "spec": spec}).encode("utf-8")
    with _LOCK:
        process = _running()
        if process is None:
            return _draw_here(spec, fmt, scale)
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(struct.pack(">I", len(request)) + request)
            process.stdin.flush()
            status = _exactly(process.stdout, 1)
            drawn = _exactly(process.stdout, struct.unpack(">I", _exactly(process.stdout, 4))[0])
        except (OSError, EOFError):
            _stop(process)  # the next drawing starts a new one
            raise RuntimeError("the chart drawing process ended while drawing") from None
    if status != b"0":
        raise DrawingRefused(drawn.decode("utf-8", "replace"))
    return drawn


def _running() -> subprocess.Popen[bytes] | None:
    """The drawing process, started if there is none or it has ended; None if it cannot be started. Under _LOCK."""
    global _process
    if _process is not None and _process.poll() is None:
        return _process
    try:
        # -P: the charts/ folder stays off the child's import path (its files must not shadow any module).
        _process = subprocess.Popen(
            [sys.executable, "-P", str(_PROCESS_FILE)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
    except OSError:
        _process = None
    return _process


def _stop(process: subprocess.Popen[bytes]) -> None:
    global _process
    process.kill()
    process.wait()
    if _process is process:
        _process = None


def _exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


def _draw_here(spec: str, fmt: Literal["png", "svg"], scale: float) -> bytes:
    import vl_convert

    try:
        if fmt == "png":
            return bytes(vl_convert.vegalite_to_png(json.loads(spec), scale=scale))
        return str(vl_convert.vegalite_to_svg(json.loads(spec))).encode("utf-8")
    except ValueError as error:
        raise DrawingRefused(str(error)) from error


@atexit.register
def _let_go() -> None:
    """The process ends when its input closes; wait a moment for it so that it never outlives its parent long."""
    process = _process
    if process is None or process.stdin is None:
        return
    try:
        process.stdin.close()
        process.wait(timeout=2)
    except (OSError, subprocess.TimeoutExpired):
        process.kill()
