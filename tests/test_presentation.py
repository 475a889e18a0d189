"""The Presentation page through AppTest, and the deck it is built from (`content.deck`, `ui.deck_links`)."""

from __future__ import annotations

import json
import re
import string
from datetime import date, timedelta

import altair as alt
import pandas as pd
import pytest
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from charts import projector
from charts.registry import deck_charts
from content import deck as slides
from content.deck import build_slides
from content.model import SLIDE_KINDS, STORY_ACTIVITIES, DeckChoices, Slide
from content.prose import one_paragraph
from db import queries
from db.filters import ActivityFilters
from i18n import translator
from i18n.formatting import change, format_number
from tests.factories import add_activity, add_partner
from tests.helpers import ROOT, open_app
from ui import deck_links
from ui.safe import md

PAGE = "pages/presentation.py"
# The chart slides that the presenter's "charts" stands for (the timeline is a kind of its own).
CHART_SLIDES = tuple(spec.key for spec in deck_charts() if spec.deck_kind == "charts")
SLIDE_MODULES = ("ui/slide_views.py", "ui/presenter.py")
YEAR = "2023-2024"
# Demo data in 2023/2024: every partner has held activities, so the deck has the title, the
# figures, one slide per partner, the timeline and the three charts.
FIGURES_SLIDE = 2
FIRST_PARTNER_SLIDE = 3


def open_presentation(**params: str | list[str]) -> AppTest:
    return open_app(page=PAGE, **params)


def main_texts(app: AppTest) -> list[str]:
    """What the main area says, headings and Markdown in order (the sidebar left out)."""
    main = app.main
    return [str(e.value) for kind in ("title", "header", "subheader", "markdown") for e in getattr(main, kind)]


def counter(app: AppTest) -> str:
    """The slide counter, `3 / 14`."""
    (found,) = [m.value for m in app.main.markdown if re.fullmatch(r"#### \d+ / \d+", m.value)]
    return found.removeprefix("#### ")


def partners_in(engine: Engine, year: int) -> list[str]:
    """The slugs of the partners with held activities in `year`, most active first, as the deck orders them."""
    return list(slides.active_partners(queries.activities_by_organization(engine, ActivityFilters(year))))


# The school's outcomes of the year follow the charts (tests/test_outcomes.py): the demo has them every year.
OUTCOME_SLIDES = 1


def story_size(engine: Engine, year: int) -> int:
    return len(queries.story_activities(engine, ActivityFilters(year), limit=STORY_ACTIVITIES))


def deck_size(engine: Engine, year: int) -> int:
    return 2 + len(partners_in(engine, year)) + 1 + len(CHART_SLIDES) + OUTCOME_SLIDES + story_size(engine, year)


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_the_presentation_opens_in_both_languages(demo_engine: Engine, lang: str) -> None:
    app = open_presentation(lang=lang, year=YEAR)
    t = translator(lang)
    assert [title.value for title in app.main.title] == [t("app.title")]
    assert app.button(key="presentation_next").label == {"bg": "Напред", "en": "Next"}[lang]
    assert app.button(key="presentation_previous").label == {"bg": "Назад", "en": "Previous"}[lang]
    assert app.expander[0].label == {"bg": "Настройки на презентацията", "en": "Presentation settings"}[lang]


def test_the_first_slide_names_the_school_the_period_and_the_partners(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, slide="1")
    short_names = slides.active_partners(queries.activities_by_organization(demo_engine, ActivityFilters(2023)))
    assert main_texts(app) == [
        "Партньорства за образователна интеграция",
        "ОУ „Иван Вазов“ – Кюстендил",
        "Учебна 2023/2024 година (15.09.2023 – 30.06.2024)",
        f"#### 1 / {deck_size(demo_engine, 2023)}",
        "### С участието на: " + " · ".join(md(name) for name in short_names.values()),
    ]
    assert app.query_params["slide"] == "1"
    assert app.query_params["year"] == YEAR


