"""The main menu for each role. Features add their entries here; an entry whose
endpoint does not exist (feature not installed) is skipped."""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from matching import access


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    admin_only: bool = False
    more: bool = False  # listed under "Plus", so the bar fits on a laptop screen


MENUS = {
    "anonymous": [
        NavItem("core.home", _l("Accueil")),
        NavItem("offers.index", _l("Offres d'emploi")),
        NavItem("accounts.register_candidate", _l("Je cherche un poste")),
        NavItem("accounts.register_employer", _l("Je recrute")),
    ],
    "officer": [
        NavItem("core.officer_home", _l("Accueil")),
        NavItem("cases.index", _l("Accompagnements")),
        NavItem("organisations.index", _l("Structures")),
        NavItem("candidates.index", _l("Candidat·es")),
        NavItem("introductions.index", _l("Mises en relation")),
        NavItem("dashboard.index", _l("Tableau de bord")),
        NavItem("postings.index", _l("Fiches de poste"), more=True),
        NavItem("introductions.placements", _l("Embauches et suivi"), more=True),
        NavItem("survey.index", _l("Diagnostic territorial"), more=True),
        NavItem("offers.interests", _l("Intérêts pour les offres"), more=True),
        NavItem("admin.users", _l("Administration"), admin_only=True, more=True),
    ],
    "employer": [
        NavItem("core.employer_home", _l("Ma structure")),
        NavItem("cases.employer_list", _l("Mon accompagnement")),
        NavItem("postings.index", _l("Mes fiches de poste")),
        NavItem("dashboard.employer", _l("Nos chiffres")),
        NavItem("introductions.employer_list", _l("Candidatures reçues")),
    ],
    "candidate": [
        NavItem("core.candidate_home", _l("Mon espace")),
        NavItem("candidates.my_profile", _l("Mon profil")),
        NavItem("offers.index", _l("Offres d'emploi")),
        NavItem("introductions.candidate_list", _l("Mes mises en relation")),
        NavItem("candidates.my_data", _l("Mes données")),
    ],
}


def menu_for(user) -> list[dict]:
    role = user.role if user and user.is_authenticated else "anonymous"
    if role == "employer" and access.active_organisation_id(user) is None:
        return []
    items = []
    for item in MENUS[role]:
        if item.endpoint not in current_app.view_functions:
            continue
        if item.admin_only and not access.is_admin(user):
            continue
        url = url_for(item.endpoint)
        items.append(
            {
                "url": url,
                "label": item.label,
                "active": request.endpoint == item.endpoint,
                "more": item.more,
            }
        )
    return items
