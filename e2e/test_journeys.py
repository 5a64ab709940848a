"""The product the way its users meet it: five journeys in a real browser."""

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.actors import Keyboard, Mouse
from e2e.conftest import (
    NEW_PASSWORD,
    OFFICER,
    PASSWORD_LABEL,
    log_in,
    log_out,
)


def register(page: Page, app, kind: str, name: str, email: str) -> None:
    """Create an account through the form and confirm it with the e-mailed link."""
    page.goto(f"/inscription/{kind}")
    page.get_by_label("Votre nom ou prénom").fill(name)
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Mot de passe, une seconde fois").fill(NEW_PASSWORD)
    page.get_by_label("J'ai lu comment Passerelle utilise mes données").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(app.last_link(email, "/inscription/confirmer/"))
    if "/connexion" in page.url:
        log_in(page, email, NEW_PASSWORD)


def test_employer_newcomer(page: Page, app, shots):
    """A newcomer employer registers, creates the organisation, fills readiness and
    barriers, writes and publishes a job description, adds a funding line."""
    register(
        page, app, "employeur", "Inès Morel", "ines.morel@traversee.e2e.example.org"
    )
    expect(page.get_by_role("heading", name="Votre structure")).to_be_visible()
    shots(page, "structure")
    page.get_by_label("Nom de la structure").fill("Association La Traversée")
    page.get_by_label("Secteur principal").select_option(
        label="Accueil, hébergement, insertion (AHI)"
    )
    page.get_by_label("Commune").fill("Toulouse")
    page.get_by_role("button", name="Créer ma structure").click()
    expect(page.get_by_text("Votre structure est créée.")).to_be_visible()
    shots(page, "accueil-employeur")

    # The support case: asked for by the employer.
    page.goto("/employeur/accompagnements/demande")
    page.get_by_label("Votre projet en quelques mots").fill(
        "Un poste de travailleur·euse pair au centre d'hébergement"
    )
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "travailleur·euse pair"
    )
    case_url = page.url
    shots(page, "accompagnement")

    page.get_by_role("link", name="Remplir la préparation").click()
    # each item has its status (a list) and its note, labelled "Note – <item>"
    item = lambda name: page.get_by_role("combobox", name=name)  # noqa: E731
    item("La direction soutient le projet").select_option(label="Fait")
    item("L'équipe est informée et consultée").select_option(label="En cours")
    shots(page, "preparation")
    page.get_by_role("button", name="Enregistrer la préparation").click()
    expect(page.locator(".alert-success")).to_be_visible()

    page.goto(case_url)
    page.get_by_role("link", name="Évaluer les freins").click()
    page.get_by_role("group", name=re.compile("^1\\. ")).get_by_label(
        "4 – très important"
    ).check()
    page.get_by_role("group", name=re.compile("^5\\. ")).get_by_label(
        "3 – important"
    ).check()
    page.get_by_label("Soutien financier pour salarier").check()
    shots(page, "freins")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".alert-success")).to_be_visible()
    shots(page, "accompagnement-rempli")

    # The job description, written then published.
    page.goto(case_url)
    page.get_by_role("link", name="Écrire une fiche de poste").first.click()
    page.get_by_label("Intitulé du poste").select_option(label="Travailleur·euse pair")
    page.get_by_label("Aller-vers").check()
    page.get_by_label("Accompagnement individuel").check()
    page.get_by_label("Secteur", exact=False).first.select_option(
        label="Accueil, hébergement, insertion (AHI)"
    )
    page.get_by_label("Missions").fill(
        "Accueillir les personnes hébergées, aller vers celles qui restent à "
        "l'écart, soutenir leur rétablissement avec l'équipe."
    )
    page.get_by_label("Vie à la rue, sans-abrisme").check()
    page.get_by_label("Type de contrat").select_option(label="CDI")
    page.get_by_label("Temps de travail (ETP)").fill("0.8")
    page.get_by_label("Commune du poste").fill("Toulouse")
    shots(page, "fiche-de-poste")
    page.get_by_role("button", name="Enregistrer et publier").click()
    expect(page.get_by_text("Publiée").first).to_be_visible()
    shots(page, "fiche-publiee")

    # A funding line on the case.
    page.goto(case_url)
    page.get_by_role("link", name="Ajouter un financement").click()
    page.get_by_label("Financeur").select_option(label="DREETS")
    page.get_by_label("État").select_option(label="Déposé")
    page.get_by_label("Montant demandé (€)").fill("28000")
    page.get_by_label("Début de la période financée").fill("2027-01-01")
    page.get_by_label("Fin de la période financée").fill("2027-12-31")
    shots(page, "financement")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("DREETS").first).to_be_visible()
    expect(page.get_by_text("28 000").first).to_be_visible()
    shots(page, "accompagnement-finance")