def test_next_and_previous_move_through_the_deck_and_into_the_url(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR)
    assert app.button(key="presentation_previous").disabled
    assert app.button(key="presentation_next").proto.shortcut == "right"
    assert app.button(key="presentation_previous").proto.shortcut == "left"

    app.button(key="presentation_next").click().run()
    assert app.query_params["slide"] == str(FIGURES_SLIDE)
    assert app.main.title[0].value == "Показатели за периода"
    figures, previous, _ = queries.figures_with_comparison(demo_engine, ActivityFilters(2023), today=date.today())
    shown = main_texts(app)
    assert f"# {figures['activities']}" in shown
    change = figures["activities"] - previous["activities"]
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    assert any(line.startswith("#### :") and f"{arrow} " in line and "спрямо 2022/2023" in line for line in shown)

    app.button(key="presentation_next").click().run()
    first_partner = partners_in(demo_engine, 2023)[0]
    assert app.query_params["slide"] == str(FIRST_PARTNER_SLIDE)
    assert app.main.title[0].value == queries.partner_profile(demo_engine, first_partner)["short_name"]

    app.button(key="presentation_previous").click().run()
    app.button(key="presentation_previous").click().run()
    assert app.query_params["slide"] == "1"
    assert app.query_params["year"] == YEAR
    assert counter(app) == f"1 / {deck_size(demo_engine, 2023)}"


def test_the_last_slide_cannot_go_further_by_hand(demo_engine: Engine) -> None:
    last = deck_size(demo_engine, 2023)
    app = open_presentation(year=YEAR, slide=str(last))
    assert app.button(key="presentation_next").disabled
    assert not app.button(key="presentation_previous").disabled
    # The story ends the deck: its newest activity last.
    story = queries.story_activities(demo_engine, ActivityFilters(2023), limit=STORY_ACTIVITIES)
    newest = story.sort_values(["start_date", "id"]).iloc[-1]
    assert app.main.title[0].value == md(newest["title"])


def test_slides_and_order_come_from_the_url(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, slides="partners", order="amalipe,largo")
    assert counter(app) == "1 / 2"
    assert app.main.title[0].value == "Амалипе"
    app.button(key="presentation_next").click().run()
    assert app.main.title[0].value == "Ларго"
    assert app.pills(key="presentation_kinds").value == ["partners"]
    assert app.multiselect(key="presentation_order").value == ["amalipe", "largo"]
    assert app.query_params["slides"] == "partners"
    assert app.query_params["order"] == "amalipe,largo"
    assert app.query_params["slide"] == "2"


def test_repeated_parameters_work_like_commas(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, slides=["title", "partners"], order=["largo", "amalipe"])
    assert counter(app) == "1 / 3"
    app.button(key="presentation_next").click().run()
    assert app.main.title[0].value == "Ларго"
    assert app.query_params["slides"] == "title,partners"
    assert app.query_params["order"] == "largo,amalipe"


def test_the_order_puts_partner_slides_after_the_figures_in_the_chosen_order(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, order="ruo-kyustendil,amalipe")
    assert counter(app) == f"1 / {2 + 2 + 1 + len(CHART_SLIDES) + OUTCOME_SLIDES + story_size(demo_engine, 2023)}"
    titles = []
    for _ in range(4):
        titles.append(app.main.title[0].value)
        app.button(key="presentation_next").click().run()
    assert titles == ["Партньорства за образователна интеграция", "Показатели за периода", "РУО", "Амалипе"]
    assert app.main.title[0].value == "Хронология на дейностите"


def test_an_out_of_range_slide_is_clamped(demo_engine: Engine) -> None:
    last = deck_size(demo_engine, 2023)
    app = open_presentation(year=YEAR, slide="99")
    assert counter(app) == f"{last} / {last}"
    assert app.query_params["slide"] == str(last)


@pytest.mark.parametrize("slide", ["abc", "-2", "0", "", "2.5"])
def test_a_junk_slide_number_starts_at_the_first_or_is_clamped(demo_engine: Engine, slide: str) -> None:
    app = open_presentation(year=YEAR, slide=slide)
    assert counter(app) == f"1 / {deck_size(demo_engine, 2023)}"
    assert app.query_params["slide"] == "1"


