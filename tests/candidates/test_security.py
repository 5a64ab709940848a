"""Escaping, no inline script or style, no header injection on candidate pages
(SECURITY.md rows 16, 18, 22)."""

import pytest
from sqlalchemy import select

from matching.candidates.models import Candidate
from matching.extensions import db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_candidate_texts_are_rendered_escaped(
    client, login, officer, make_candidate, make_posting, payload
):
    candidate = make_candidate(
        display_name=payload,
        consent=["equipe", "profil_anonyme"],
        background_text=payload,
        background_sharing="public_employeurs",
        peer_help_text=payload,
    )
    posting = make_posting(custom_title=payload, missions=payload)
    login(candidate.user)
    paths = ["/candidat/profil", "/candidat/profil/apercu", "/candidat/mes-donnees"]
    paths += ["/candidat", "/offres", f"/offres/{posting.id}"]
    for path in paths:
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page, path
        assert "<img src=x" not in page, path
        assert 'href="javascript:' not in page, path
    login(officer)
    for path in (
        f"/equipe/candidats/{candidate.id}",
        "/equipe/candidats",
        f"/equipe/candidats/{candidate.id}/journal",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)" not in page, path
        assert "<img src=x" not in page, path


def test_candidate_pages_have_no_inline_script_or_style(
    client, login, officer, make_candidate, make_posting
):
    candidate = make_candidate(consent=["equipe"])
    posting = make_posting()
    login(candidate.user)
    paths = [
        "/candidat",
        "/candidat/profil",
        "/candidat/profil/apercu",
        "/candidat/profil/accord",
        "/candidat/mes-donnees",
        "/candidat/effacer",
        "/offres",
        f"/offres/{posting.id}",
        *[f"/candidat/profil/etape/{n}" for n in range(1, 6)],
    ]
    for path in paths:
        response = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
        page = response.get_data(as_text=True)
        assert "<script>" not in page, path
        assert " style=" not in page, path
        assert " onclick=" not in page, path
    login(officer)
    for path in (
        "/equipe",
        "/equipe/candidats",
        "/equipe/candidats/nouveau",
        f"/equipe/candidats/{candidate.id}",
        f"/equipe/candidats/{candidate.id}/accord",
        "/equipe/interets",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page, path
        assert " style=" not in page, path


def test_line_breaks_in_a_name_that_reaches_an_email_are_refused(
    client, login, officer, outbox
):
    login(officer)
    response = client.post(
        "/equipe/candidats/nouveau",
        data={
            "display_name": "Camille\r\nBcc: evil@example.org",
            "email": "c@example.org",
        },
    )
    assert response.status_code == 200
    assert "caractères invisibles" in response.get_data(as_text=True)
    assert db.session.scalar(select(Candidate)) is None
    assert outbox == []
