"""Who works with whom, drawn: partners as circles, a line between two that took part in the same activities.

networkx places the circles (a spring layout: partners that share many activities pull together); the
drawing stays an Altair chart like every other, so it is a slide, a picture and a PNG or SVG download
the same way. The layout is seeded, so the same network is drawn the same on the page, the slide and
the file, and it is kept per network (`_placed`): a rerun or a language switch does not lay it out again.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import NamedTuple

import altair as alt
import networkx as nx
import pandas as pd

from charts.builders import ChartText, _finish
from charts.palette import TYPE_COLORS
from db.queries.partner_network import PartnerNetwork
from i18n.formatting import format_number
from i18n.vocabulary import term_names

NETWORK_PICK = "partner_pick"
LAYOUT_SEED = 13  # any fixed number: the same network, the same picture
HEIGHT = 520  # px: about forty circles with their names apart on a page and on a slide
MARGIN = 1.25  # the layout spans -1..1; room for the largest circle and a label at the edge
# A partner kind's colour: the palette's, dark to light and apart in greyscale, in the kinds' display order.
KIND_COLORS = tuple(TYPE_COLORS.values())
KIND_LEGEND_ENTRY = 170  # px: a symbol and „държавна институция“ whole, and the gap to the next
WIDE_PLOT = 1200  # px: a slide's or a projector's plot, where the names may be larger
SPOKEN_PAIRS = 5  # pairs a speaker reads out
SMALLEST, LARGEST = 80, 1600  # px² of a circle: the least and the most active partner


class NetworkChartData(NamedTuple):
    """The chart's data: the query's network and the partner kinds' names (code, lang, name rows)."""

    network: PartnerNetwork
    kinds: pd.DataFrame


@lru_cache(maxsize=64)
def _placed(nodes: tuple[int, ...], edges: tuple[tuple[int, int, int], ...]) -> dict[int, tuple[float, float]]:
    """Each partner's place, -1..1 on both axes: a spring layout weighted by shared activities, seeded."""
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    # Pulled by the logarithm of the shared activities: by the counts themselves, the few busiest pairs (500
    # activities against 5) drew their partners into one heap in the middle, names over names.
    graph.add_weighted_edges_from((source, target, math.log1p(shared)) for source, target, shared in edges)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    spread = 2 / math.sqrt(len(nodes))  # twice networkx's default distance: room for the names
    places = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", k=spread, scale=1.0, iterations=100)
    return {int(node): (float(x), float(y)) for node, (x, y) in places.items()}


def layout(network: PartnerNetwork) -> dict[int, tuple[float, float]]:
    """organization_id -> (x, y) for the network's partners, the same for the same network."""
    nodes = tuple(int(i) for i in sorted(network.nodes["organization_id"]))
    edges = tuple(
        (int(s), int(t), int(n))
        for s, t, n in sorted(
            zip(network.edges["source"], network.edges["target"], network.edges["activities"], strict=True)
        )
    )
    return dict(_placed(nodes, edges)) if nodes else {}


def busiest_pairs(network: PartnerNetwork, most: int = SPOKEN_PAIRS) -> list[tuple[str, str, int]]:
    """The pairs that shared the most activities (their short names, and how many), the busiest first."""
    names = network.nodes.set_index("organization_id")["short_name"]
    top = network.edges.head(most)
    return [
        (str(names[s]), str(names[t]), int(n))
        for s, t, n in zip(top["source"], top["target"], top["activities"], strict=True)
    ]