def test_junk_choices_are_ignored(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, slides="nonsense", order="no-such-partner,amalipe,amalipe", auto="soon")
    assert app.pills(key="presentation_kinds").value == list(SLIDE_KINDS)
    assert app.multiselect(key="presentation_order").value == ["amalipe"]
    assert app.number_input(key="presentation_auto").value == 0
    assert counter(app) == f"1 / {2 + 1 + 1 + len(CHART_SLIDES) + OUTCOME_SLIDES + story_size(demo_engine, 2023)}"
    assert "slides" not in app.query_params and "auto" not in app.query_params
    assert app.query_params["order"] == "amalipe"


def test_choosing_in_the_settings_writes_the_url_and_keeps_the_filters(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, org=["amalipe", "largo"], slide="3")
    assert app.main.title[0].value == "Ларго"  # the more active of the two
    app.multiselect(key="presentation_order").set_value(["amalipe", "largo"]).run()
    assert app.query_params["order"] == "amalipe,largo"
    app.number_input(key="presentation_auto").set_value(30).run()
    assert app.query_params["auto"] == "30"
    assert "Сменя се сама на всеки 30 с" in [c.value for c in app.main.caption]
    app.pills(key="presentation_kinds").set_value(["title", "partners"]).run()
    assert app.query_params["slides"] == "title,partners"
    assert app.query_params["year"] == YEAR
    assert app.query_params["org"] == ["amalipe", "largo"]


def test_the_slide_on_the_screen_stays_when_the_deck_changes_under_it(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, slide=str(FIRST_PARTNER_SLIDE))
    partner = app.main.title[0].value
    app.pills(key="presentation_kinds").set_value(["title", "partners", "charts"]).run()
    assert app.main.title[0].value == partner
    assert app.query_params["slide"] == str(FIRST_PARTNER_SLIDE - 1)


def test_auto_advance_comes_from_the_url_and_is_kept_within_limits(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, auto="2")
    assert app.number_input(key="presentation_auto").value == deck_links.MIN_AUTO_SECONDS
    assert app.query_params["auto"] == str(deck_links.MIN_AUTO_SECONDS)
    assert [c.value for c in app.main.caption][0] == f"Сменя се сама на всеки {deck_links.MIN_AUTO_SECONDS} с"


def test_no_chosen_kind_asks_for_one(demo_engine: Engine) -> None:
    app = open_presentation(year=YEAR, slides="")
    assert [i.value for i in app.info] == [translator("bg")("slides.deck.no_kinds")]
    assert app.pills(key="presentation_kinds").value == []


def test_every_chart_slide_draws_its_chart(demo_engine: Engine) -> None:
    first_chart = deck_size(demo_engine, 2023) - story_size(demo_engine, 2023) - OUTCOME_SLIDES - len(CHART_SLIDES) + 1
    expected = {
        first_chart - 1: "Хронология на дейностите",
        first_chart: "Дейности по партньори и видове",
        first_chart + 1: "Дейности по месеци",
        first_chart + 2: "Дейности по учебни години",
    }
    for number, title in expected.items():
        app = open_presentation(year=YEAR, slide=str(number))
        assert app.main.title[0].value == title
        (chart,) = app.get("vega_lite_chart")
        spec = json.loads(chart.proto.spec)
        assert spec["config"]["axis"]["labelFontSize"] == projector.PROJECTOR_FONT_SIZE


def test_an_empty_database_explains_how_to_start(engine: Engine) -> None:
    app = open_presentation()
    assert [i.value for i in app.info] == [translator("bg")("empty.title")]
    assert [c.value for c in app.code] == [".venv/bin/python -m db demo"]
    assert app.get("vega_lite_chart") == []
    assert [b.key for b in app.button if b.key and b.key.startswith("presentation")] == []


@pytest.mark.parametrize("lang", ["bg", "en"])
def test_a_period_without_activities_says_so(demo_engine: Engine, lang: str) -> None:
    app = open_presentation(lang=lang, year="2013-2014", type="other")
    assert [i.value for i in app.info] == [translator(lang)("empty.no_match")]
    assert app.get("vega_lite_chart") == []


