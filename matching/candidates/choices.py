"""Labels of the candidates' own lists (timeline entries, interest statuses)."""

from flask_babel import lazy_gettext as _l

from matching.vocab import Vocabulary

EVENT_KINDS = Vocabulary(
    "candidate_event_kinds",
    [
        ("note", _l("Note")),
        ("meeting", _l("Rencontre")),
        ("call", _l("Appel")),
        ("created", _l("Profil créé")),
        ("invitation", _l("Invitation envoyée")),
        ("claimed", _l("Compte activé par la personne")),
        ("consent", _l("Accord donné")),
        ("consent_withdrawn", _l("Accord retiré")),
        ("interest", _l("Intérêt pour une offre")),
        ("confirmed", _l("Informations confirmées")),
        ("completed", _l("Profil terminé")),
        ("introduction", _l("Mise en relation")),
        ("hire", _l("Embauche")),
        ("reminder", _l("Rappel envoyé")),
    ],
)

WRITTEN_EVENT_KINDS = Vocabulary(
    "written_event_kinds",
    [
        ("note", _l("Note")),
        ("meeting", _l("Rencontre")),
        ("call", _l("Appel")),
    ],
)

INTEREST_STATUSES = Vocabulary(
    "interest_statuses",
    [
        ("nouvelle", _l("Nouvelle")),
        ("prise_en_compte", _l("Prise en compte")),
        ("retiree", _l("Retirée")),
    ],
)

# Candidates choose among these; "archive" is set by officers or by erasure.
SELF_STATUSES = ("actif", "en_poste", "en_pause")

# Guided registration: (number, title). Step 5 is the preview and confirmation.
STEPS = [
    (1, _l("Où et quand")),
    (2, _l("Ce que vous cherchez")),
    (3, _l("Votre expérience")),
    (4, _l("Formations et langues")),
    (5, _l("Aperçu et confirmation")),
]
LAST_STEP = len(STEPS)
