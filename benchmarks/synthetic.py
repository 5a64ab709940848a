"""Synthetic but realistic profiles for benchmarks: French phrases about lived
experience and peer work, communes of Haute-Garonne and around, varied preferences."""

import random
from datetime import date, timedelta

from matching.scoring import CandidateProfile, PostingProfile
from matching.scoring.text import normalise

TODAY = date(2026, 12, 1)

DOMAINS = [
    "troubles_psychiques",
    "rue_sans_abrisme",
    "addictions",
    "travail_du_sexe_prostitution",
    "exil_migration",
    "handicap",
    "maladie_chronique",
    "incarceration_justice",
    "protection_enfance",
    "violences",
    "proche_aidant",
    "discriminations",
]
SECTORS = [
    "ahi_hebergement",
    "veille_sociale",
    "logement_accompagne",
    "sante_mentale_psychiatrie",
    "addictologie_rdr",
    "handicap",
    "sante_soins_primaires",
    "maladies_chroniques_etp",
    "sante_communautaire",
    "exil_migration",
    "insertion_emploi",
    "justice",
]
TITLES = [
    "mediateur_sante_pair",
    "travailleur_pair",
    "pair_aidant_professionnel",
    "intervenant_pair",
    "mediateur_pair",
    "patient_partenaire",
    "pair_emulateur",
    "animateur_prevention",
    "interprete",
    "veilleur_nuit",
]
FUNCTIONS = [
    "aller_vers",
    "accompagnement_individuel",
    "animation_collective",
    "mediation_acces_droits_soins",
    "accompagnement_logement",
    "reduction_risques",
    "soutien_retablissement",
    "formation_sensibilisation",
    "interpretariat",
]
CONTRACTS = ["cdi", "cdd", "adultes_relais", "pec_cui_cae", "cddi_iae", "vacations"]
PLACES = [  # (commune, latitude, longitude, department)
    ("Toulouse", 43.60405, 1.44305, "31"),
    ("Colomiers", 43.61162, 1.33546, "31"),
    ("Tournefeuille", 43.58537, 1.34502, "31"),
    ("Muret", 43.46133, 1.32647, "31"),
    ("Blagnac", 43.63742, 1.39052, "31"),
    ("Balma", 43.61090, 1.49946, "31"),
    ("Saint-Gaudens", 43.10698, 0.72372, "31"),
    ("Villefranche-de-Lauragais", 43.39986, 1.71675, "31"),
    ("Montauban", 44.01754, 1.35496, "82"),
    ("Albi", 43.92781, 2.14787, "81"),
    ("Foix", 42.96483, 1.60701, "09"),
    ("Auch", 43.64620, 0.58597, "32"),
    ("Castres", 43.60597, 2.24079, "81"),
    ("Pamiers", 43.11639, 1.61061, "09"),
]
PHRASES = [
    "j'ai vécu à la rue pendant plusieurs années",
    "parcours en psychiatrie et rétablissement",
    "j'ai connu l'hébergement d'urgence et les accueils de jour",
    "ancien usager de drogues, je connais la réduction des risques",
    "bénévole dans un groupe d'entraide mutuelle",
    "je parle arabe et j'ai vécu l'exil",
    "maladie chronique, éducation thérapeutique du patient",
    "animation de groupes de parole entre pairs",
    "accompagnement vers le logement et les droits",
    "maraudes de nuit avec une association",
    "formation de médiateur santé pair",
    "j'aime écouter et créer du lien",
    "expérience de la prison et de la réinsertion",
    "proche aidante d'un frère malade",
    "sensibilisation des équipes au rétablissement",
    "travail en binôme avec une éducatrice",
]
MISSIONS = [
    "aller vers les personnes à la rue et créer du lien",
    "accompagner vers le soin et les droits",
    "animer des groupes de parole",
    "soutenir le rétablissement des personnes accompagnées",
    "participer aux réunions d'équipe pluridisciplinaire",
    "réduction des risques en milieu festif",
    "accompagnement vers et dans le logement",
    "sensibiliser les professionnels au travail pair",
    "interprétariat et médiation culturelle",
    "écoute, bienveillance, recul sur son parcours",
]


def candidates(n: int, seed: int = 1) -> list[CandidateProfile]:
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        commune, lat, lon, dept = rng.choice(PLACES)
        low = rng.choice([0.2, 0.3, 0.5, 0.5, 0.6, 0.8])
        domains = {
            d: rng.choice(["prive", "apres_mise_en_relation", "public_employeurs"])
            for d in rng.sample(DOMAINS, rng.randint(1, 3))
        }
        text = normalise(*rng.sample(PHRASES, rng.randint(1, 5)))
        out.append(
            CandidateProfile(
                id=i,
                status="actif"
                if rng.random() < 0.85
                else rng.choice(["en_poste", "en_pause", "archive"]),
                latitude=lat + rng.uniform(-0.03, 0.03),
                longitude=lon + rng.uniform(-0.03, 0.03),
                department=dept,
                mobility_radius_km=rng.choice([5, 10, 15, 20, 30, 50]),
                available_from=TODAY + timedelta(days=rng.randint(-90, 240)),
                fte_min=low,
                fte_max=min(1.0, low + rng.choice([0.0, 0.2, 0.3, 0.5])),
                contract_types=frozenset(rng.sample(CONTRACTS, rng.randint(0, 3))),
                sectors=frozenset(rng.sample(SECTORS, rng.randint(0, 3))),
                titles=frozenset(rng.sample(TITLES, rng.randint(0, 2))),
                functions=frozenset(rng.sample(FUNCTIONS, rng.randint(0, 3))),
                domains=domains,
                text=text,
            )
        )
    return out


def postings(n: int, seed: int = 2) -> list[PostingProfile]:
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        commune, lat, lon, dept = rng.choice(PLACES)
        out.append(
            PostingProfile(
                id=i,
                title=rng.choice(TITLES),
                functions=frozenset(rng.sample(FUNCTIONS, rng.randint(1, 3))),
                sector=rng.choice(SECTORS),
                latitude=lat,
                longitude=lon,
                department=dept,
                contract_type=rng.choice(CONTRACTS),
                fte=rng.choice([0.5, 0.6, 0.8, 1.0]),
                start_date=TODAY + timedelta(days=rng.randint(15, 150)),
                experience_domains=frozenset(rng.sample(DOMAINS, rng.randint(1, 2))),
                experience_text=normalise(*rng.sample(PHRASES, 2)),
                missions_text=normalise(*rng.sample(MISSIONS, 4)),
            )
        )
    return out