def test_text_from_the_database_is_shown_as_text(engine: Engine) -> None:
    pid = add_partner(
        engine,
        slug="x",
        name="<img src=x onerror=alert(1)> **Удебелено**",
        short_name="<b>X</b> $x$",
        mission="<script>alert(1)</script>\n\n# Заглавие :red[червено]",
    )
    add_activity(engine, title="<i>Заглавие</i>", type="meeting", start=date.today(), partners=((pid, "organizer"),))
    app = open_presentation(slide=str(FIRST_PARTNER_SLIDE))
    assert app.main.title[0].value == md("<b>X</b> $x$")
    shown = main_texts(app)
    assert "### " + md("<img src=x onerror=alert(1)> **Удебелено**") in shown
    assert "#### " + md("<script>alert(1)</script> # Заглавие :red[червено]") in shown
    for element in [*app.markdown, *app.caption, *app.title]:
        assert not getattr(element.proto, "allow_html", False)


def test_the_page_uses_no_html() -> None:
    for path in (PAGE, *SLIDE_MODULES):
        source = (ROOT / path).read_text(encoding="utf-8")
        for forbidden in ("unsafe_allow_html", "st.html", "components"):
            assert forbidden not in source, path


def test_a_partner_slide_counts_every_earlier_activity(engine: Engine) -> None:
    """More than the page ever lists (1,500 on the timeline): the count still comes from the database."""
    pid = add_partner(engine, slug="zaedno", name="Сдружение „Заедно“", short_name="Заедно")
    first = date(2023, 9, 15)
    for day in range(1530):
        status = "cancelled" if day % 100 == 99 else "held"
        add_activity(engine, title="Занимание", type="training", start=first + timedelta(days=day), status=status,
                     partners=((pid, "organizer"),))  # fmt: skip
    app = open_presentation(year="all", slide=str(FIRST_PARTNER_SLIDE))
    lines = [line for text in main_texts(app) for line in text.splitlines()]
    listed = [line for line in lines if "Занимание" in line or "по-ранни" in line]
    # 1,530 less 15 cancelled, of which the newest 6 are listed.
    assert listed[0] == f"##### … и още {format_number(1509, 'bg')} по-ранни"
    assert len(listed) == 1 + 6


# --- the deck ------------------------------------------------------------------------------------

FIGURES = {"activities": 5, "partners": 2, "participants": 40, "pupils": 30}
NOTHING = {"activities": 0, "partners": 0, "participants": 0, "pupils": 0}


def keys(deck: list[Slide]) -> list[str]:
    return [slide.key for slide in deck]


def test_a_full_deck() -> None:
    deck = build_slides(figures=FIGURES, partners=["largo", "amalipe"], events=6, choices=DeckChoices())
    assert keys(deck) == [
        "title",
        "figures",
        "partner:largo",
        "partner:amalipe",
        "timeline",
        "by_organization",
        "by_month",
        "by_school_year",
        "partner_network",
    ]


def test_chosen_kinds_keep_the_deck_order() -> None:
    choices = DeckChoices(kinds=("timeline", "title"))
    assert keys(build_slides(figures=FIGURES, partners=["largo"], events=6, choices=choices)) == ["title", "timeline"]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        ((), ["largo", "amalipe", "adra"]),
        (("adra", "largo"), ["adra", "largo"]),
        (("adra", "no-activities", "adra"), ["adra"]),
        (("no-activities",), []),
    ],
)
def test_partner_slides_follow_the_chosen_order(chosen: tuple[str, ...], expected: list[str]) -> None:
    choices = DeckChoices(kinds=("partners",), partner_order=chosen)
    deck = build_slides(figures=FIGURES, partners=["largo", "amalipe", "adra"], events=6, choices=choices)
    assert [slide.partner for slide in deck] == expected


def test_a_period_with_nothing_keeps_its_title_and_figures_to_say_so() -> None:
    assert keys(build_slides(figures=NOTHING, partners=[], events=0, choices=DeckChoices())) == ["title", "figures"]


