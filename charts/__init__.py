"""Charts: the palette, the builders (a DataFrame to an Altair chart), pictures, and the registry of every chart.

Pages, slides, the deck and the reports find a chart in `charts.registry` by its key;
nothing here knows Streamlit.
"""
