"""Communes of Occitanie: lookup, suggestions, resolution of what people type."""

import pytest

from matching.communes.data import (
    communes,
    departments,
    distance_km,
    resolve_commune,
    search_communes,
)


def test_data_covers_the_13_departments_of_occitanie():
    found = {c.department for c in communes().values()}
    assert found == {
        "09",
        "11",
        "12",
        "30",
        "31",
        "32",
        "34",
        "46",
        "48",
        "65",
        "66",
        "81",
        "82",
    }
    assert len(communes()) > 4400
    toulouse = communes()["31555"]
    assert "31500" in toulouse.postcodes
    assert toulouse.latitude == pytest.approx(43.60, abs=0.05)


def test_neighbouring_departments_are_known():
    assert set(departments()["31"].neighbours) == {"09", "11", "32", "65", "81", "82"}
    assert "31" in departments()["09"].neighbours


@pytest.mark.parametrize(
    ("typed", "insee"),
    [
        ("Toulouse", "31555"),
        ("toulouse", "31555"),
        ("TOULOUSE (31000)", "31555"),
        ("31000", "31555"),
        ("31555", "31555"),
        ("St-Gaudens", "31483"),
        ("saint gaudens", "31483"),
        ("l'union", "31561"),
        ("Castelnau d'Estretefonds", "31118"),
        ("Montesquieu (82200)", "82127"),
    ],
)
def test_what_people_type_resolves_to_one_commune(typed, insee):
    commune, _ = resolve_commune(typed)
    assert commune is not None
    assert commune.insee == insee


def test_ambiguous_name_returns_the_candidates():
    commune, candidates = resolve_commune("Montesquieu")
    assert commune is None
    assert {c.department for c in candidates} == {"34", "82"}


def test_suggestions_put_main_towns_first():
    assert search_communes("tou")[0].name == "Toulouse"
    assert search_communes("nim")[0].name == "Nîmes"


def test_suggestions_endpoint(client):
    data = client.get("/communes/suggestions?q=colom").get_json()
    assert data["communes"][0] == {
        "insee": "31149",
        "label": "Colomiers (31770)",
        "department": "31",
    }
    assert client.get("/communes/suggestions?q=").get_json() == {"communes": []}


def test_great_circle_distance():
    toulouse, montpellier = communes()["31555"], communes()["34172"]
    km = distance_km(
        toulouse.latitude,
        toulouse.longitude,
        montpellier.latitude,
        montpellier.longitude,
    )
    assert 195 < km < 200
