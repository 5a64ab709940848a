"""The officer's candidate list: fuzzy, accent-insensitive search and filters, a
constant number of queries, and fast with 50,000 profiles."""

import contextlib
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import event, insert, select

from matching.audit.models import AuditEvent
from matching.candidates import search
from matching.candidates.models import Candidate
from matching.candidates.search import CandidateFilters, search_candidates
from matching.extensions import db
from matching.vocab import fold


@contextlib.contextmanager
def count_queries():
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def names(page) -> list[str]:
    return [c.display_name for c in page.items]


@pytest.fixture
def pool(make_candidate):
    make_candidate(
        user=None,
        display_name="Hélène Dupont",
        email="helene@example.org",
        commune="Colomiers",
        commune_insee="31149",
        sectors=["sante_mentale_psychiatrie"],
        titles=["mediateur_sante_pair"],
        consent=["equipe"],
        domains={"troubles_psychiques": "prive"},
        background_text="Longtemps bénévole en réduction des risques.",
    )
    make_candidate(
        user=None,
        display_name="Karim Benssaïd",
        department="82",
        commune="Montauban",
        commune_insee="82121",
        status="en_pause",
        available_from=date.today() + timedelta(days=200),
    )
    make_candidate(user=None, display_name="Anaïs Ferrand", titles=["interprete"])
    make_candidate(user=None, display_name="Old One", anonymised_at=date.today())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helene", ["Hélène Dupont"]),
        ("HÉLÈNE", ["Hélène Dupont"]),
        ("dupond", ["Hélène Dupont"]),  # typo in the name
        ("benssaid", ["Karim Benssaïd"]),
        ("montauban", ["Karim Benssaïd"]),  # commune
        ("colomier", ["Hélène Dupont"]),  # commune, last letter missing
        ("reduction risques", ["Hélène Dupont"]),  # words of the profile's text
        ("réductions", ["Hélène Dupont"]),  # stemmed
        ("interprete", ["Anaïs Ferrand"]),  # title
        ("zzzz", []),
        ("old one", []),  # anonymised profiles are never listed
    ],
)
def test_fuzzy_accent_insensitive_search(officer, pool, query, expected):
    page = search_candidates(officer, CandidateFilters(q=query), 1, 25)
    assert names(page)[: len(expected) or None] == expected or (
        not expected and names(page) == []
    )


def test_best_match_comes_first(officer, make_candidate):
    make_candidate(user=None, display_name="Lucas Martinez")
    make_candidate(user=None, display_name="Martine Lucas")
    make_candidate(user=None, display_name="Luc Marty")
    page = search_candidates(officer, CandidateFilters(q="lucas martinez"), 1, 25)
    assert names(page)[0] == "Lucas Martinez"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"status": "en_pause"}, {"Karim Benssaïd"}),
        ({"sector": "sante_mentale_psychiatrie"}, {"Hélène Dupont"}),
        ({"title": "interprete"}, {"Anaïs Ferrand"}),
        ({"domain": "troubles_psychiques"}, {"Hélène Dupont"}),
        ({"department": "82"}, {"Karim Benssaïd"}),
        ({"commune_insee": "31149"}, {"Hélène Dupont"}),
        (
            {"available_before": date.today() + timedelta(days=30)},
            {"Hélène Dupont", "Anaïs Ferrand"},
        ),
        ({"department": "31", "q": "anais"}, {"Anaïs Ferrand"}),
    ],
)
def test_filters(officer, pool, filters, expected):
    page = search_candidates(officer, CandidateFilters(**filters), 1, 25)
    assert set(names(page)) == expected


def test_the_list_page_filters_and_audits_sensitive_searches(
    client, login, officer, pool
):
    login(officer)
    page = client.get(
        "/equipe/candidats?q=reduction&domain=troubles_psychiques"
    ).get_data(as_text=True)
    assert "Hélène Dupont" in page
    assert "Karim" not in page
    audit = db.session.scalar(select(AuditEvent))
    assert (audit.action, audit.subject_type) == (
        "candidate.search",
        "candidate_search",
    )
    assert audit.details == {"filters": ["q", "domain"], "count": 1}
    assert "reduction" not in str(audit.details)
    client.get("/equipe/candidats?status=actif")
    assert db.session.scalar(select(db.func.count(AuditEvent.id))) == 1


