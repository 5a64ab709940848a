"""Fictional demo data. No person named in the reference document appears here.

Every loader is idempotent: it looks records up by a natural key before creating them.
Later features add their own loaders to ``LOADERS``.
"""

from sqlalchemy import select

from matching.accounts.models import User
from matching.accounts.passwords import hash_password
from matching.communes.data import resolve_commune
from matching.core.timeutils import utcnow
from matching.extensions import db
from matching.organisations.models import Membership, Organisation
from matching.vocab import fold

DEMO_PASSWORD = "travail-pair-toulouse"  # noqa: S105  (shown to developers on purpose)

OFFICERS = [
    ("camille.durand@example.org", "Camille Durand", True),
    ("samir.benali@example.org", "Samir Benali", False),
    ("ines.morel@example.org", "Inès Morel", False),
]

# (name, sector, structure type, legal status, commune, headcount, peer workers)
ORGANISATIONS = [
    (
        "Le Relais du Canal",
        "ahi_hebergement",
        "chrs",
        "association",
        "Toulouse",
        "51-250",
        1,
    ),
    (
        "Foyer Les Tilleuls",
        "ahi_hebergement",
        "chu",
        "association",
        "Toulouse",
        "11-50",
        0,
    ),
    (
        "Accueil de jour Le Fil",
        "veille_sociale",
        "accueil_de_jour",
        "association",
        "Toulouse",
        "11-50",
        0,
    ),
    (
        "Maraude Garonne Solidaire",
        "veille_sociale",
        "autre",
        "association",
        "Toulouse",
        "1-10",
        2,
    ),
    (
        "Pension de famille Les Platanes",
        "logement_accompagne",
        "pension_de_famille",
        "association",
        "Colomiers",
        "1-10",
        0,
    ),
    (
        "Un Toit d'Abord 31",
        "logement_accompagne",
        "act_un_chez_soi",
        "gcsms",
        "Toulouse",
        "11-50",
        3,
    ),
    (
        "CSAPA Rive Gauche",
        "addictologie_rdr",
        "csapa",
        "association",
        "Toulouse",
        "11-50",
        1,
    ),
    (
        "CAARUD L'Escale Mobile",
        "addictologie_rdr",
        "caarud",
        "association",
        "Toulouse",
        "1-10",
        2,
    ),
    (
        "Centre hospitalier des Coteaux",
        "sante_mentale_psychiatrie",
        "hopital_psychiatrique",
        "etablissement_public_sante",
        "Muret",
        "251+",
        0,
    ),
    (
        "CMP Blagnac Nord",
        "sante_mentale_psychiatrie",
        "cmp_cattp",
        "etablissement_public_sante",
        "Blagnac",
        "11-50",
        0,
    ),
    (
        "Équipe mobile Précarité Psy 31",
        "sante_mentale_psychiatrie",
        "empp",
        "etablissement_public_sante",
        "Toulouse",
        "1-10",
        1,
    ),
    (
        "GEM L'Envol",
        "sante_mentale_psychiatrie",
        "gem",
        "association",
        "Tournefeuille",
        "1-10",
        0,
    ),
    ("SAMSAH Horizon", "handicap", "samsah_savs", "association", "Balma", "11-50", 0),
    (
        "Centre de santé communautaire La Ruche",
        "sante_communautaire",
        "sante_communautaire",
        "association",
        "Toulouse",
        "11-50",
        2,
    ),
    (
        "Maison de santé du Comminges",
        "sante_soins_primaires",
        "centre_sante_cpts",
        "association",
        "Saint-Gaudens",
        "11-50",
        0,
    ),
    (
        "Terres d'Accueil",
        "exil_migration",
        "autre",
        "association",
        "Toulouse",
        "11-50",
        0,
    ),
    (
        "Les Jardins de la Garonne",
        "insertion_emploi",
        "siae",
        "association",
        "Portet-sur-Garonne",
        "11-50",
        0,
    ),
    (
        "Cap Avenir Jeunes Majeurs",
        "protection_enfance_jeunesse",
        "autre",
        "fondation",
        "Toulouse",
        "51-250",
        0,
    ),
    (
        "Trait d'Union Justice 31",
        "justice",
        "autre",
        "association",
        "Toulouse",
        "1-10",
        0,
    ),
    (
        "CCAS de Villefranche-de-Lauragais",
        "ahi_hebergement",
        "collectivite_ccas",
        "collectivite",
        "Villefranche-de-Lauragais",
        "11-50",
        0,
    ),
    (
        "Vivre Avec – programme ETP",
        "maladies_chroniques_etp",
        "centre_sante_cpts",
        "association",
        "L'Union",
        "1-10",
        0,
    ),
]

