"""Accessibility of every main page of every role: axe-core finds no violation of
impact serious or critical; forms announce their errors; pages stay usable at 200 %
zoom and on a 375 px-wide phone (no sideways scrolling)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from e2e.conftest import DEMO_PASSWORD, EMPLOYER, OFFICER, log_in

CANDIDATE = "alex.martin@example.org"
BLOCKING = {"serious", "critical"}


def ids(app) -> dict:
    one = lambda sql, *p: app.query(sql, *p)[0][0]  # noqa: E731
    employer_org = one(
        "SELECT organisation_id FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.email = ?",
        EMPLOYER,
    )
    alex = one("SELECT c.id FROM candidates c WHERE c.email = ?", CANDIDATE)
    return {
        "org": employer_org,
        "case": one(
            "SELECT id FROM support_cases WHERE organisation_id = ?", employer_org
        ),
        "posting": one(
            "SELECT id FROM job_postings WHERE organisation_id = ? "
            "AND status = 'publiee'",
            employer_org,
        ),
        "candidate": alex,
        "intro": one(
            "SELECT i.id FROM introductions i JOIN job_postings p ON p.id = posting_id "
            "WHERE p.organisation_id = ? AND i.status IN "
            "('transmise_employeur', 'entretien', 'embauche') ORDER BY i.id",
            employer_org,
        ),
        "own_intro": one(
            "SELECT id FROM introductions WHERE candidate_id = ? ORDER BY id", alex
        ),
        "placement": one("SELECT id FROM placements ORDER BY id"),
        "campaign": one("SELECT id FROM survey_campaigns ORDER BY id"),
    }


PAGES = {
    None: [
        "/",
        "/offres",
        "/offres/{posting}",
        "/connexion",
        "/inscription/candidat",
        "/inscription/employeur",
        "/mot-de-passe/oublie",
        "/confidentialite",
        "/accessibilite",
    ],
    CANDIDATE: [
        "/candidat",
        "/candidat/profil",
        "/candidat/profil/etape/1",
        "/candidat/profil/etape/2",
        "/candidat/profil/etape/3",
        "/candidat/profil/etape/4",
        "/candidat/profil/etape/5",
        "/candidat/profil/accord",
        "/candidat/profil/apercu",
        "/candidat/mises-en-relation",
        "/candidat/mises-en-relation/{own_intro}",
        "/candidat/mes-donnees",
        "/candidat/effacer",
        "/offres/{posting}",
        "/compte",
        "/compte/notifications",
    ],
    EMPLOYER: [
        "/employeur",
        "/structures/{org}",
        "/employeur/accompagnements",
        "/accompagnements/{case}",
        "/accompagnements/{case}/preparation",
        "/accompagnements/{case}/freins",
        "/accompagnements/{case}/financements/nouveau",
        "/fiches-de-poste",
        "/fiches-de-poste/nouvelle",
        "/fiches-de-poste/{posting}",
        "/employeur/candidatures",
        "/employeur/candidatures/{intro}",
        "/embauches",
        "/employeur/tableau-de-bord",
    ],
    OFFICER: [
        "/equipe",
        "/accompagnements",
        "/accompagnements/tableau",
        "/accompagnements/{case}",
        "/structures",
        "/structures/{org}",
        "/equipe/candidats",
        "/equipe/candidats/nouveau",
        "/equipe/candidats/{candidate}",
        "/equipe/candidats/{candidate}/offres-suggerees",
        "/fiches-de-poste/{posting}/suggestions",
        "/mises-en-relation",
        "/mises-en-relation/{intro}",
        "/embauches",
        "/embauches/{placement}",
        "/equipe/interets",
        "/tableau-de-bord",
        "/tableau-de-bord/rapport/2026",
        "/diagnostic",
        "/diagnostic/campagnes/{campaign}/resultats",
        "/imports",
        "/admin/utilisateurs",
        "/admin/emails",
        "/admin/ponderation",
    ],
}
ROLE_NAMES = {None: "visiteur", CANDIDATE: "candidat", EMPLOYER: "employeur"}


def _blocking(results) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {v['help']} — "
        + " | ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize(
    "account", list(PAGES), ids=lambda a: ROLE_NAMES.get(a, "chargee")
)
def test_no_serious_or_critical_violation(page: Page, app, account):
    if account:
        log_in(page, account, DEMO_PASSWORD)
    known = ids(app)
    axe = Axe()
    found = {}
    for path in PAGES[account]:
        url = path.format(**known)
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        problems = _blocking(axe.run(page))
        if problems:
            found[url] = problems
    assert found == {}, "\n".join(f"{u}: {p}" for u, ps in found.items() for p in ps)


@pytest.mark.parametrize(
    "viewport",
    [{"width": 640, "height": 800}, {"width": 375, "height": 740}],
    ids=["zoom-200", "phone-375"],
)
@pytest.mark.parametrize(
    "account", list(PAGES), ids=lambda a: ROLE_NAMES.get(a, "chargee")
)
def test_pages_fit_narrow_screens(browser, app, account, viewport):
    """200 % zoom on a 1280 px screen leaves 640 CSS pixels; a phone has 375."""
    context = browser.new_context(base_url=app.url, locale="fr-FR", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if account:
        log_in(page, account, DEMO_PASSWORD)
    known = ids(app)
    too_wide = []
    for path in PAGES[account]:
        url = path.format(**known)
        page.goto(url)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        if overflow > 1:
            too_wide.append(f"{url} (+{overflow}px)")
    context.close()
    assert too_wide == []


def test_form_errors_are_announced_next_to_their_fields(page: Page, app):
    page.goto("/inscription/candidat")
    page.get_by_role("button", name="Créer mon compte").click()
    summary = page.locator("[role=alert]").first
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    email = page.get_by_label("Adresse e-mail")
    expect(email).to_have_attribute("aria-invalid", "true")
    described = email.get_attribute("aria-describedby") or ""
    messages = " ".join(
        page.locator(f"#{part}").inner_text() for part in described.split()
    )
    assert "Indiquez" in messages


def test_focus_is_visible_on_links_buttons_and_fields(page: Page, app):
    page.goto("/connexion")
    seen = 0
    for _ in range(12):
        page.keyboard.press("Tab")
        visible = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                   || (s.boxShadow && s.boxShadow !== 'none'); }"""
        )
        assert visible, page.evaluate("() => document.activeElement.outerHTML")
        seen += 1
    assert seen == 12


def test_the_axe_check_can_fail(page: Page, app):
    """The check above is live: a picture without text alternative is caught."""
    page.goto("/")
    page.evaluate(
        "() => document.querySelector('main').appendChild(document.createElement('img'))"
    )
    assert any("image-alt" in problem for problem in _blocking(Axe().run(page)))


def test_a_long_word_wraps_instead_of_widening_the_page(browser, app):
    """A title pasted without spaces (200 letters) stays within a phone's width."""
    context = browser.new_context(
        base_url=app.url, locale="fr-FR", viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    log_in(page, OFFICER, DEMO_PASSWORD)
    case = ids(app)["case"]
    page.goto(f"/accompagnements/{case}/modifier")
    page.get_by_label("Projet accompagné").fill("Projet" + "x" * 190)
    page.locator("main button[type=submit]").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Projetxxx")
    too_wide = []
    for url in (
        f"/accompagnements/{case}",
        "/accompagnements/tableau",
        "/accompagnements",
    ):
        page.goto(url)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - window.innerWidth"
        )
        if overflow > 1:
            too_wide.append(f"{url} (+{overflow}px)")
    context.close()
    assert too_wide == []
