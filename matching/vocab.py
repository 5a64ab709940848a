"""Controlled vocabularies: values are stored as slugs; labels are French and translatable.

Each vocabulary keeps the order in which it is shown. ``Vocabulary.resolve`` accepts a
slug or a label, ignoring case and accents (imports and the command line use it).
"""

import functools
import unicodedata
from collections.abc import Iterator

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice


def fold(text: str) -> str:
    """Casefold and strip accents: "Médiateur Santé" -> "mediateur sante"."""
    text = (
        text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    )
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


class Vocabulary:
    """An ordered mapping slug -> label (lazy, translated at render time)."""

    def __init__(self, name: str, items: list[tuple[str, object]], short=None):
        self.name = name
        self._items = dict(items)
        self._short = dict(short or {})

    def __contains__(self, slug: object) -> bool:
        return slug in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def slugs(self) -> list[str]:
        return list(self._items)

    def label(self, slug: str | None) -> str:
        if slug is None:
            return ""
        return str(self._items.get(slug, slug))

    def short_label(self, slug: str) -> str:
        return str(self._short.get(slug, self.label(slug)))

    def items(self) -> list[tuple[str, object]]:
        """(slug, label) pairs, labels still lazy (translated when rendered)."""
        return list(self._items.items())

    def choices(self, blank=None) -> list[SelectChoice]:
        """Options for a WTForms select, radio or checkbox list."""
        options = [SelectChoice(slug, label) for slug, label in self._items.items()]
        return [SelectChoice("", blank), *options] if blank is not None else options

    def resolve(self, value: str) -> str | None:
        """Return the slug for a slug or a label (case and accents ignored)."""
        wanted = fold(value or "")
        if not wanted:
            return None
        for slug, label in self._items.items():
            if wanted in (
                fold(slug),
                fold(str(label)),
                fold(str(self._short.get(slug, ""))),
            ):
                return slug
        return None


SECTORS = Vocabulary(
    "sectors",
    [
        ("ahi_hebergement", _l("Accueil, hébergement, insertion (AHI)")),
        ("veille_sociale", _l("Veille sociale (maraudes, 115, accueils de jour)")),
        ("logement_accompagne", _l("Logement accompagné")),
        ("sante_mentale_psychiatrie", _l("Santé mentale et psychiatrie")),
        ("addictologie_rdr", _l("Addictologie et réduction des risques")),
        ("handicap", _l("Handicap")),
        ("sante_soins_primaires", _l("Santé et soins primaires")),
        (
            "maladies_chroniques_etp",
            _l("Maladies chroniques et éducation thérapeutique"),
        ),
        ("sante_communautaire", _l("Santé communautaire")),
        ("exil_migration", _l("Exil et migration")),
        ("insertion_emploi", _l("Insertion par l'emploi")),
        ("protection_enfance_jeunesse", _l("Protection de l'enfance et jeunesse")),
        ("justice", _l("Justice")),
        ("autre", _l("Autre secteur")),
    ],
)

JOB_TITLES = Vocabulary(
    "job_titles",
    [
        ("mediateur_sante_pair", _l("Médiateur·rice santé pair")),
        ("travailleur_pair", _l("Travailleur·euse pair")),
        ("pair_aidant_professionnel", _l("Pair-aidant·e professionnel·le")),
        ("intervenant_pair", _l("Intervenant·e pair")),
        ("mediateur_pair", _l("Médiateur·rice pair")),
        ("patient_partenaire", _l("Patient·e partenaire")),
        ("pair_emulateur", _l("Pair-émulateur·rice")),
        ("animateur_prevention", _l("Animateur·rice de prévention")),
        ("intervenant_social", _l("Intervenant·e social·e")),
        ("veilleur_nuit", _l("Veilleur·euse de nuit")),
        ("interprete", _l("Interprète")),
        ("referent_travail_pair", _l("Référent·e travail pair")),
        ("autre", _l("Autre intitulé")),
    ],
)

