"""The renderer's process (`charts/renderer.py` starts it by this file's path): vl-convert and nothing else.

It starts vl-convert's JavaScript engine at once, before the first request, then answers requests
until its input closes (the parent process has ended or let it go). It imports nothing of the
project, so that it starts in a few milliseconds and only vl-convert's own start takes time.

A request: 4 bytes (big-endian length) and that much JSON, `{"format": "png" | "svg", "scale": 2,
"spec": "<Vega-Lite JSON text>"}`. An answer: one byte (`0` drawn, `1` refused), 4 bytes of length
and the PNG or SVG bytes, or the error's text in UTF-8.
"""

from __future__ import annotations

import json
import os
import signal
import struct
import sys
from typing import BinaryIO

_SMALLEST = {"mark": "point", "data": {"values": [{"x": 0}]}, "encoding": {"x": {"field": "x", "type": "nominal"}}}


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    import vl_convert

    vl_convert.vegalite_to_svg(_SMALLEST)  # the engine's start (about 0.4 s), while the parent gets the specs ready
    while True:
        head = requests.read(4)
        if len(head) < 4:
            return  # the parent closed its end
        request = json.loads(_exactly(requests, struct.unpack(">I", head)[0]))
        try:
            spec = json.loads(request["spec"])
            if request["format"] == "png":
                drawn = bytes(vl_convert.vegalite_to_png(spec, scale=request["scale"]))
            else:
                drawn = str(vl_convert.vegalite_to_svg(spec)).encode("utf-8")
            status = b"0"
        except Exception as error:  # a spec vl-convert refuses: said to the parent, this process goes on
            drawn, status = f"{type(error).__name__}: {error}".encode(), b"1"
        answers.write(status + struct.pack(">I", len(drawn)) + drawn)
        answers.flush()


def _exactly(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) < size:
        raise SystemExit(0)  # the parent went away mid-request
    return data


if __name__ == "__main__":
    # Ctrl-C in a terminal reaches the whole group: the parent decides, and this process ends when its
    # input closes, instead of printing a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The answers get their own copy of the output; the usual one goes to the error output, so that
    # anything vl-convert or Python prints can never be mistaken for an answer.
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    serve(sys.stdin.buffer, answers)
