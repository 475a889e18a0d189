"""Every parameter any page reads from its address, set to what a hand-edited or hostile link may hold.

A link is typed, pasted, cut short or made by someone else: whatever it says, the page opens, shows
its title and, where a value means nothing, looks as it does without it (the parameter dropped from
the address). Each parameter meets every probe on the page that reads it; every page meets a few
probes in all of its parameters at once. The shared filters and `?activity=` are read by
`dashboard.py` for every page, so the overview (the page a bare link opens) stands for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from db import queries
from i18n import translator
from tests import tally
from tests.helpers import ROOT
from ui import data
from ui.activity_details import MAX_ID_DIGITS
from ui.deck_links import MAX_DIGITS
from ui.url_values import MAX_VALUE_CHARS

Value = str | list[str]

# What a link can hold that it should not: the probes and their kin.
PROBES: dict[str, Value] = {
    "empty": "",
    "huge": "x" * 100_000,
    "5,000 digits": "9" * 5000,
    "superscript digit": "²",
    "superscript number": "¹²³",
    "Arabic-Indic digit": "٣",
    "negative": "-1",
    "float": "1.5",
    "exponent": "1e3",
    "NUL": "\x00",
    "vertical tab": "a\x0bb",
    "path": "../../../etc/passwd",
    "SQL": "' OR 1=1--",
    "repeated": ["1", "2"],
    "unknown id": "987654321",
    "script tag": "<script>alert(1)</script>",
    "percent-encoded NUL": "%00",
    "right-to-left override": "\u202eamalipe",
    "year 9999": "9999-10000",
    "year 10000": "10000",
    "year 0": "0",
    "years reversed": "2024-2023",
}
# The few that also go into every parameter of a page at once. Not 100,000 characters in each: Streamlit
# ignores an address over 512 Ki characters whole (CLIENT_STATE_QUERY_STRING_MAX_LENGTH), and then tests nothing.
TOGETHER = {
    "long": "x" * 40_000,
    **{name: PROBES[name] for name in ("5,000 digits", "NUL", "superscript digit", "right-to-left override", "SQL")},
}

PAGES = {
    "overview": None,  # the default page: what "/" opens
    "partners": "pages/partners.py",
    "timeline": "pages/timeline.py",
    "activities": "pages/activities.py",
    "presentation": "pages/presentation.py",
    "data": "pages/data.py",
    "network": "pages/network.py",
    "schools": "pages/schools.py",
}
SHARED = ("lang", "year", "school", "org", "type", "activity")  # read by dashboard.py on every page
PARAMETERS = {
    **dict.fromkeys(SHARED, "overview"),
    "partner": "partners",
    "profile": "schools",
    "slide": "presentation",
    "slides": "presentation",
    "order": "presentation",
    "auto": "presentation",
    "view": "presentation",
}
PAGE_PARAMETERS = {page: [p for p, home in PARAMETERS.items() if home == page] for page in PAGES}

T = translator("bg")


@dataclass(frozen=True)
class Shown:
    """What a user sees of a page: its titles and warnings (a dialog's too), and what its address says afterwards."""

    titles: list[str]
    warnings: list[str]
    address: dict[str, list[str]]


def open_page(page: str, params: dict[str, Value]) -> Shown:
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.query_params.update(params)
    app.run()
    if PAGES[page]:
        app.switch_page(PAGES[page]).run()
    assert not app.exception, (page, {k: str(v)[:40] for k, v in params.items()}, [e.value for e in app.exception])
    assert app.title, f"{page} shows no title"
    return Shown(
        titles=[title.value for title in app.title],
        warnings=[warning.value for warning in app.warning],
        address={key: value if isinstance(value, list) else [value] for key, value in app.query_params.items()},
    )


class _Plain(dict[str, Shown]):
    """Each page as a link without parameters shows it, opened when first asked for."""

    def __missing__(self, page: str) -> Shown:
        self[page] = open_page(page, {})
        return self[page]


@pytest.fixture
def plain(demo_engine: Engine) -> dict[str, Shown]:
    return _Plain()


def expected_case(parameter: str, probe: Value) -> str | None:
    """Where a probe is a value that means something, what the page rightly shows instead of its plain self."""
    last = probe[-1] if isinstance(probe, list) else probe  # a repeated parameter: the last one counts
    if len(last) > MAX_VALUE_CHARS:
        return None  # no value at all
    number = last.isascii() and last.isdigit()
    if parameter == "activity" and number and len(last) <= MAX_ID_DIGITS:
        return "details"  # its details over the page, or that there is no such activity
    if parameter == "partner" and last:
        return "not found"  # the directory's title and „Няма такъв партньор“; the address keeps what was asked
    if parameter == "profile" and last and last != "ou-ivan-vazov-kyustendil":
        return "no such school"  # the schools' title and „Няма такова училище.“
    if parameter == "slides" and not last:
        return "no kinds"  # `slides=` is the presenter's own empty choice
    if parameter in {"slide", "auto"} and number and len(last) <= MAX_DIGITS:
        return "shown"  # a slide number (the last slide at most), seconds (held within 5 s – 1 h)
    return None


def differs(page: str, params: dict[str, Value], case: str | None, plain: dict[str, Shown]) -> str | None:
    """How the page differs from what a user should see; None when it is right."""
    shown = open_page(page, params)
    if case == "not found":
        expected = (T("partners.title"), [T("partners.not_found")])
        return None if (shown.titles[0], shown.warnings) == expected else f"no „not found“: {shown}"[:300]
    if case == "no such school":
        expected = (T("schools.title"), [T("schools.not_found")])
        return None if (shown.titles[0], shown.warnings) == expected else f"no „no such school“: {shown}"[:300]
    if case == "details":
        activity = params["activity"]
        last = activity[-1] if isinstance(activity, list) else activity
        known = queries.activity_detail(data.engine(), int(last)) is not None
        expected = Shown(plain[page].titles, [] if known else [T("details.not_found")], {"activity": [last]})
        return None if shown == expected else f"not the page under the details: {shown}"[:300]
    if case == "shown":
        return None if shown.titles else "no title"
    if case == "no kinds":
        return None if shown.titles == [T("slides.page.title")] else f"not the empty deck: {shown}"[:300]
    return None if shown == plain[page] else f"not the plain page: {shown} != {plain[page]}"[:400]


@pytest.mark.parametrize("parameter", list(PARAMETERS))
def test_every_probe_in_a_parameter_opens_its_page_as_without_it(parameter: str, plain: dict[str, Shown]) -> None:
    page = PARAMETERS[parameter]
    wrong = {}
    for name, probe in PROBES.items():
        problem = differs(page, {parameter: probe}, expected_case(parameter, probe), plain)
        if problem:
            wrong[name] = problem
    assert not wrong, wrong
    tally.inputs(len(PROBES))


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens_with_junk_in_all_its_parameters_at_once(page: str, plain: dict[str, Shown]) -> None:
    parameters = list(SHARED) if page == "overview" else [*SHARED, *PAGE_PARAMETERS[page]]
    wrong = {}
    for name, probe in TOGETHER.items():
        # `partner=` and `profile=` decide what their pages show
        case = {"partners": expected_case("partner", probe), "schools": expected_case("profile", probe)}.get(page)
        problem = differs(page, dict.fromkeys(parameters, probe), case, plain)
        if problem:
            wrong[name] = problem
    assert not wrong, wrong
    tally.inputs(len(TOGETHER) * len(parameters))


def test_a_repeated_parameter_counts_by_its_last_value_on_every_page(demo_engine: Engine) -> None:
    """`?year=…&year=…` (a link edited by hand, or pasted twice) means what `?slide=1&slide=2` means: the last."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.query_params.update({"year": ["2023-2024", "2024-2025"], "lang": ["bg", "en"]})
    app.run()
    assert not app.exception
    assert (app.session_state["year"], app.session_state["lang"]) == ("2024-2025", "en")
    tally.inputs(2)