FUNCTIONS = Vocabulary(
    "functions",
    [
        ("aller_vers", _l("Aller-vers")),
        ("accompagnement_individuel", _l("Accompagnement individuel")),
        ("animation_collective", _l("Animation collective")),
        ("mediation_acces_droits_soins", _l("Médiation vers les droits et les soins")),
        ("accompagnement_logement", _l("Accompagnement vers et dans le logement")),
        ("reduction_risques", _l("Réduction des risques")),
        ("soutien_retablissement", _l("Soutien au rétablissement")),
        ("formation_sensibilisation", _l("Formation et sensibilisation")),
        ("participation_gouvernance", _l("Participation à la gouvernance")),
        ("plaidoyer", _l("Plaidoyer")),
        ("recherche_evaluation", _l("Recherche et évaluation")),
        ("coordination_pairs", _l("Coordination de pairs")),
        ("interpretariat", _l("Interprétariat")),
    ],
)

CONTRACT_TYPES = Vocabulary(
    "contract_types",
    [
        ("cdi", _l("CDI")),
        ("cdd", _l("CDD")),
        ("adultes_relais", _l("Adultes-relais")),
        ("pec_cui_cae", _l("Parcours emploi compétences (PEC, CUI-CAE)")),
        ("cddi_iae", _l("CDDI (insertion par l'activité économique)")),
        ("contractuel_fonction_publique", _l("Contractuel·le de la fonction publique")),
        ("vacations", _l("Vacations")),
        ("independant", _l("Indépendant·e")),
        ("benevolat_indemnise", _l("Bénévolat indemnisé")),
        ("stage_alternance", _l("Stage ou alternance")),
    ],
)
FIXED_TERM_CONTRACTS = frozenset(
    {"cdd", "adultes_relais", "pec_cui_cae", "cddi_iae", "stage_alternance"}
)

COLLECTIVE_AGREEMENTS = Vocabulary(
    "collective_agreements",
    [
        ("ccn51", _l("CCN 51 (FEHAP)")),
        ("ccn66", _l("CCN 66")),
        ("accords_chrs", _l("Accords CHRS")),
        ("fph", _l("Fonction publique hospitalière")),
        ("fpt", _l("Fonction publique territoriale")),
        ("autre", _l("Autre convention")),
        ("aucune", _l("Aucune convention")),
    ],
)

EXPERIENCE_DOMAINS = Vocabulary(
    "experience_domains",
    [
        ("troubles_psychiques", _l("Troubles psychiques, parcours en psychiatrie")),
        ("rue_sans_abrisme", _l("Vie à la rue, sans-abrisme")),
        ("addictions", _l("Addictions, consommation de produits")),
        ("travail_du_sexe_prostitution", _l("Travail du sexe, prostitution")),
        ("exil_migration", _l("Exil, migration")),
        ("handicap", _l("Handicap")),
        ("maladie_chronique", _l("Maladie chronique")),
        ("incarceration_justice", _l("Incarcération, justice")),
        ("protection_enfance", _l("Protection de l'enfance")),
        ("violences", _l("Violences subies")),
        ("proche_aidant", _l("Proche aidant·e")),
        ("discriminations", _l("Discriminations")),
        ("autre", _l("Autre expérience")),
    ],
    short={
        "troubles_psychiques": _l("Troubles psychiques"),
        "rue_sans_abrisme": _l("Expérience de la rue"),
        "addictions": _l("Addictions"),
        "travail_du_sexe_prostitution": _l("Travail du sexe"),
    },
)

SHARING_LEVELS = Vocabulary(
    "sharing_levels",
    [
        ("prive", _l("Privé : seulement l'équipe Passerelle")),
        (
            "apres_mise_en_relation",
            _l("Après une mise en relation que j'ai acceptée"),
        ),
        ("public_employeurs", _l("Visible des employeurs dans mon profil anonyme")),
    ],
)

