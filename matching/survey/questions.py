"""The questions of the Toulouse diagnostic and how its results are grouped.

The 12 barriers and the needs come from ``matching.vocab`` (BARRIERS, NEEDS); this
module holds the yes/no questions and the diagnostic's three fields of activity.
"""

from flask_babel import lazy_gettext as _l

from matching.vocab import Vocabulary

# Column of SurveyResponse -> what the results call the "yes" answers, briefly.
YES_NO_QUESTIONS = Vocabulary(
    "survey_questions",
    [
        ("knows_peer_work", _l("Connaissent le travail pair")),
        (
            "worked_with_volunteer_peers",
            _l("Ont déjà collaboré avec des pair-aidant·es bénévoles"),
        ),
        ("employed_peer_worker", _l("Ont déjà eu recours à un·e TP")),
        ("has_peer_worker_in_post", _l("Ont un·e TP en poste")),
        ("sees_added_value", _l("Voient une plus-value au recrutement d'un·e TP")),
    ],
)

# The diagnostic surveyed three fields: social (AHI), médico-social (addictologie)
# and sanitaire (santé mentale). Other sectors are counted apart.
FIELDS = Vocabulary(
    "survey_fields",
    [
        ("social", _l("Social (accueil, hébergement, insertion)")),
        ("medico_social", _l("Médico-social (addictologie)")),
        ("sanitaire", _l("Sanitaire (santé mentale)")),
        ("autre", _l("Autres secteurs")),
    ],
)
FIELD_SECTORS = {
    "social": ("ahi_hebergement", "veille_sociale", "logement_accompagne"),
    "medico_social": ("addictologie_rdr",),
    "sanitaire": ("sante_mentale_psychiatrie",),
}