def test_only_planned_activities_give_no_charts() -> None:
    deck = build_slides(figures=NOTHING, partners=[], events=3, choices=DeckChoices())
    assert keys(deck) == ["title", "figures", "timeline"]


def test_no_kinds_no_slides() -> None:
    assert build_slides(figures=FIGURES, partners=["largo"], events=6, choices=DeckChoices(kinds=())) == []


def test_active_partners_are_ordered_by_activities_then_name() -> None:
    by_organization = pd.DataFrame(
        {
            "slug": ["a", "a", "b", "c"],
            "short_name": ["Бета", "Бета", "Алфа", "Гама"],
            "activities": [1, 1, 2, 3],
        }
    )
    assert slides.active_partners(by_organization) == {"c": "Гама", "b": "Алфа", "a": "Бета"}
    assert slides.active_partners(by_organization.head(0)) == {}


def deck_of(*names: str) -> list[Slide]:
    return [Slide("partner", name[8:]) if name.startswith("partner:") else Slide(name) for name in names]


@pytest.mark.parametrize(
    ("requested", "remembered", "expected"),
    [
        (None, None, 0),
        (3, None, 2),
        (99, None, 3),
        (0, None, 0),
        (3, (3, "partner:b"), 2),
        (3, (3, "partner:a"), 1),  # the deck changed under slide 3: partner a stays on the screen
        (3, (3, "figures"), 2),  # no longer in the deck: the number holds
        (4, (3, "partner:a"), 3),  # moved on: the number wins
    ],
)
def test_current_index(requested: int | None, remembered: tuple[int, str] | None, expected: int) -> None:
    deck = deck_of("title", "partner:a", "partner:b", "timeline")
    assert slides.current_index(deck, requested, remembered) == expected
    assert slides.current_index([], requested, remembered) == 0


def test_next_number_wraps_around() -> None:
    assert [slides.next_number(n, 3) for n in (1, 2, 3, 7)] == [2, 3, 1, 1]
    assert slides.next_number(1, 0) == 1


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (None, SLIDE_KINDS),
        ([], SLIDE_KINDS),
        ([""], ()),
        (["charts,title"], ("title", "charts")),
        (["charts", "title", "title"], ("title", "charts")),
        (["nonsense"], SLIDE_KINDS),
        ([" figures , nonsense "], ("figures",)),
    ],
)
def test_parse_kinds(values: list[str] | None, expected: tuple[str, ...]) -> None:
    assert deck_links.parse_kinds(values) == expected


def test_parse_order_keeps_known_partners_in_order_once() -> None:
    known = {"amalipe", "largo"}
    assert deck_links.parse_order(["largo,x", "amalipe,largo"], known) == ("largo", "amalipe")
    assert deck_links.parse_order(None, known) == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 0), ("", 0), ("0", 0), ("soon", 0), ("-5", 0), ("2", 5), ("30", 30), ("99999", 3600), (45, 45)],
)
def test_parse_auto_seconds(value: str | int | None, expected: int) -> None:
    assert deck_links.parse_auto_seconds(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (" 12 ", 12), ("abc", None), ("-1", None), (None, None)])
def test_parse_slide_number(value: str | None, expected: int | None) -> None:
    assert deck_links.parse_slide_number(value) == expected


def test_choice_params_leave_defaults_out_of_the_url() -> None:
    assert deck_links.choice_params(DeckChoices()) == {"slides": None, "order": None, "auto": None}
    chosen = DeckChoices(kinds=("title", "charts"), partner_order=("largo", "adra"), auto_seconds=30)
    assert deck_links.choice_params(chosen) == {"slides": "title,charts", "order": "largo,adra", "auto": "30"}
    assert deck_links.choice_params(DeckChoices(kinds=()))["slides"] == ""


@pytest.mark.parametrize(
    ("current", "previous", "lang", "expected"),
    [
        (12, 9, "bg", ("▲", "+3", "up")),
        (9, 12, "bg", ("▼", "−3", "down")),
        (5, 5, "en", ("=", "0", "same")),
        (2500, 1000, "bg", ("▲", "+1\u00a0500", "up")),
        (2500, 1000, "en", ("▲", "+1,500", "up")),
    ],
)
def test_change(current: int, previous: int, lang: str, expected: tuple[str, str, str]) -> None:
    moved = change(current, previous, lang)
    assert (moved.arrow, moved.text, moved.direction) == expected