FUNDERS = Vocabulary(
    "funders",
    [
        ("ars_fir", _l("ARS – Fonds d'intervention régional (FIR)")),
        ("ars_appel_projets", _l("ARS – appel à projets")),
        ("dreets", _l("DREETS")),
        ("ddets", _l("DDETS")),
        ("ondam", _l("ONDAM")),
        ("pacte_solidarites", _l("Pacte des solidarités")),
        ("dihal_logement_abord", _l("DIHAL – Logement d'abord")),
        ("conseil_departemental", _l("Conseil départemental")),
        ("toulouse_metropole", _l("Toulouse Métropole")),
        ("ville_ccas", _l("Ville ou CCAS")),
        ("politique_ville", _l("Politique de la ville")),
        ("region_occitanie", _l("Région Occitanie")),
        ("fonjep", _l("FONJEP")),
        ("etat_adultes_relais", _l("État – adultes-relais")),
        ("etat_pec", _l("État – parcours emploi compétences")),
        ("agefiph", _l("Agefiph")),
        ("assurance_maladie", _l("Assurance maladie")),
        ("fondation_privee", _l("Fondation privée")),
        ("fse_plus", _l("FSE+")),
        ("fonds_propres", _l("Fonds propres")),
        ("autre", _l("Autre financeur")),
    ],
)

FUNDING_STATUSES = Vocabulary(
    "funding_statuses",
    [
        ("repere", _l("Repéré")),
        ("en_preparation", _l("En préparation")),
        ("depose", _l("Déposé")),
        ("en_instruction", _l("En instruction")),
        ("accorde", _l("Accordé")),
        ("accorde_partiel", _l("Accordé en partie")),
        ("refuse", _l("Refusé")),
        ("sans_suite", _l("Sans suite")),
        ("conventionne", _l("Conventionné")),
        ("verse", _l("Versé")),
        ("bilan_a_rendre", _l("Bilan à rendre")),
        ("clos", _l("Clos")),
        ("a_renouveler", _l("À renouveler")),
    ],
)

CASE_STAGES = Vocabulary(
    "case_stages",
    [
        ("premier_contact", _l("Premier contact")),
        ("diagnostic", _l("Diagnostic")),
        ("preparation_equipe", _l("Préparation de l'équipe")),
        ("conception_poste", _l("Conception du poste")),
        ("recherche_financement", _l("Recherche de financement")),
        ("recrutement", _l("Recrutement")),
        ("integration", _l("Intégration")),
        ("suivi_post_embauche", _l("Suivi après l'embauche")),
        ("perennisation", _l("Pérennisation")),
        ("cloture", _l("Clôturé")),
        ("en_pause", _l("En pause")),
        ("abandonne", _l("Abandonné")),
    ],
)
STOP_REASONS = Vocabulary(
    "stop_reasons",
    [
        ("financement_refuse", _l("Financement refusé")),
        ("retrait_direction", _l("Retrait de la direction")),
        ("equipe_non_prete", _l("Équipe pas encore prête")),
        ("pas_de_candidat", _l("Pas de candidat·e")),
        ("autre", _l("Autre raison")),
    ],
)