def candidate_journey(page: Page, app, shots, actor, name: str, email: str) -> None:
    """Register through the guided form, choose sharing levels, preview what
    employers see, browse roles, say "je suis intéressé·e"."""
    act = actor(page)
    page.goto("/")
    act.press(page.get_by_role("link", name="Créer mon profil"))
    shots(page, "inscription")
    act.fill(page.get_by_label("Votre nom ou prénom"), name)
    act.fill(page.get_by_label("Adresse e-mail"), email)
    act.fill(page.get_by_label(PASSWORD_LABEL), NEW_PASSWORD)
    act.fill(page.get_by_label("Mot de passe, une seconde fois"), NEW_PASSWORD)
    act.check(page.get_by_label("J'ai lu comment Passerelle utilise mes données"))
    act.press(page.get_by_role("button", name="Créer mon compte"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(app.last_link(email, "/inscription/confirmer/"))
    if "/connexion" in page.url:
        act.fill(page.get_by_label("Adresse e-mail"), email)
        act.fill(page.get_by_label(PASSWORD_LABEL), NEW_PASSWORD)
        act.press(page.get_by_role("button", name="Se connecter"))
    shots(page, "mon-espace")

    # The guided form, step by step.
    if "/etape/1" not in page.url:
        act.press(page.get_by_role("link", name=re.compile("profil", re.I)).first)
    expect(page.get_by_role("heading", name="Où et quand")).to_be_visible()
    act.fill(page.get_by_label("Votre commune"), "Toulouse")
    act.fill(page.get_by_label("Jusqu'où pouvez-vous aller travailler"), "25")
    act.check(page.get_by_label("CDI", exact=True))
    act.check(page.get_by_label("Je cherche un poste"))
    shots(page, "etape-1")
    act.press(page.get_by_role("button", name="Enregistrer et continuer"))

    expect(page.get_by_role("heading", name="Ce que vous cherchez")).to_be_visible()
    act.check(page.get_by_label("Travailleur·euse pair", exact=True))
    act.check(page.get_by_label("Aller-vers"))
    act.check(page.get_by_label("Accueil, hébergement, insertion (AHI)"))
    shots(page, "etape-2")
    act.press(page.get_by_role("button", name="Enregistrer et continuer"))

    # Before anything about lived experience is stored: the consent notice.
    expect(page.get_by_role("heading", name="Votre expérience")).to_be_visible()
    if page.get_by_role("button", name="J'enregistre mes accords").count():
        shots(page, "accord")
        act.check(page.get_by_label(re.compile("^J'accepte que Passerelle garde")))
        act.check(page.get_by_label(re.compile("^J'accepte qu'un employeur voie")))
        act.press(page.get_by_role("button", name="J'enregistre mes accords"))
    expect(page.get_by_role("heading", name="Votre expérience")).to_be_visible()
    act.select(
        page.get_by_label("Vie à la rue, sans-abrisme"),
        "Après une mise en relation que j'ai acceptée",
    )
    act.select(
        page.get_by_label("Addictions, consommation de produits"),
        "Privé : seulement l'équipe Passerelle",
    )
    act.fill(
        page.get_by_label("Ce que votre parcours vous a appris"),
        "Deux ans à la rue m'ont appris à aller vers les personnes sans les brusquer.",
    )
    act.check(page.locator("#background_sharing-1"))
    shots(page, "etape-3-partage")
    act.press(page.get_by_role("button", name="Enregistrer et continuer"))

    expect(page.get_by_role("heading", name="Formations et langues")).to_be_visible()
    act.press(page.get_by_role("button", name="Enregistrer et continuer"))
    expect(page.get_by_role("heading", name="Aperçu et confirmation")).to_be_visible()
    shots(page, "etape-5")
    act.press(page.get_by_role("button", name="C'est bon, j'enregistre mon profil"))
    expect(page).to_have_url(re.compile(r"/candidat/profil$"))
    shots(page, "profil-enregistre")

    # Exactly what an employer sees, stage by stage.
    page.goto("/candidat/profil/apercu")
    expect(
        page.get_by_role("heading", name="Ce que voient les employeurs")
    ).to_be_visible()
    expect(page.get_by_text("Vie à la rue, sans-abrisme").first).to_be_visible()
    shots(page, "apercu-employeur")

    # Browse the roles and say "je suis intéressé·e".
    page.goto("/offres")
    shots(page, "offres")
    act.press(
        page.locator("main li.card")
        .filter(has_text="Le Relais du Canal")
        .get_by_role("link")
        .first
    )
    expect(
        page.get_by_role("heading", name="Ce poste vous intéresse ?")
    ).to_be_visible()
    act.fill(
        page.get_by_label("Un mot pour l'équipe Passerelle"),
        "Je travaille déjà en maraude bénévole.",
    )
    shots(page, "offre")
    act.press(page.get_by_role("button", name="Je suis intéressé·e"))
    expect(page.get_by_text("C'est noté").first).to_be_visible()
    shots(page, "interet-envoye")
    if isinstance(act, Keyboard):
        assert act.unfocused == [], act.unfocused


def test_candidate_registers_and_shows_interest(page: Page, app, shots):
    candidate_journey(
        page, app, shots, Mouse, "Sam Rivière", "sam.riviere@e2e.example.org"
    )
    assert app.query(
        "SELECT count(*) FROM interests JOIN candidates c ON c.id = candidate_id "
        "WHERE c.email = ?",
        "sam.riviere@e2e.example.org",
    ) == [(1,)]


def test_officer_introduces_and_employer_hires(page: Page, app, shots):
    """The officer takes the employer's request, opens the posting, reads the
    suggestions and their reasons, proposes the candidate; the candidate accepts;
    the employer sees the contact and records a hire; the follow-up milestones and
    their reminders appear; the officer's digest is in the outbox.
    Uses the organisation, posting and candidate of the two journeys above."""
    log_in(page, OFFICER)
    shots(page, "accueil-chargee")
    page.get_by_role("link", name="Association La Traversée").first.click()
    page.get_by_role("link", name="Modifier").first.click()
    page.get_by_label("Chargé·e de mission référent·e").select_option(
        label="Camille Durand"
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".alert-success")).to_be_visible()

    page.get_by_role("link", name="Travailleur·euse pair").first.click()
    page.get_by_role("link", name="Candidat·es suggéré·es").click()
    expect(page.get_by_role("heading", name="Candidat·es suggéré·es")).to_be_visible()
    row = (
        page.locator("li, article, tr, .card")
        .filter(has=page.get_by_role("heading", name=re.compile("Sam Rivière")))
        .last
    )
    expect(row).to_contain_text("Expérience de la rue")
    shots(page, "suggestions")
    page.get_by_role("button", name="Proposer le poste : Sam Rivière").click()
    expect(page.locator(".alert-success")).to_be_visible()
    shots(page, "proposee")
    log_out(page)

    # The candidate answers yes.
    log_in(page, "sam.riviere@e2e.example.org", NEW_PASSWORD)
    page.goto("/candidat/mises-en-relation")
    shots(page, "candidat-mises-en-relation")
    page.locator("main a[href*='/candidat/mises-en-relation/']").first.click()
    page.get_by_label("Oui, je suis d'accord pour être présenté·e").check()
    shots(page, "candidat-reponse")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(
        page.get_by_text("L'employeur a reçu votre candidature").first
    ).to_be_visible()
    log_out(page)

    # The employer sees the contact and records the hire.
    log_in(page, "ines.morel@traversee.e2e.example.org", NEW_PASSWORD)
    page.goto("/employeur/candidatures")
    page.get_by_role("link", name="Sam Rivière").first.click()
    expect(page.get_by_text("sam.riviere@e2e.example.org").first).to_be_visible()
    expect(page.get_by_text("Addictions")).to_have_count(0)
    shots(page, "employeur-candidature")
    page.get_by_role("link", name="J'embauche cette personne").click()
    page.get_by_label("Date d'arrivée").fill("2027-01-04")
    page.get_by_label(re.compile("^Contrat")).select_option(label="CDI")
    page.get_by_label("Temps de travail (ETP)").fill("0.8")
    shots(page, "embauche")
    page.get_by_role("button", name="Enregistrer l'embauche").click()
    expect(page.get_by_text("Accueil").first).to_be_visible()
    shots(page, "suivi-embauche")
    log_out(page)

    # The scheduler's pass: reminders of the follow-up, the officer's digest.
    app.flask("reminders", "run", "--digest-now")
    log_in(page, OFFICER)
    page.goto("/admin/emails")
    shots(page, "outbox")
    rows = app.query(
        "SELECT kind, key FROM email_messages WHERE recipient_email = ?", OFFICER
    )
    keys = [key for _kind, key in rows]
    assert any(key.startswith("placement_milestone_t7:") for key in keys), keys
    assert any(key.startswith("digest:") for key in keys), keys


KEYBOARD_EMAIL = "lou.garnier@e2e.example.org"


def test_candidate_journey_with_the_keyboard_only(page: Page, app, shots):
    """The same candidate journey, every control reached with Tab and used with
    Space, Enter, arrows and typing; every focused control shows its focus."""
    candidate_journey(page, app, shots, Keyboard, "Lou Garnier", KEYBOARD_EMAIL)


def test_candidate_exports_then_erases_their_data(page: Page, app, shots):
    """A candidate downloads all their data, reads the summary, then erases the
    account: the profile is anonymised and the login no longer works."""
    log_in(page, KEYBOARD_EMAIL, NEW_PASSWORD)
    page.goto("/candidat/mes-donnees")
    expect(page.get_by_role("heading", name="Vos accords")).to_be_visible()
    shots(page, "mes-donnees")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mes données (JSON)").click()
    download = download_info.value
    exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    text = json.dumps(exported, ensure_ascii=False)
    assert KEYBOARD_EMAIL in text
    assert "rue_sans_abrisme" in text or "Vie à la rue" in text
    assert "consent" in text

    page.get_by_role("link", name="Effacer mon compte et mes données").click()
    page.get_by_label("Je comprends que l'effacement est définitif.").check()
    page.get_by_label("Votre mot de passe").fill(NEW_PASSWORD)
    shots(page, "effacer")
    page.get_by_role("button", name="Effacer définitivement").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    shots(page, "efface")
    assert app.query(
        "SELECT count(*) FROM candidates WHERE email = ? OR display_name = ?",
        KEYBOARD_EMAIL,
        "Lou Garnier",
    ) == [(0,)]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(KEYBOARD_EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(
        page.get_by_text("Adresse e-mail ou mot de passe incorrect.")
    ).to_be_visible()