def test_invalid_filters_are_shown_and_ignored(client, login, officer, pool):
    login(officer)
    response = client.get("/equipe/candidats?status=nimporte&commune=Atlantide")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nous ne trouvons pas cette commune" in page
    assert "Karim Benssaïd" in page


def test_the_list_costs_the_same_queries_whatever_the_number_of_rows(
    client, login, officer, make_candidate
):
    login(officer)
    make_candidate(user=None, display_name="Camille Premier")
    for path in ("/equipe/candidats", "/equipe/candidats?q=camille"):
        client.get(path)  # warm up (compiled statements, translations)
        search._names_cache.clear()  # both requests read the names afresh
        with count_queries() as few:
            client.get(path)
        for n in range(30):
            make_candidate(user=None, display_name=f"Camille Numéro {n}")
        search._names_cache.clear()
        with count_queries() as many:
            page = client.get(path).get_data(as_text=True)
        assert "Camille Numéro" in page
        assert len(many) == len(few), path


@pytest.mark.slow
def test_search_stays_fast_with_fifty_thousand_candidates(officer):
    rows = [
        {
            "display_name": f"Prénom{n} Nom{n % 997}",
            "name_search": fold(f"Prénom{n} Nom{n % 997}"),
            "search_text": fold(f"Prénom{n} Nom{n % 997} toulouse 31 aller vers"),
            "commune": "Toulouse",
            "commune_insee": "31555",
            "department": "31",
            "status": "actif",
            "contract_types": [],
            "sectors": ["ahi_hebergement"] if n % 3 else [],
            "titles": ["travailleur_pair"],
            "functions": [],
            "languages": [],
            "background_sharing": "prive",
            "peer_help_sharing": "prive",
            "registration_step": 5,
        }
        for n in range(50_000)
    ]
    db.session.execute(insert(Candidate), rows)
    db.session.commit()
    timings = {}
    for label, filters in (
        ("plain", CandidateFilters()),
        ("name", CandidateFilters(q="prenom4242 nom254")),
        ("typo", CandidateFilters(q="prenon4242")),
        ("filtered", CandidateFilters(q="nom12", sector="ahi_hebergement")),
    ):
        start = time.perf_counter()
        page = search_candidates(officer, filters, 1, 25)
        timings[label] = time.perf_counter() - start
        assert page.items, label
    assert (
        names(search_candidates(officer, CandidateFilters(q="prenom4242"), 1, 5))[0]
        == "Prénom4242 Nom254"
    )
    assert max(timings.values()) < 2.0, timings


def test_one_or_two_letters_match_the_start_of_a_name(officer, pool):
    page = search_candidates(officer, CandidateFilters(q="ka"), 1, 25)
    assert names(page) == ["Karim Benssaïd"]
    page = search_candidates(officer, CandidateFilters(q="d"), 1, 25)
    assert names(page) == ["Hélène Dupont"]


def test_names_kept_between_requests_follow_every_change(
    client, login, officer, make_candidate
):
    login(officer)
    person = make_candidate(user=None, display_name="Camille Premier")
    assert "Camille Premier" in client.get("/equipe/candidats?q=camille").text
    person.display_name = "Dominique Second"
    person.name_search = "dominique second"  # as the profile services store it
    db.session.commit()
    assert "Dominique Second" in client.get("/equipe/candidats?q=dominique").text
    assert "Camille Premier" not in client.get("/equipe/candidats?q=camille").text
    make_candidate(user=None, display_name="Camille Troisième")
    assert "Camille Troisième" in client.get("/equipe/candidats?q=camille").text


@pytest.mark.parametrize(
    "query", ["helene", "benssaid karim", "reduction risques", "benevol", "toulouze"]
)
def test_texts_kept_between_requests_rank_as_the_database_does(officer, pool, query):
    """Without filters the ranking reads the texts kept in memory; with a filter
    that keeps everyone it asks the database: both give the same scores."""
    from_memory, _ = search.rank(officer, CandidateFilters(q=query))
    from_sql, _ = search.rank(
        officer, CandidateFilters(q=query, available_before=date(2100, 1, 1))
    )
    assert from_memory == from_sql
    assert from_memory