READINESS_STATUSES = Vocabulary(
    "readiness_statuses",
    [
        ("non_commence", _l("Pas commencé")),
        ("en_cours", _l("En cours")),
        ("fait", _l("Fait")),
        ("non_applicable", _l("Non applicable")),
    ],
)
READINESS_AREAS = Vocabulary(
    "readiness_areas",
    [
        ("institution", _l("Institution")),
        ("equipes", _l("Équipes")),
        ("poste", _l("Poste")),
        ("soutien", _l("Soutien")),
    ],
)
READINESS_ITEMS = Vocabulary(
    "readiness_items",
    [
        ("soutien_direction", _l("La direction soutient le projet")),
        ("besoin_formalise", _l("Le besoin est écrit")),
        ("projet_service", _l("Le travail pair figure dans le projet de service")),
        (
            "coconstruction",
            _l("Le projet est pensé avec les personnes concernées"),
        ),
        ("equipe_informee", _l("L'équipe est informée et consultée")),
        ("sensibilisation_immersion", _l("Une sensibilisation ou immersion a eu lieu")),
        (
            "complementarite_limites",
            _l("Complémentarité et limites du poste clarifiées"),
        ),
        (
            "fiche_de_poste",
            _l("Fiche de poste avec des missions liées au savoir expérientiel"),
        ),
        (
            "intitule_classification",
            _l("Intitulé et classification décidés (reconnaissance égale)"),
        ),
        ("temps_travail_adaptations", _l("Temps de travail et adaptations prévus")),
        ("encadrement_binome", _l("Responsable et référent·e ou binôme nommés")),
        (
            "reunions_secret_partage",
            _l("Place en réunion et règles du secret partagé"),
        ),
        ("regles_devoilement", _l("Règles de dévoilement convenues")),
        ("supervision", _l("Supervision ou analyse des pratiques prévue")),
        ("rencontres_pairs", _l("Rencontres entre pairs prévues")),
        ("plan_formation", _l("Plan de formation")),
        (
            "financement_perennisation",
            _l("Financement acquis et chemin vers un poste pérenne"),
        ),
        (
            "processus_recrutement",
            _l(
                "Processus de recrutement défini (aptitudes relationnelles, distance "
                "à son parcours, dévoilement, risques)"
            ),
        ),
    ],
)
READINESS_ITEM_AREA = {
    "soutien_direction": "institution",
    "besoin_formalise": "institution",
    "projet_service": "institution",
    "coconstruction": "institution",
    "equipe_informee": "equipes",
    "sensibilisation_immersion": "equipes",
    "complementarite_limites": "equipes",
    "fiche_de_poste": "poste",
    "intitule_classification": "poste",
    "temps_travail_adaptations": "poste",
    "encadrement_binome": "poste",
    "reunions_secret_partage": "poste",
    "regles_devoilement": "poste",
    "supervision": "soutien",
    "rencontres_pairs": "soutien",
    "plan_formation": "soutien",
    "financement_perennisation": "soutien",
    "processus_recrutement": "soutien",
}