def test_one_paragraph() -> None:
    assert one_paragraph("Първи ред.\n\n  Втори   ред.") == "Първи ред. Втори ред."
    assert one_paragraph(None) == ""
    assert one_paragraph("едно две три четири", limit=12) == "едно две три…"
    assert one_paragraph("едно две три четири", limit=11) == "едно две…"
    assert one_paragraph("едно две, три", limit=10) == "едно две…"
    assert one_paragraph("безкрайнодългадума", limit=5) == "безкр…"


def test_projected_charts_are_larger_and_stay_on_the_screen() -> None:
    data = pd.DataFrame({"name": ["a", "b"], "value": [1, 2]})
    per_row = alt.Chart(data).mark_bar().encode(y="name:N", x="value:Q").properties(height=alt.Step(34))
    fixed = alt.Chart(data).mark_bar().encode(x="name:N", y="value:Q").properties(height=260)

    spec = projector.projected(per_row).to_dict()
    assert spec["height"] == {"step": round(34 * projector.PROJECTOR_HEIGHT_SCALE)}
    assert spec["config"]["axis"]["labelFontSize"] == projector.PROJECTOR_FONT_SIZE
    assert spec["config"]["legend"]["labelColor"] == projector.PROJECTOR_TEXT_COLOR
    assert projector.projected(per_row, rows=2).to_dict()["height"] == round(34 * projector.PROJECTOR_HEIGHT_SCALE * 2)
    assert projector.projected(per_row, rows=40).to_dict()["height"] == projector.PROJECTOR_PLOT_HEIGHT
    assert projector.projected(fixed).to_dict()["height"] == min(
        round(260 * projector.PROJECTOR_HEIGHT_SCALE), projector.PROJECTOR_PLOT_HEIGHT
    )


# --- the presentation's words --------------------------------------------------------------------


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_an_unknown_language_falls_back_to_bulgarian() -> None:
    assert translator("de")("slides.page.title") == "Презентация"
    assert translator("en")("slides.partner.earlier", count=format_number(3, "en")) == "… and 3 earlier"


# --- the projector view ----------------------------------------------------------------------------


def test_one_button_opens_the_projector_view_and_esc_comes_back(demo_engine: Engine) -> None:
    """The slide alone: no settings, no projector button; ←/→ and Esc stay; the URL keeps the view."""
    app = open_presentation(year=YEAR, slide="2")
    assert app.main.expander, "the settings are on the ordinary page"
    app.button(key="presentation_project").click().run()
    assert app.query_params["view"] == "projector"
    assert app.query_params["slide"] == "2" and app.query_params["year"] == YEAR
    assert not app.main.expander
    assert [b.key for b in app.main.button] == ["presentation_previous", "presentation_next", "presentation_exit"]
    assert app.button(key="presentation_exit").proto.shortcut == "escape"
    assert f"2 / {deck_size(demo_engine, 2023)}" in [c.value for c in app.main.caption]

    app.button(key="presentation_next").click().run()
    assert app.query_params["slide"] == "3" and app.query_params["view"] == "projector"
    app.button(key="presentation_exit").click().run()
    assert "view" not in app.query_params
    assert app.main.expander and app.query_params["slide"] == "3"


def test_the_buttons_show_one_arrow_each(demo_engine: Engine) -> None:
    """Streamlit shows the shortcut's arrow on the button: an icon would draw a second one."""
    app = open_app(page=PAGE, year=YEAR)
    for key in ("presentation_previous", "presentation_next"):
        button = app.button(key=key)
        assert not button.proto.icon and not re.search("[←→]", button.label), button.label


@pytest.mark.parametrize(
    ("value", "expected"), [("projector", True), (" Projector ", True), ("", False), ("slides", False), (None, False)]
)
def test_is_projector_view(value: str | None, expected: bool) -> None:
    assert deck_links.is_projector_view(value) is expected