def network_chart(data: NetworkChartData, text: ChartText) -> alt.LayerChart:
    """Lines by shared activities (wider and darker for more), circles by held activities and coloured by
    kind, each named by its short name; a click on a circle picks the partner (`NETWORK_PICK`, by slug)."""
    t, network = text.t, data.network
    places = layout(network)
    kinds = term_names(data.kinds.itertuples(index=False, name=None), text.lang)
    # Circle areas by held activities, computed here rather than by a scale, so that each name can sit
    # just above its own circle (a text mark's offset cannot follow a size scale).
    least, most = (
        (int(network.nodes["activities"].min()), int(network.nodes["activities"].max()))
        if len(network.nodes)
        else (0, 0)
    )
    area = network.nodes["activities"].map(
        lambda n: SMALLEST + (LARGEST - SMALLEST) * ((int(n) - least) / (most - least) if most > least else 0.5)
    )
    per_pixel = 2 * MARGIN / HEIGHT
    nodes = network.nodes.assign(
        area=area,
        label_y=network.nodes["organization_id"].map(lambda i: places[int(i)][1])
        + (area / math.pi) ** 0.5 * per_pixel
        + 3 * per_pixel,
        x=network.nodes["organization_id"].map(lambda i: places[int(i)][0]),
        y=network.nodes["organization_id"].map(lambda i: places[int(i)][1]),
        kind=network.nodes["kind_code"].map(lambda c: kinds.get(c, c)),
        activities_label=network.nodes["activities"].map(lambda n: format_number(int(n), text.lang)),
    )
    names = nodes.set_index("organization_id")["short_name"]
    edges = network.edges.assign(
        x=network.edges["source"].map(lambda i: places[int(i)][0]),
        y=network.edges["source"].map(lambda i: places[int(i)][1]),
        x2=network.edges["target"].map(lambda i: places[int(i)][0]),
        y2=network.edges["target"].map(lambda i: places[int(i)][1]),
        pair=[
            f"{names[s]} – {names[e]}" for s, e in zip(network.edges["source"], network.edges["target"], strict=True)
        ],
        activities_label=network.edges["activities"].map(lambda n: format_number(int(n), text.lang)),
    )
    scale = alt.Scale(domain=[-MARGIN, MARGIN], nice=False, zero=False)
    x, y = alt.X("x:Q", scale=scale, axis=None), alt.Y("y:Q", scale=scale, axis=None)
    most_shared = int(edges["activities"].max()) if len(edges) else 1
    lines = (
        alt.Chart(edges)
        .mark_rule(color="#5A6B7D", strokeCap="round")
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth(
                "activities:Q", scale=alt.Scale(domain=[1, max(most_shared, 2)], range=[1.5, 9]), legend=None
            ),
            opacity=alt.Opacity(
                "activities:Q", scale=alt.Scale(domain=[1, max(most_shared, 2)], range=[0.4, 0.85]), legend=None
            ),
            tooltip=[
                alt.Tooltip("pair:N", title=t("chart.network_pair")),
                alt.Tooltip("activities_label:N", title=t("chart.network_shared")),
            ],
        )
    )
    present = list(dict.fromkeys(code for code in kinds if code in set(nodes["kind_code"])))
    present += sorted(set(nodes["kind_code"]) - set(present))
    order = {code: number for number, code in enumerate(kinds)}  # a kind's colour whatever else is drawn
    pick = alt.selection_point(name=NETWORK_PICK, fields=["slug"], on="click")
    circles = (
        alt.Chart(nodes)
        .mark_circle(stroke="white", strokeWidth=1.5, opacity=1, cursor="pointer")
        .encode(
            x=x,
            y=y,
            size=alt.Size("area:Q", scale=None, legend=None),
            color=alt.Color(
                "kind:N",
                title=t("chart.network_kind"),
                scale=alt.Scale(
                    domain=[kinds.get(c, c) for c in present],
                    range=[KIND_COLORS[order.get(c, len(order)) % len(KIND_COLORS)] for c in present],
                ),
                # As many columns as the plot's width holds (a phone: two), so the legend stays on screen.
                legend=alt.Legend(
                    orient="bottom",
                    columns=alt.ExprRef(expr=f"clamp(floor(width / {KIND_LEGEND_ENTRY}), 1, 4)"),
                    labelLimit=alt.ExprRef(expr=f"width > {WIDE_PLOT} ? 400 : {KIND_LEGEND_ENTRY - 25}"),
                ),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("chart.partner")),
                alt.Tooltip("kind:N", title=t("chart.network_kind")),
                alt.Tooltip("activities_label:N", title=t("chart.activities")),
            ],
        )
        .add_params(pick)
    )
    # Each name twice: a white outline under it, so that it reads where a line runs behind it.
    named = alt.Chart(nodes).encode(x=x, y=alt.Y("label_y:Q", scale=scale, axis=None), text="short_name:N")
    # Names as large as a projector's legend on a wide plot (a slide, a large screen), small on a laptop's page.
    size = alt.ExprRef(expr=f"width > {WIDE_PLOT} ? 18 : 12")
    halos = named.mark_text(fontSize=size, baseline="bottom", stroke="white", strokeWidth=4, strokeJoin="round")
    labels = named.mark_text(fontSize=size, baseline="bottom", color="#1F2A36")
    chart = alt.layer(lines, circles, halos, labels).properties(height=HEIGHT)
    return _finish(chart, text)  # type: ignore[no-any-return]