# The 12 barriers (freins) of the Toulouse diagnostic, in its order and wording.
BARRIERS = Vocabulary(
    "barriers",
    [
        (
            "financement",
            _l(
                "L'absence de financement / le manque de connaissance sur les "
                "possibilités de financements pour recruter ce type de poste"
            ),
        ),
        (
            "formations",
            _l(
                "La méconnaissance des formations existantes pour soutenir les "
                "travailleur.euses pair.es dans leurs missions"
            ),
        ),
        (
            "outillage_integration",
            _l(
                "Le manque d'outillage pour l'intégration du/de la travailleur.euse "
                "pair.e dans l'équipe et le travail au quotidien"
            ),
        ),
        (
            "connaissance_travail_pair",
            _l(
                "Le manque de connaissances sur le travail pair (rôle, "
                "place/positionnement, profils, missions, etc.)"
            ),
        ),
        (
            "vivier_candidats",
            _l(
                "La difficulté à identifier un vivier de candidats pour ce type de poste"
            ),
        ),
        (
            "outillage_recrutement",
            _l(
                "Le manque d'outillage pour le processus de recrutement (définition de "
                "la fiche de poste, du profil de poste, conduite de l'entretien…)"
            ),
        ),
        (
            "reticence_equipes",
            _l(
                "La réticence des équipes à accueillir un.e travailleur.euse pair.e "
                "(représentations négatives, questionnements, réserves, inquiétude…)"
            ),
        ),
        (
            "retours_experience",
            _l("Le manque de retours d'expériences de ce type de pratiques"),
        ),
        (
            "blocages_gouvernance",
            _l("Des blocages au niveau des instances de gouvernance"),
        ),
        (
            "identification_besoins",
            _l(
                "La difficulté à identifier les besoins sur lesquels pourraient "
                "intervenir un.e travailleur.euse pair.e au sein de la structure"
            ),
        ),
        (
            "profil_candidats",
            _l(
                "Des interrogations sur le profil des personnes à recruter sur ce type "
                "de poste"
            ),
        ),
        (
            "instabilite_equipe",
            _l("Le manque de stabilité de l'équipe (turn-over, postes vacants…)"),
        ),
    ],
    short={
        "financement": _l("Financement"),
        "formations": _l("Formations méconnues"),
        "outillage_integration": _l("Outils d'intégration"),
        "connaissance_travail_pair": _l("Connaissance du travail pair"),
        "vivier_candidats": _l("Vivier de candidats"),
        "outillage_recrutement": _l("Outils de recrutement"),
        "reticence_equipes": _l("Réticence des équipes"),
        "retours_experience": _l("Retours d'expérience"),
        "blocages_gouvernance": _l("Gouvernance"),
        "identification_besoins": _l("Identification des besoins"),
        "profil_candidats": _l("Profil des candidats"),
        "instabilite_equipe": _l("Instabilité de l'équipe"),
    },
)
BARRIER_RATINGS = Vocabulary(
    "barrier_ratings",
    [
        ("1", _l("1 – pas du tout important")),
        ("2", _l("2 – peu important")),
        ("3", _l("3 – important")),
        ("4", _l("4 – très important")),
    ],
)
NEEDS = Vocabulary(
    "needs",
    [
        (
            "financement",
            _l("Soutien financier pour salarier un·e travailleur·euse pair"),
        ),
        (
            "changement_organisationnel",
            _l("Soutien au changement du modèle organisationnel"),
        ),
        ("recrutement", _l("Soutien dans le processus de recrutement")),
        (
            "connaissances_partage",
            _l("Connaissances et partage d'expérience autour du travail pair"),
        ),
    ],
)

STRUCTURE_TYPES = Vocabulary(
    "structure_types",
    [
        ("chrs", _l("CHRS")),
        ("chu", _l("Centre d'hébergement d'urgence")),
        ("accueil_de_jour", _l("Accueil de jour")),
        ("pension_de_famille", _l("Pension de famille")),
        ("residence_sociale", _l("Résidence sociale")),
        ("act_un_chez_soi", _l("ACT, Un chez-soi d'abord")),
        ("lhss_lam", _l("LHSS, LAM")),
        ("csapa", _l("CSAPA")),
        ("caarud", _l("CAARUD")),
        ("empp", _l("Équipe mobile psychiatrie précarité (EMPP)")),
        ("cmp_cattp", _l("CMP, CATTP")),
        ("hopital_psychiatrique", _l("Hôpital psychiatrique")),
        ("rehabilitation_psychosociale", _l("Réhabilitation psychosociale")),
        ("samsah_savs", _l("SAMSAH, SAVS")),
        ("esat", _l("ESAT")),
        ("gem", _l("Groupe d'entraide mutuelle (GEM)")),
        ("siae", _l("Structure d'insertion par l'activité économique")),
        ("sante_communautaire", _l("Structure de santé communautaire")),
        ("centre_sante_cpts", _l("Centre de santé, CPTS")),
        ("collectivite_ccas", _l("Collectivité, CCAS")),
        ("autre", _l("Autre type de structure")),
    ],
)
LEGAL_STATUSES = Vocabulary(
    "legal_statuses",
    [
        ("association", _l("Association")),
        ("fondation", _l("Fondation")),
        ("etablissement_public_sante", _l("Établissement public de santé")),
        (
            "etablissement_public_social_medico_social",
            _l("Établissement public social ou médico-social"),
        ),
        ("collectivite", _l("Collectivité")),
        ("gcsms", _l("GCSMS")),
        ("cooperative", _l("Coopérative")),
        ("autre", _l("Autre statut")),
    ],
)
HEADCOUNT_BANDS = Vocabulary(
    "headcount_bands",
    [
        ("1-10", _l("1 à 10 salarié·es")),
        ("11-50", _l("11 à 50 salarié·es")),
        ("51-250", _l("51 à 250 salarié·es")),
        ("251+", _l("Plus de 250 salarié·es")),
    ],
)

