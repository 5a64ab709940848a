"""Error pages are French, helpful, and server errors log one line without data."""

import logging

import pytest

from matching.accounts import views as account_views


def test_404_page_is_french(client):
    response = client.get("/page-qui-n-existe-pas")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page introuvable" in page
    assert "Revenir à l'accueil" in page


def test_403_page_is_french(client, login, candidate):
    login(candidate)
    response = client.get("/equipe")
    assert response.status_code == 403
    assert "Accès refusé" in response.get_data(as_text=True)


def test_405_page_is_french(client):
    response = client.get("/deconnexion")
    assert response.status_code == 405
    assert "Action non permise" in response.get_data(as_text=True)


def test_500_rolls_back_and_logs_one_line_without_request_data(
    app, client, caplog, monkeypatch, candidate
):
    def explode(*args, **kwargs):
        raise ValueError(f"secret detail {candidate.email}")

    monkeypatch.setattr(account_views.services, "request_password_reset", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    with caplog.at_level(logging.ERROR):
        response = client.post("/mot-de-passe/oublie", data={"email": candidate.email})
    assert response.status_code == 500
    assert "Rien n'a été enregistré" in response.get_data(as_text=True)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = errors[0].getMessage()
    assert line.startswith("500 POST /mot-de-passe/oublie ValueError at ")
    assert candidate.email not in caplog.text
    assert "secret detail" not in caplog.text


@pytest.mark.app_config(TRUSTED_HOSTS=["passerelle.test"])
def test_untrusted_host_gets_a_plain_400(client):
    response = client.get("/", headers={"Host": "evil.test"})
    assert response.status_code == 400
    assert "Demande incorrecte" in response.get_data(as_text=True)


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        "/offres",
        "/accompagnements",
        "/fiches-de-poste",
        "/equipe/candidats",
        "/equipe/interets",
        "/structures",
        "/mises-en-relation",
        "/embauches",
        "/admin/utilisateurs",
        "/admin/emails",
    ],
)
def test_a_page_number_beyond_any_list_is_an_empty_page_not_an_error(
    client, login, admin, path
):
    login(admin)
    response = client.get(f"{path}?page={HUGE}")
    assert response.status_code == 200
    assert client.get(f"{path}?page=-3").status_code == 200


def test_a_candidate_page_number_beyond_the_journal_is_not_an_error(
    client, login, admin, make_candidate
):
    candidate = make_candidate()
    login(admin)
    path = f"/equipe/candidats/{candidate.id}/journal?page={HUGE}"
    assert client.get(path).status_code == 200
