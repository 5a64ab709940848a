"""The chart macros: a titled figure, an SVG image with a name, a table of the same
figures, no inline style, readable without colour."""

import re

import pytest
from flask import render_template_string

from tests.factories import SurveyCampaignFactory, SurveyResponseFactory

BAR = """{% from "_charts.html" import bar_chart %}
{{ bar_chart("essai", "Oui par question", items, max_value=100, unit="%") }}"""
STACKED = """{% from "_charts.html" import stacked_chart %}
{{ stacked_chart("freins", "Freins", rows, ["1", "2", "3", "4"], note_header="Moyenne") }}"""
GROUPED = """{% from "_charts.html" import grouped_bar_chart %}
{{ grouped_bar_chart("duo", "Avant, après", ["Connaissent", "Emploient"],
   [{"name": "2023", "values": [88, 35]}, {"name": "2026", "values": [100, None]}],
   max_value=100, unit="%") }}"""


def render(template: str, **context) -> str:
    return render_template_string(template, **context)


def assert_accessible_figure(html: str, chart_id: str, title: str) -> None:
    assert (
        f'<figure class="chart" id="{chart_id}" aria-labelledby="{chart_id}-titre">'
        in (html)
    )
    assert (
        f'<figcaption id="{chart_id}-titre" class="chart-title">{title}</figcaption>'
        in (html)
    )
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg
    assert f'aria-labelledby="{chart_id}-titre' in svg
    assert "<table" in html
    assert f"Chiffres du graphique : {title}" in html
    assert " style=" not in html
    assert "<script" not in html


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_bar_chart(request_context):
    items = [
        {"label": "Connaissent le travail pair", "value": 88, "text": "88 % (15)"},
        {"label": "Ont un TP en poste", "value": 29, "text": "29 % (5)"},
        {"label": "Sans réponse", "value": None},
    ]
    html = render(BAR, items=items)
    assert_accessible_figure(html, "essai", "Oui par question")
    # Each bar shows its figure as text, in the image and in the table.
    assert html.count("88 % (15)") == 2
    assert html.count("–") >= 2
    widths = re.findall(r'class="bar-fill"[^>]*width="([\d.]+)"', html)
    assert [float(w) for w in widths] == [
        pytest.approx(550 * 0.88, abs=0.1),
        pytest.approx(550 * 0.29, abs=0.1),
        0.0,
    ]


def test_stacked_chart_has_patterns_and_counts(request_context):
    rows = [
        {
            "label": "L'absence de financement",
            "short_label": "Financement",
            "counts": [0, 1, 4, 12],
            "total": 17,
            "note": "moyenne 3,6",
        },
        {"label": "Gouvernance", "counts": [5, 5, 4, 3], "total": 17, "note": "2,3"},
    ]
    html = render(STACKED, rows=rows)
    assert_accessible_figure(html, "freins", "Freins")
    assert "Financement — moyenne 3,6" in html
    # Levels 2 and 3 are hatched (black-and-white print), level 1 and 4 light/dark.
    assert 'fill="url(#freins-motif-2)"' in html
    assert 'fill="url(#freins-motif-3)"' in html
    assert 'class="segment level-4"' in html
    # An empty level draws no segment; its 0 is still in the table.
    assert '<td class="text-end">0</td>' in html
    segments = re.findall(r'<rect class="segment level-\d" x="[\d.]+" y="(?!4")', html)
    assert len(segments) == 3 + 4


def test_grouped_chart_for_comparisons(request_context):
    html = render(GROUPED)
    assert_accessible_figure(html, "duo", "Avant, après")
    assert ">2023</th>" in html
    assert ">2026</th>" in html
    assert "100 %" in html
    assert "–" in html  # a missing value is said, not drawn


def test_results_page_charts_are_figures_with_tables(client, login, officer):
    campaign = SurveyCampaignFactory()
    SurveyResponseFactory.create_batch(3, campaign=campaign)
    login(officer)
    html = client.get(f"/diagnostic/campagnes/{campaign.id}/resultats").get_data(
        as_text=True
    )
    for chart_id in ("graphique-reponses", "graphique-freins", "graphique-besoins"):
        assert f'<figure class="chart" id="{chart_id}"' in html
        assert f'<figcaption id="{chart_id}-titre"' in html
    assert html.count('role="img"') == 3
    assert html.count('<table class="table table-sm chart-table">') == 3
    assert " style=" not in html