POSTING_STATUSES = Vocabulary(
    "posting_statuses",
    [
        ("brouillon", _l("Brouillon")),
        ("publiee", _l("Publiée")),
        ("pourvue", _l("Pourvue")),
        ("fermee", _l("Fermée")),
    ],
)
CANDIDATE_STATUSES = Vocabulary(
    "candidate_statuses",
    [
        ("actif", _l("Actif·ve")),
        ("en_poste", _l("En poste")),
        ("en_pause", _l("En pause")),
        ("archive", _l("Archivé")),
    ],
)
TRAINING_STATUSES = Vocabulary(
    "training_statuses",
    [
        ("souhaitee", _l("Souhaitée")),
        ("en_cours", _l("En cours")),
        ("obtenue", _l("Obtenue")),
    ],
)
INTRODUCTION_STATUSES = Vocabulary(
    "introduction_statuses",
    [
        ("suggeree", _l("Suggérée")),
        ("proposee_candidat", _l("Proposée au candidat")),
        ("acceptee_candidat", _l("Acceptée par le candidat")),
        ("refusee_candidat", _l("Refusée par le candidat")),
        ("transmise_employeur", _l("Transmise à l'employeur")),
        ("entretien", _l("Entretien")),
        ("embauche", _l("Embauche")),
        ("non_retenue", _l("Non retenue")),
        ("retiree", _l("Retirée")),
    ],
)
# The same statuses as the candidate reads them on their own pages: to them, in their
# words (the officers' labels speak of "le candidat").
CANDIDATE_INTRODUCTION_STATUSES = Vocabulary(
    "candidate_introduction_statuses",
    [
        ("suggeree", _l("En préparation")),
        ("proposee_candidat", _l("Proposée : à vous de répondre")),
        ("acceptee_candidat", _l("Vous avez accepté")),
        ("refusee_candidat", _l("Vous avez dit non")),
        ("transmise_employeur", _l("Transmise à l'employeur")),
        ("entretien", _l("Entretien avec l'employeur")),
        ("embauche", _l("Vous êtes embauché·e")),
        ("non_retenue", _l("Pas retenue par l'employeur")),
        ("retiree", _l("Retirée")),
    ],
)
MILESTONES = Vocabulary(
    "milestones",
    [
        ("j0_accueil", _l("Jour 1 : accueil")),
        ("s1_point_integration", _l("Semaine 1 : point d'intégration")),
        ("m1_point", _l("Mois 1 : point d'étape")),
        ("fin_periode_essai", _l("Fin de la période d'essai")),
        ("m3_bilan_tripartite", _l("Mois 3 : bilan tripartite")),
        ("m6_bilan", _l("Mois 6 : bilan")),
        ("m12_bilan_annuel", _l("Mois 12 : bilan annuel")),
        ("echeance_contrat", _l("Échéance du contrat")),
        ("echeance_financement", _l("Échéance du financement")),
        ("analyse_pratiques", _l("Analyse des pratiques")),
    ],
)

DEPARTMENTS_OCCITANIE = Vocabulary(
    "departments",
    [
        ("09", "09 – Ariège"),
        ("11", "11 – Aude"),
        ("12", "12 – Aveyron"),
        ("30", "30 – Gard"),
        ("31", "31 – Haute-Garonne"),
        ("32", "32 – Gers"),
        ("34", "34 – Hérault"),
        ("46", "46 – Lot"),
        ("48", "48 – Lozère"),
        ("65", "65 – Hautes-Pyrénées"),
        ("66", "66 – Pyrénées-Orientales"),
        ("81", "81 – Tarn"),
        ("82", "82 – Tarn-et-Garonne"),
    ],
)


