"""About forty fictional candidates for the demo, mostly in Haute-Garonne.

Names are invented (none appears in the reference document). The profiles vary in
experience domains, sharing levels, consent, availability, working time and commune;
the loader is idempotent (a profile is looked up by its e-mail address).
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from matching import access, vocab
from matching.accounts.models import User
from matching.candidates import services
from matching.candidates.consent import CONSENT_VERSION
from matching.candidates.models import (
    Candidate,
    CandidateDomain,
    CandidateEvent,
    ConsentRecord,
    Training,
)
from matching.communes.data import resolve_commune
from matching.core.timeutils import utcnow
from matching.extensions import db

FIRST_NAMES = [
    "Alexis", "Amina", "Bastien", "Bintou", "Camille", "Chloé", "Dylan", "Élodie",
    "Farid", "Gaëlle", "Hugo", "Inès", "Jérémy", "Kenza", "Léo", "Malik", "Nadège",
    "Noé", "Océane", "Pascal", "Quentin", "Rachida", "Sacha", "Sofiane", "Tania",
    "Théo", "Ulysse", "Valérie", "Wassim", "Yanis", "Zoé", "Adèle", "Baptiste",
    "Coralie", "Djamel", "Estelle",
]  # fmt: skip
LAST_NAMES = [
    "Arnaud", "Besson", "Cazals", "Delmas", "Escudier", "Fauré", "Gimenez",
    "Hébrard", "Izard", "Jouve", "Lacaze", "Mercadier", "Nogaret", "Olivé",
    "Pujol", "Rouquette", "Sabatier", "Teulières", "Vergnes", "Bousquet",
    "Cabrol", "Dupuy", "Estève", "Fourcade",
]  # fmt: skip
# Mostly Haute-Garonne, a few elsewhere in Occitanie.
COMMUNES = ["Toulouse"] * 14 + [
    "Colomiers",
    "Tournefeuille",
    "Blagnac",
    "Muret",
    "Balma",
    "L'Union",
    "Ramonville-Saint-Agne",
    "Saint-Gaudens",
    "Villefranche-de-Lauragais",
    "Castanet-Tolosan",
    "Cugnaux",
    "Plaisance-du-Touch",
    "Revel",
    "Saint-Orens-de-Gameville",
    "Fronton",
    "Carbonne",
    "Albi",
    "Montauban",
    "Castres",
    "Auch",
    "Foix",
    "Montpellier",
]
BACKGROUNDS = [
    "Quatre ans à la rue m'ont appris à repérer ce qui aide vraiment quelqu'un qui "
    "arrive, et à ne rien promettre que je ne peux pas tenir.",
    "Je sais ce que c'est d'attendre des heures au guichet sans comprendre les "
    "papiers. J'aime expliquer simplement et accompagner jusqu'au bout.",
    "Mon parcours avec les produits m'a appris la patience, l'écoute sans jugement "
    "et la réduction des risques au quotidien.",
    "Arrivée en France sans parler la langue, j'ai appris à traduire les codes des "
    "institutions. J'aide maintenant d'autres familles à s'y retrouver.",
    "J'ai vécu plusieurs années en foyer. Je sais mettre des mots sur ce que les "
    "jeunes n'osent pas dire aux éducateurs.",
    "Le rétablissement n'est pas une ligne droite : je peux en parler sans honte, "
    "et ça redonne espoir aux personnes que je rencontre.",
    "Accompagner un proche pendant des années m'a appris à tenir dans la durée et "
    "à demander de l'aide au bon moment.",
]
PEER_HELP = [
    "Animation d'un groupe de parole une fois par mois.",
    "Bénévole dans un GEM depuis trois ans : accueil, ateliers cuisine.",
    "Maraudes bénévoles l'hiver avec une association de quartier.",
    "Soutien par téléphone à des personnes qui sortent de l'hôpital.",
]
TRAININGS = [
    ("DU pair-aidance en santé mentale", "Université"),
    ("Formation médiateur·rice santé pair", "Programme national"),
    ("Premiers secours en santé mentale", None),
    ("Réduction des risques : les bases", "Association régionale"),
    ("Écoute active", None),
]
LANGUAGE_SETS = [["fr"], ["fr", "en"], ["fr", "ar"], ["fr", "es"], ["fr", "ro"]]
STATUSES = ["actif"] * 8 + ["en_pause", "en_poste"]
PURPOSE_SETS = [
    ["equipe", "mise_en_relation", "profil_anonyme"],
    ["equipe", "mise_en_relation", "profil_anonyme"],
    ["equipe", "mise_en_relation"],
    ["equipe"],
    None,  # no consent: nothing of their experience is stored
]
DEMO_COUNT = 40
# The demo candidate accounts of the foundation get a profile of their own.
ACCOUNT_EMAILS = [
    "alex.martin@example.org",
    "yasmina.belkacem@example.org",
    "jordan.petit@example.org",
    "marie-helene.vidal@example.org",
]


def _people(rng: random.Random) -> list[tuple[str, str]]:
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    chosen, used_first = [], set()
    for first, last in pairs:
        if first not in used_first:
            used_first.add(first)
            chosen.append((f"{first} {last}", _email(first, last)))
    return chosen


def _email(first: str, last: str) -> str:
    from matching.vocab import fold

    return f"{fold(first)}.{fold(last)}@example.net".replace(" ", "-")


def load_candidates() -> dict[str, int]:
    rng = random.Random(31)  # noqa: S311  (deterministic demo, not security)
    officer = db.session.scalar(
        select(User).where(User.email == "samir.benali@example.org")
    )
    accounts = {
        u.email: u
        for u in db.session.scalars(select(User).where(User.email.in_(ACCOUNT_EMAILS)))
    }
    people = [
        (accounts[e].display_name, e) for e in ACCOUNT_EMAILS if e in accounts
    ] + _people(rng)
    created = 0
    for index, (name, email) in enumerate(people[:DEMO_COUNT]):
        exists = db.session.scalar(select(Candidate.id).where(Candidate.email == email))
        if exists is None:
            _create(rng, index, name, email, accounts.get(email), officer)
            created += 1
    db.session.flush()
    return {"candidat·es": created}


def _create(rng, index, name, email, user, officer) -> Candidate:
    commune, _ = resolve_commune(COMMUNES[index % len(COMMUNES)])
    low = Decimal(rng.choice(["0.3", "0.5", "0.5", "0.6", "0.8"]))
    high = max(low, Decimal(rng.choice(["0.5", "0.8", "1.0", "1.0"])))
    today = date.today()
    candidate = Candidate(
        user=user,
        display_name=name,
        status=rng.choice(STATUSES),
        mobility_radius_km=rng.choice([5, 10, 20, 30, 50]),
        available_from=rng.choice(
            [None, None, today + timedelta(days=rng.randint(7, 200))]
        ),
        fte_min=low,
        fte_max=high,
        contract_types=rng.sample(vocab.CONTRACT_TYPES.slugs[:6], k=rng.randint(1, 3)),
        sectors=rng.sample(vocab.SECTORS.slugs[:10], k=rng.randint(1, 3)),
        titles=rng.sample(vocab.JOB_TITLES.slugs[:8], k=rng.randint(1, 3)),
        functions=rng.sample(vocab.FUNCTIONS.slugs, k=rng.randint(1, 4)),
        languages=rng.choice(LANGUAGE_SETS),
        created_by=None if user else officer,
        registration_step=5,
        completed_at=utcnow(),
        last_confirmed_at=utcnow() - timedelta(days=rng.randint(0, 700)),
    )
    services.set_contact(
        candidate, email, f"06 {10 + index:02d} 20 30 {40 + index:02d}"
    )
    services.set_commune(candidate, commune)
    candidate.trainings = [
        Training(name=n, provider=p, status=rng.choice(vocab.TRAINING_STATUSES.slugs))
        for n, p in rng.sample(TRAININGS, k=rng.randint(0, 2))
    ]
    db.session.add(candidate)
    _add_experience(rng, candidate, user or officer, oral=user is None)
    if officer is not None and user is None:
        candidate.events.append(
            CandidateEvent(
                kind="meeting",
                author=officer,
                body="Rencontre à la permanence emploi. Motivé·e, disponible pour "
                "un entretien.",
                occurred_at=utcnow() - timedelta(days=rng.randint(1, 90)),
            )
        )
    services.refresh_search_fields(candidate)
    return candidate


def _add_experience(rng, candidate, recorded_by, oral: bool) -> None:
    purposes = rng.choice(PURPOSE_SETS)
    if purposes is None:
        return
    candidate.consents.append(
        ConsentRecord(
            version=CONSENT_VERSION,
            purposes=purposes,
            method="oral" if oral else "en_ligne",
            given_on=date.today() - timedelta(days=rng.randint(1, 120))
            if oral
            else None,
            recorded_by=recorded_by,
        )
    )
    levels = access.allowed_sharing_levels(purposes)
    domains = rng.sample(vocab.EXPERIENCE_DOMAINS.slugs[:-1], k=rng.randint(1, 3))
    candidate.domains = [
        CandidateDomain(domain=slug, sharing=rng.choice(levels)) for slug in domains
    ]
    if rng.random() < 0.8:
        candidate.background_text = rng.choice(BACKGROUNDS)
        candidate.background_sharing = rng.choice(levels)
    if rng.random() < 0.4:
        candidate.peer_help_text = rng.choice(PEER_HELP)
        candidate.peer_help_sharing = rng.choice(levels)
