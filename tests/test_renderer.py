"""Charts are drawn by vl-convert in a process of its own (charts/renderer.py), with the same pictures as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import vl_convert
from sqlalchemy import Engine

from charts import renderer
from tests.helpers import open_app

ROOT = Path(__file__).resolve().parent.parent
SPEC = {
    "width": 300,
    "data": {"values": [{"партньор": "Ларго", "дейности": 5}, {"партньор": "Амалипе", "дейности": 3}]},
    "mark": "bar",
    "encoding": {
        "x": {"field": "дейности", "type": "quantitative"},
        "y": {"field": "партньор", "type": "nominal"},
    },
}


def test_the_drawing_process_draws_what_vl_convert_draws_here() -> None:
    text = json.dumps(SPEC)
    assert renderer.draw(text, "png", 2) == bytes(vl_convert.vegalite_to_png(SPEC, scale=2))
    assert renderer.draw(text, "svg").decode("utf-8") == vl_convert.vegalite_to_svg(SPEC)


def test_a_report_is_written_without_the_chart_engine_in_its_process(database_url: str, demo_engine: Engine) -> None:
    """vl-convert keeps Python's lock while it starts and draws: in the process it would stop the report's text."""
    script = f"""
import sys
from datetime import date
import reports
from db.engine import get_engine
files = reports.generate_many(get_engine({database_url!r}), school_year=2023, formats=reports.FORMATS,
                              today=date(2026, 11, 25))
print(sorted(files), all(len(data) > 100_000 for data in files.values()), "vl_convert" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["['docx',", "'pdf',", "'pptx']", "True", "False"]


def test_a_drawing_process_that_has_ended_is_replaced() -> None:
    renderer.start_renderer()
    first = renderer._process
    assert first is not None
    first.kill()
    first.wait()
    assert renderer.draw(json.dumps(SPEC), "png", 1)[:4] == b"\x89PNG"
    assert renderer._process is not None and renderer._process is not first


def test_a_spec_vl_convert_refuses_is_an_error_and_the_next_drawing_works() -> None:
    with pytest.raises(renderer.DrawingRefused):
        renderer.draw(json.dumps({"mark": "nonsense", "data": {"values": [{"x": 1}]}}), "png")
    assert renderer.draw(json.dumps(SPEC), "svg").lstrip().startswith(b"<svg")


def test_starting_the_renderer_returns_before_the_engine_has_started_and_loads_nothing_here() -> None:
    """The app starts it with its first page: that page must not wait for vl-convert nor carry it."""
    script = """
import sys
from charts.renderer import start_renderer
import charts.renderer as renderer
start_renderer()
start_renderer()  # once running, a second call starts nothing
process = renderer._process
print(process.poll() is None, "vl_convert" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split() == ["True", "False"]


def test_the_app_starts_the_renderer_with_its_first_page(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """So that the first download does not wait for vl-convert's start; the page itself is drawn as before."""
    monkeypatch.setattr(renderer, "_process", None)
    app = open_app()
    assert [metric.label for metric in app.metric][:1] == ["Проведени дейности"]
    assert renderer._process is not None and renderer._process.poll() is None
    assert renderer.draw(json.dumps(SPEC), "png", 1)[:4] == b"\x89PNG"


def test_drawings_asked_for_at_once_by_several_sessions_each_get_their_own_picture() -> None:
    """The app's sessions share one drawing process: their requests take turns, none gets another's picture."""
    specs = [json.dumps({**SPEC, "width": 200 + 40 * n}) for n in range(6)]
    with ThreadPoolExecutor(max_workers=6) as sessions:
        drawn = list(sessions.map(lambda spec: renderer.draw(spec, "svg"), specs))
    assert drawn == [vl_convert.vegalite_to_svg(json.loads(spec)).encode("utf-8") for spec in specs]