# Languages spoken in Occitanie that have no two-letter code, and the sign language:
# without them a deaf person could not say they sign.
EXTRA_LANGUAGES = ("kab", "rom", "arq", "ary", "tzm", "zgh", "ckb")
CUSTOM_LANGUAGES = {
    "fsl": {"fr": "langue des signes française (LSF)", "en": "French Sign Language"},
    "ber": {"fr": "tamazight (berbère)", "en": "Tamazight (Berber)"},
    "cpf": {"fr": "créole", "en": "Creole"},
}
LANGUAGE_ALIASES = {
    "lsf": "fsl",
    "langue des signes": "fsl",
    "langue des signes francaise": "fsl",
    "sign language": "fsl",
    "tamazight": "ber",
    "berbere": "ber",
    "amazigh": "ber",
    "creole": "cpf",
    "portugais du bresil": "pt",
    "portugais bresilien": "pt",
    "brazilian portuguese": "pt",
}


def _language_codes() -> list[str]:
    from babel import Locale

    two_letters = (code for code in Locale("fr").languages if len(code) == 2)
    return sorted({*two_letters, *EXTRA_LANGUAGES, *CUSTOM_LANGUAGES})


class _Languages(Vocabulary):
    """ISO 639 codes (two letters, and a few three-letter ones); names come from
    Babel in the current locale, or from CUSTOM_LANGUAGES."""

    def __init__(self):
        super().__init__("languages", [(code, code) for code in _language_codes()])

    def label(self, slug: str | None) -> str:
        from babel import Locale

        if not slug:
            return ""
        locale = get_locale() or Locale("fr")
        if slug in CUSTOM_LANGUAGES:
            names = CUSTOM_LANGUAGES[slug]
            return names.get(locale.language, names["fr"])
        return locale.languages.get(slug, slug)

    def items(self) -> list[tuple[str, object]]:
        return sorted(((c, self.label(c)) for c in self), key=lambda p: fold(p[1]))

    def choices(self, blank=None) -> list[SelectChoice]:
        options = [SelectChoice(code, label) for code, label in self.items()]
        return [SelectChoice("", blank), *options] if blank is not None else options

    def resolve(self, value: str) -> str | None:
        wanted = fold(value or "")
        if wanted in LANGUAGE_ALIASES:
            return LANGUAGE_ALIASES[wanted]
        return _language_names().get(wanted)


@functools.cache
def _language_names() -> dict[str, str]:
    """Every way of writing a language (code, French and English names, folded)."""
    from babel import Locale

    names = {}
    for code in _language_codes():
        custom = CUSTOM_LANGUAGES.get(code, {})
        for name in (
            code,
            custom.get("fr") or Locale("fr").languages.get(code, ""),
            custom.get("en") or Locale("en").languages.get(code, ""),
        ):
            if name:
                names.setdefault(fold(name), code)
    return names


LANGUAGES = _Languages()

ALL = {
    v.name: v
    for v in (
        SECTORS,
        JOB_TITLES,
        FUNCTIONS,
        CONTRACT_TYPES,
        COLLECTIVE_AGREEMENTS,
        EXPERIENCE_DOMAINS,
        SHARING_LEVELS,
        FUNDERS,
        FUNDING_STATUSES,
        CASE_STAGES,
        STOP_REASONS,
        READINESS_STATUSES,
        READINESS_AREAS,
        READINESS_ITEMS,
        BARRIERS,
        BARRIER_RATINGS,
        NEEDS,
        STRUCTURE_TYPES,
        LEGAL_STATUSES,
        HEADCOUNT_BANDS,
        POSTING_STATUSES,
        CANDIDATE_STATUSES,
        TRAINING_STATUSES,
        INTRODUCTION_STATUSES,
        CANDIDATE_INTRODUCTION_STATUSES,
        MILESTONES,
        DEPARTMENTS_OCCITANIE,
        LANGUAGES,
    )
}