# (email, name, organisation, status, is organisation admin)
EMPLOYERS = [
    ("julie.fabre@example.org", "Julie Fabre", "Le Relais du Canal", "active", True),
    (
        "nadia.haddad@example.org",
        "Nadia Haddad",
        "Le Relais du Canal",
        "pending",
        False,
    ),
    ("thomas.roux@example.org", "Thomas Roux", "CSAPA Rive Gauche", "active", True),
    (
        "marc.lefevre@example.org",
        "Marc Lefèvre",
        "Centre hospitalier des Coteaux",
        "active",
        True,
    ),
    (
        "leila.mansour@example.org",
        "Leïla Mansour",
        "Centre de santé communautaire La Ruche",
        "active",
        True,
    ),
]

CANDIDATES = [
    ("alex.martin@example.org", "Alex Martin"),
    ("yasmina.belkacem@example.org", "Yasmina Belkacem"),
    ("jordan.petit@example.org", "Jordan Petit"),
    ("marie-helene.vidal@example.org", "Marie-Hélène Vidal"),
]

DEMO_LOGINS = [
    ("camille.durand@example.org", "Chargée de mission (admin)"),
    ("samir.benali@example.org", "Chargé de mission"),
    ("julie.fabre@example.org", "Employeur (Le Relais du Canal)"),
    ("thomas.roux@example.org", "Employeur (CSAPA Rive Gauche)"),
    ("nadia.haddad@example.org", "Employeur en attente de validation"),
    ("alex.martin@example.org", "Candidat·e"),
    ("yasmina.belkacem@example.org", "Candidate"),
]


def _password_hash() -> str:
    return hash_password(DEMO_PASSWORD)


def get_or_create_user(email, name, role, password_hash, is_admin=False) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            display_name=name,
            role=role,
            is_admin=is_admin,
            password_hash=password_hash,
            email_verified_at=utcnow(),
        )
        db.session.add(user)
    return user


def load_accounts_and_organisations() -> dict[str, int]:
    password_hash = _password_hash()
    for email, name, is_admin in OFFICERS:
        get_or_create_user(email, name, "officer", password_hash, is_admin)
    organisations = {}
    for name, sector, kind, legal, commune_name, band, peers in ORGANISATIONS:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == name)
        )
        if organisation is None:
            commune, _ = resolve_commune(commune_name)
            organisation = Organisation(
                name=name,
                name_search=fold(name),
                sector=sector,
                structure_type=kind,
                legal_status=legal,
                commune_insee=commune.insee,
                commune=commune.name,
                department=commune.department,
                headcount_band=band,
                peer_workers_count=peers,
            )
            db.session.add(organisation)
        organisations[name] = organisation
    db.session.flush()
    for email, name, org_name, status, org_admin in EMPLOYERS:
        user = get_or_create_user(email, name, "employer", password_hash)
        db.session.flush()
        if user.membership is None:
            db.session.add(
                Membership(
                    user=user,
                    organisation=organisations[org_name],
                    status=status,
                    is_org_admin=org_admin,
                    decided_at=utcnow() if status == "active" else None,
                )
            )
    for email, name in CANDIDATES:
        get_or_create_user(email, name, "candidate", password_hash)
    db.session.flush()
    return {
        "comptes": len(OFFICERS) + len(EMPLOYERS) + len(CANDIDATES),
        "structures": len(ORGANISATIONS),
    }


def _load_cases():
    from matching.demo.cases import load_cases

    return load_cases()


def load_candidates() -> dict[str, int]:
    from matching.candidates.demo import load_candidates as load

    return load()


def load_introductions() -> dict[str, int]:
    from matching.demo.introductions import load_introductions as load

    return load()


def _load_survey():
    from matching.survey.demo import load_survey

    return load_survey()


LOADERS = [
    load_accounts_and_organisations,
    _load_cases,
    load_candidates,
    load_introductions,
    _load_survey,
]


def load_all() -> dict[str, int]:
    counts: dict[str, int] = {}
    for loader in LOADERS:
        counts.update(loader())
    return counts
