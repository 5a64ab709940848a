"""Demo campaigns of the diagnostic.

The 2023 campaign reproduces the working group's quantitative survey exactly: 106
organisations asked, 17 answers (14 from the social field), 15 know peer work, 8 worked
with volunteer peer helpers, 6 employed a peer worker, 5 have one in post, 82 % see an
added value, and 1 organisation in 2 without a peer worker considers hiring one. Its
answers came from an online form, so they are linked to no organisation. A 2026
campaign, open, has a few answers from the demo organisations.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select

from matching import vocab
from matching.accounts.models import User
from matching.core.timeutils import paris_today
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.survey.models import (
    SurveyBarrierRating,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
)

CAMPAIGN_2023 = "Diagnostic multisectoriel 2023"
CAMPAIGN_2026 = "Diagnostic 2026"

# (sector, knows, volunteer peers, employed, in post, added value, considers hiring)
ANSWERS_2023 = [
    ("ahi_hebergement", True, True, True, True, True, None),
    ("ahi_hebergement", True, True, True, True, True, None),
    ("veille_sociale", True, True, True, True, True, None),
    ("logement_accompagne", True, False, True, True, True, None),
    ("addictologie_rdr", True, True, True, True, True, None),
    ("ahi_hebergement", True, False, True, False, True, True),
    ("ahi_hebergement", True, True, False, False, True, True),
    ("veille_sociale", True, True, False, False, True, True),
    ("logement_accompagne", True, False, False, False, True, True),
    ("ahi_hebergement", True, False, False, False, True, True),
    ("sante_mentale_psychiatrie", True, True, False, False, True, True),
    ("ahi_hebergement", True, False, False, False, True, False),
    ("veille_sociale", True, False, False, False, True, False),
    ("ahi_hebergement", True, True, False, False, True, False),
    ("addictologie_rdr", True, False, False, False, False, False),
    ("ahi_hebergement", False, False, False, False, False, False),
    ("logement_accompagne", False, False, False, False, False, False),
]

# How many of the 17 gave each barrier a 1, 2, 3, 4: funding first, as in the slides,
# and the barriers in the diagnostic's order of importance.
BARRIER_COUNTS_2023 = {
    "financement": (0, 1, 4, 12),
    "formations": (1, 2, 7, 7),
    "outillage_integration": (1, 3, 7, 6),
    "connaissance_travail_pair": (2, 3, 6, 6),
    "vivier_candidats": (2, 4, 6, 5),
    "outillage_recrutement": (2, 5, 6, 4),
    "reticence_equipes": (3, 5, 5, 4),
    "retours_experience": (3, 6, 5, 3),
    "blocages_gouvernance": (5, 5, 4, 3),
    "identification_besoins": (5, 6, 4, 2),
    "profil_candidats": (6, 6, 3, 2),
    "instabilite_equipe": (7, 6, 3, 1),
}
NEED_COUNTS_2023 = {
    "financement": 15,
    "changement_organisationnel": 7,
    "recrutement": 10,
    "connaissances_partage": 11,
}
# The added value respondents saw ("Plus-values repérées du TP").
CONTRIBUTIONS_2023 = [
    "Apport de savoir expérientiel.",
    "L'espoir : un rétablissement est possible.",
    "Mise en confiance des usagers, dans une visée d'insertion et de santé.",
    "Une parole pertinente, un autre discours, complémentaire.",
    "Enrichissement de l'expérience, liens communautaires renforcés autour de "
    "difficultés spécifiques.",
    "Aide à la gestion de situations complexes, permettant d'éviter des mesures "
    "de coercition.",
    "Interroge la place et la posture de chacun·e, un nouveau regard sur nos "
    "fonctionnements.",
    "Participation à la rédaction de directives conjointes en psychiatrie.",
]

# Demo organisations that answer the 2026 campaign.
RESPONDENTS_2026 = [
    "Le Relais du Canal",
    "Foyer Les Tilleuls",
    "Accueil de jour Le Fil",
    "CSAPA Rive Gauche",
    "Centre hospitalier des Coteaux",
    "Un Toit d'Abord 31",
]


def _spread(counts: tuple[int, ...], rng: random.Random) -> list[int]:
    """The ratings 1–4 in the given numbers, in a reproducible shuffled order."""
    ratings = [
        level for level, n in zip((1, 2, 3, 4), counts, strict=True) for _ in range(n)
    ]
    rng.shuffle(ratings)
    return ratings


def _campaign(name: str) -> SurveyCampaign | None:
    return db.session.scalar(select(SurveyCampaign).where(SurveyCampaign.name == name))


def load_campaign_2023(author: User | None) -> int:
    if _campaign(CAMPAIGN_2023) is not None:
        return 0
    rng = random.Random(2023)  # noqa: S311  (demo data, reproducible)
    campaign = SurveyCampaign(
        name=CAMPAIGN_2023,
        year=2023,
        opens_on=date(2023, 3, 1),
        closes_on=date(2023, 5, 31),
        invited_count=106,
        description=(
            "Formulaire en ligne envoyé à 106 organisations des secteurs social "
            "(AHI), médico-social (addictologie) et sanitaire (santé mentale), "
            "avec deux relances."
        ),
        created_by=author,
    )
    db.session.add(campaign)
    ratings = {
        slug: _spread(counts, rng) for slug, counts in BARRIER_COUNTS_2023.items()
    }
    needs = {
        slug: set(rng.sample(range(len(ANSWERS_2023)), n))
        for slug, n in NEED_COUNTS_2023.items()
    }
    for n, row in enumerate(ANSWERS_2023):
        sector, knows, volunteers, employed, in_post, added, considers = row
        response = SurveyResponse(
            campaign=campaign,
            sector=sector,
            knows_peer_work=knows,
            worked_with_volunteer_peers=volunteers,
            employed_peer_worker=employed,
            has_peer_worker_in_post=in_post,
            sees_added_value=added,
            considers_hiring=considers,
            needs=[slug for slug in vocab.NEEDS if n in needs[slug]],
            contributions_text=(
                CONTRIBUTIONS_2023[n] if n < len(CONTRIBUTIONS_2023) else None
            ),
        )
        response.barrier_ratings = [
            SurveyBarrierRating(barrier=slug, rating=ratings[slug][n])
            for slug in vocab.BARRIERS
        ]
        db.session.add(response)
    db.session.flush()
    return len(ANSWERS_2023)


def load_campaign_2026(author: User | None) -> int:
    if _campaign(CAMPAIGN_2026) is not None:
        return 0
    rng = random.Random(2026)  # noqa: S311  (demo data, reproducible)
    today = paris_today()
    campaign = SurveyCampaign(
        name=CAMPAIGN_2026,
        year=2026,
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=60),
        invited_count=40,
        description=(
            "Trois ans après le premier diagnostic : où en sont les structures du "
            "territoire ? Dix minutes pour nous aider à mesurer le chemin parcouru."
        ),
        created_by=author,
    )
    db.session.add(campaign)
    organisations = db.session.scalars(
        select(Organisation).order_by(Organisation.name_search)
    ).all()
    answered = 0
    for organisation in organisations:
        invitation = SurveyInvitation(campaign=campaign, organisation=organisation)
        db.session.add(invitation)
        if organisation.name in RESPONDENTS_2026:
            _answer_2026(campaign, invitation, organisation, rng)
            answered += 1
    db.session.flush()
    return answered


def _answer_2026(campaign, invitation, organisation, rng: random.Random) -> None:
    in_post = organisation.peer_workers_count > 0
    response = SurveyResponse(
        campaign=campaign,
        organisation=organisation,
        invitation=invitation,
        sector=organisation.sector,
        knows_peer_work=True,
        worked_with_volunteer_peers=rng.random() < 0.7,
        employed_peer_worker=in_post or rng.random() < 0.3,
        has_peer_worker_in_post=in_post,
        sees_added_value=rng.random() < 0.9,
        considers_hiring=None if in_post else rng.random() < 0.7,
        needs=[need for need in vocab.NEEDS if rng.random() < 0.6] or ["financement"],
        contributions_text=rng.choice(
            [
                None,
                "Un lien de confiance plus rapide avec les personnes accompagnées.",
                "L'équipe a changé de regard sur les personnes qu'elle accompagne.",
            ]
        ),
    )
    # Funding still weighs most; knowledge of peer work has grown since 2023.
    ranges = {
        "financement": (3, 4),
        "vivier_candidats": (2, 4),
        "connaissance_travail_pair": (1, 2),
        "instabilite_equipe": (1, 3),
    }
    response.barrier_ratings = [
        SurveyBarrierRating(barrier=slug, rating=rng.randint(*ranges.get(slug, (1, 3))))
        for slug in vocab.BARRIERS
    ]
    db.session.add(response)


def load_survey() -> dict[str, int]:
    author = db.session.scalar(
        select(User).where(User.role == "officer").order_by(User.id)
    )
    return {
        "réponses au diagnostic 2023": load_campaign_2023(author),
        "réponses au diagnostic 2026": load_campaign_2026(author),
    }
