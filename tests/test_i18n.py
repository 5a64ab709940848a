"""French by default, English provided, the choice kept on the account."""

from datetime import date, datetime

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import force_locale

from matching import ROOT
from matching.core.templating import date_fr, datetime_fr
from matching.extensions import db


def test_french_is_the_default(client):
    page = client.get("/connexion").get_data(as_text=True)
    assert 'lang="fr"' in page
    assert "Mot de passe oublié ?" in page


def test_anonymous_visitor_switches_to_english(client):
    response = client.post("/langue", data={"locale": "en", "next": "/connexion"})
    assert response.headers["Location"] == "/connexion"
    page = client.get("/connexion").get_data(as_text=True)
    assert 'lang="en"' in page
    assert "Forgotten your password?" in page


def test_language_choice_is_stored_on_the_account(client, login, candidate):
    login(candidate)
    client.post("/langue", data={"locale": "en"})
    db.session.refresh(candidate)
    assert candidate.locale == "en"
    assert "My space" in client.get("/candidat").get_data(as_text=True)


def test_unknown_language_and_foreign_next_are_ignored(client):
    response = client.post(
        "/langue", data={"locale": "xx", "next": "https://evil.test"}
    )
    assert response.headers["Location"] == "/"
    assert 'lang="fr"' in client.get("/").get_data(as_text=True)


def test_form_errors_are_translated(client):
    client.post("/langue", data={"locale": "en"})
    page = client.post("/mot-de-passe/oublie", data={"email": ""}).get_data(
        as_text=True
    )
    assert "Enter your email address." in page


def test_dates_are_french_and_times_in_paris(app):
    with app.test_request_context(), force_locale("fr"):
        assert date_fr(date(2026, 3, 1)) == "1er mars 2026"
        # 23:30 UTC on 31 March is already 1 April in Paris (summer time).
        assert date_fr(datetime(2026, 3, 31, 23, 30)) == "1er avril 2026"
        assert datetime_fr(datetime(2026, 1, 15, 8, 0)) == "15 janvier 2026 à 09:00"


def test_every_message_has_an_english_translation():
    """Adding a French string without its English translation fails here."""
    method_map = [
        ("matching/**.py", "python"),
        ("templates/**.html", "jinja2"),
        ("templates/**.txt", "jinja2"),
    ]
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "_l": None,
        "lazy_gettext": None,
    }
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(ROOT),
        method_map,
        keywords=keywords,
        options_map={"templates/**.html": {}, "templates/**.txt": {}},
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    catalog_path = ROOT / "matching/translations/en/LC_MESSAGES/messages.po"
    with catalog_path.open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id
        and (all(m.string) if isinstance(m.string, tuple) else m.string)
        and not m.fuzzy
    }
    missing = sorted(found - translated)
    assert missing == [], (
        f"{len(missing)} messages lack an English translation "
        f"(run `make extract-messages`, then translate): {missing[:10]}"
    )


def test_the_english_catalog_compiles_without_errors():
    """pybabel refuses a translation whose placeholders differ from the source's."""
    from babel.messages.catalog import Catalog

    catalog_path = ROOT / "matching/translations/en/LC_MESSAGES/messages.po"
    with catalog_path.open("rb") as handle:
        catalog: Catalog = read_po(handle)
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalog.check()
    ]
    assert problems == []
