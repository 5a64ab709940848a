"""Demo support cases: one per stage at least, with the checklist, barriers, funding,
job descriptions and a timeline that look like a real territory's year."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from matching import vocab
from matching.accounts.models import User
from matching.cases import services as cases
from matching.cases.models import ACTIVE_STAGES, Activity, SupportCase
from matching.communes.data import get_commune
from matching.core.timeutils import paris_to_utc, paris_today, utcnow
from matching.extensions import db
from matching.organisations.models import Organisation
from matching.postings.models import JobPosting
from matching.postings.services import refresh_match_fields

# (organisation, project, stage, stop reason)
CASES = [
    ("Foyer Les Tilleuls", "Découvrir le travail pair", "premier_contact", None),
    (
        "Accueil de jour Le Fil",
        "Un·e pair-aidant·e à l'accueil de jour",
        "diagnostic",
        None,
    ),
    ("CMP Blagnac Nord", "Médiation santé paire au CMP", "preparation_equipe", None),
    (
        "Pension de famille Les Platanes",
        "Travailleur·euse pair en pension de famille",
        "conception_poste",
        None,
    ),
    (
        "Centre hospitalier des Coteaux",
        "Deux médiateur·rices santé pairs",
        "recherche_financement",
        None,
    ),
    ("Le Relais du Canal", "Travailleur·euse pair de nuit", "recrutement", None),
    ("CSAPA Rive Gauche", "Intervenant·e pair en addictologie", "integration", None),
    (
        "CAARUD L'Escale Mobile",
        "Binôme pair en maraude RdR",
        "suivi_post_embauche",
        None,
    ),
    ("Un Toit d'Abord 31", "Pérenniser les postes de pairs", "perennisation", None),
    ("Équipe mobile Précarité Psy 31", "Premier poste pair de l'EMPP", "cloture", None),
    ("Terres d'Accueil", "Interprète pair", "en_pause", "financement_refuse"),
    (
        "Les Jardins de la Garonne",
        "Encadrant·e pair en chantier d'insertion",
        "abandonne",
        "retrait_direction",
    ),
    ("SAMSAH Horizon", "Pair-émulateur·rice", "diagnostic", None),
    ("Maison de santé du Comminges", "Patient·e partenaire", "conception_poste", None),
    (
        "Centre de santé communautaire La Ruche",
        "Médiation en santé communautaire",
        "recrutement",
        None,
    ),
    (
        "Cap Avenir Jeunes Majeurs",
        "Pair-aidance pour les jeunes majeurs",
        "premier_contact",
        None,
    ),
]

NEXT_STEPS = [  # one per active stage
    "Rencontrer la direction",
    "Restituer le diagnostic à la direction",
    "Présenter le travail pair à l'équipe",
    "Relire la fiche de poste avec la direction",
    "Déposer le dossier ARS",
    "Organiser les entretiens",
    "Point d'intégration à un mois",
    "Bilan tripartite",
    "Préparer la demande de renouvellement",
]

TIMELINE = [
    (
        "call",
        "Premier appel avec la direction",
        "Intérêt fort, inquiétudes sur le financement.",
    ),
    (
        "meeting",
        "Rencontre avec l'équipe",
        "Questions sur le secret partagé et le rôle du pair.",
    ),
    (
        "training",
        "Sensibilisation au travail pair",
        "Demi-journée avec deux travailleuses paires.",
    ),
    ("note", "Échange avec le CA", "Le conseil d'administration soutient le projet."),
    ("document", "Projet de fiche de poste", "Version 2 envoyée à la direction."),
]


def _stage_index(stage: str) -> int:
    return ACTIVE_STAGES.index(stage) if stage in ACTIVE_STAGES else len(ACTIVE_STAGES)


def load_cases() -> dict[str, int]:
    rng = random.Random(2026)  # noqa: S311  (demo data, reproducible)
    today = paris_today()
    officers = list(
        db.session.scalars(select(User).where(User.role == "officer").order_by(User.id))
    )
    created = 0
    for n, (org_name, title, stage, reason) in enumerate(CASES):
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == org_name)
        )
        if organisation is None:
            continue
        exists = db.session.scalar(
            select(SupportCase).where(
                SupportCase.organisation_id == organisation.id,
                SupportCase.title == title,
            )
        )
        if exists:
            continue
        officer = officers[n % len(officers)]
        case = cases.open_case(organisation, title, officer, officer)
        progress = _stage_index(stage)
        opened = today - timedelta(days=40 + 35 * progress + rng.randint(0, 20))
        case.opened_on = opened
        _backdate(case.activities[-1], opened)
        _fill_timeline(case, officer, opened, progress, rng)
        _fill_readiness(case, officer, progress, rng)
        if progress >= 1:
            _fill_barriers(case, officer, rng)
        if progress >= 4 or stage in ("en_pause", "abandonne"):
            _fill_funding(case, officer, today, progress, rng)
        if progress >= 3:
            _add_posting(case, officer, progress, rng)
        _move_to(case, officer, stage, reason, today, rng)
        due_offset = rng.choice([-12, -4, -1, 2, 5, 9, 15, 30])
        case.next_step = NEXT_STEPS[min(progress, len(NEXT_STEPS) - 1)]
        case.next_step_due = (
            today + timedelta(days=due_offset) if case.is_open else None
        )
        case.sessions_planned = 2 + progress
        case.sessions_done = min(case.sessions_planned, progress + rng.randint(0, 1))
        created += 1
    db.session.flush()
    return {"accompagnements": created}


def _backdate(activity: Activity, day: date) -> None:
    activity.occurred_at = paris_to_utc(datetime.combine(day, time(10, 0)))


def _fill_timeline(case, officer, opened, progress, rng) -> None:
    for step in range(min(progress + 1, len(TIMELINE))):
        kind, title, body = TIMELINE[step]
        entry = cases.log_activity(
            case,
            kind,
            officer,
            title,
            body=body,
            visibility="employer" if step % 2 else "officers",
        )
        _backdate(entry, opened + timedelta(days=7 + 25 * step + rng.randint(0, 5)))


def _fill_readiness(case, officer, progress, rng) -> None:
    share_done = min(1.0, progress / 7)
    for item in case.readiness_items:
        roll = rng.random()
        if roll < share_done:
            item.status = "fait"
        elif roll < share_done + 0.2:
            item.status = "en_cours"
        elif roll > 0.95:
            item.status = "non_applicable"
        item.updated_by_id = officer.id


def _fill_barriers(case, officer, rng) -> None:
    # Funding weighs most, as in the diagnostic; the rest varies by organisation.
    weights = {
        "financement": (3, 4),
        "vivier_candidats": (2, 4),
        "reticence_equipes": (1, 4),
    }
    ratings = {
        slug: rng.randint(*weights.get(slug, (1, 3)))
        for slug in vocab.BARRIERS
        if rng.random() < 0.85
    }
    needs = [need for need in vocab.NEEDS if rng.random() < 0.6] or ["financement"]
    cases.save_barriers(case, officer, ratings, needs, None)


FUNDERS = [
    "ars_fir",
    "ddets",
    "toulouse_metropole",
    "pacte_solidarites",
    "conseil_departemental",
    "fondation_privee",
]


def _fill_funding(case, officer, today, progress, rng) -> None:
    statuses = [
        "repere",
        "en_preparation",
        "depose",
        "en_instruction",
        "accorde",
        "conventionne",
        "verse",
    ]
    for k in range(2 if progress >= 5 else 1):
        status = statuses[min(len(statuses) - 1, max(0, progress - 3 + k))]
        if case.stage == "en_pause":
            status = "refuse"
        requested = Decimal(rng.choice([18000, 24000, 32000, 45000]))
        start = date(today.year + (0 if progress >= 6 else 1), 1, 1)
        values = {
            "funder": FUNDERS[(progress + k) % len(FUNDERS)],
            "instrument": rng.choice(
                [
                    "AAP pair-aidance",
                    "FIR prévention",
                    "Poste adulte-relais",
                    "Appel à projets Logement d'abord",
                ]
            ),
            "status": status,
            "amount_requested": requested,
            "amount_granted": requested * Decimal("0.8")
            if status in ("accorde", "conventionne", "verse")
            else None,
            "period_start": start,
            "period_end": date(start.year, 12, 31),
            "filing_deadline": today + timedelta(days=rng.choice([-30, 10, 14, 40])),
            "expected_decision_on": today + timedelta(days=rng.choice([-5, 45, 60])),
            "agreement_on": today - timedelta(days=20)
            if status in ("conventionne", "verse")
            else None,
            "report_due_on": None,
            "notes": None,
        }
        cases.save_funding_line(case, officer, values)


def _add_posting(case, officer, progress, rng) -> None:
    organisation = case.organisation
    commune = get_commune(organisation.commune_insee)
    title = {
        "sante_mentale_psychiatrie": "mediateur_sante_pair",
        "addictologie_rdr": "intervenant_pair",
    }.get(organisation.sector, "travailleur_pair")
    domains = {
        "sante_mentale_psychiatrie": ["troubles_psychiques"],
        "addictologie_rdr": ["addictions"],
        "ahi_hebergement": ["rue_sans_abrisme"],
        "veille_sociale": ["rue_sans_abrisme"],
        "logement_accompagne": ["rue_sans_abrisme", "troubles_psychiques"],
        "exil_migration": ["exil_migration"],
        "handicap": ["handicap"],
    }.get(organisation.sector, ["maladie_chronique"])
    status = (
        "brouillon" if progress <= 4 else ("publiee" if progress == 5 else "pourvue")
    )
    posting = JobPosting(
        organisation=organisation,
        case=case,
        title=title,
        functions=["aller_vers", "accompagnement_individuel", "soutien_retablissement"][
            : 1 + progress % 3
        ],
        sector=organisation.sector,
        commune_insee=commune.insee,
        commune=commune.name,
        department=commune.department,
        latitude=commune.latitude,
        longitude=commune.longitude,
        contract_type=rng.choice(["cdi", "cdd", "adultes_relais"]),
        contract_months=None,
        fte=Decimal(rng.choice(["0.5", "0.6", "0.8", "1.0"])),
        positions=1,
        collective_agreement=rng.choice(["ccn51", "ccn66", "accords_chrs"]),
        classification="Moniteur·rice-éducateur·rice",
        start_date=paris_today() + timedelta(days=60),
        context="Une équipe pluridisciplinaire de 12 personnes, accueillante et préparée.",
        missions="Aller vers les personnes accompagnées, créer du lien, soutenir le rétablissement, participer aux réunions d'équipe.",
        experience_domains=domains,
        experience_text="Un parcours de vie transformé en savoir expérientiel, avec le recul nécessaire.",
        savoir_etre="Écoute, bienveillance, capacité à travailler en équipe.",
        binome=True,
        supervision_planned=True,
        status=status,
        published_at=utcnow() if status != "brouillon" else None,
        published_by=officer if status != "brouillon" else None,
    )
    refresh_match_fields(posting)
    db.session.add(posting)


def _move_to(case, officer, stage, reason, today, rng) -> None:
    path = (
        list(ACTIVE_STAGES[: _stage_index(stage) + 1])
        if stage in ACTIVE_STAGES
        else list(ACTIVE_STAGES[:5])
    )
    steps = [(step, None, None) for step in path[1:]]
    if stage in ("cloture", "en_pause", "abandonne"):
        steps.append((stage, reason, "Décision prise en réunion."))
    day = case.opened_on
    for step, why, note in steps:
        cases.change_stage(case, step, officer, why, note)
        day = min(day + timedelta(days=rng.randint(20, 40)), today - timedelta(days=2))
        _backdate(case.activities[-1], day)
    case.stage_changed_at = paris_to_utc(
        datetime.combine(today - timedelta(days=rng.randint(3, 60)), time(9))
    )
