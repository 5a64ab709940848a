"""The consent notice, its version and its purposes.

Change ``CONSENT_VERSION`` whenever the notice or a purpose changes: every record
keeps the version the person accepted.
"""

from flask_babel import lazy_gettext as _l

from matching.vocab import Vocabulary

CONSENT_VERSION = "2026-11-v1"

CONSENT_NOTICE = [
    _l(
        "Passerelle peut garder les grands domaines de votre expérience de vie (par "
        "exemple « vie à la rue » ou « addictions ») et ce que vous écrivez sur votre "
        "savoir expérientiel. Ce sont des données sensibles : nous les gardons "
        "seulement si vous êtes d'accord."
    ),
    _l(
        "Nous n'enregistrons jamais de diagnostic, de traitement ni de dates de soins. "
        "N'en écrivez pas."
    ),
    _l(
        "Pour chaque élément, vous choisissez qui le voit : seulement l'équipe "
        "Passerelle, un employeur après une mise en relation que vous avez acceptée, "
        "ou les employeurs qui consultent votre profil anonyme."
    ),
    _l(
        "Chaque consultation par quelqu'un d'autre que vous est enregistrée dans un "
        "journal que vous pouvez lire dans « Mes données »."
    ),
    _l(
        "Vous pouvez retirer votre accord à tout moment, aussi simplement que vous "
        "l'avez donné : ces informations sont alors effacées."
    ),
]

# One unticked checkbox per purpose. "equipe" is needed to store anything; the
# other two allow the matching sharing levels.
CONSENT_PURPOSES = Vocabulary(
    "consent_purposes",
    [
        (
            "equipe",
            _l(
                "J'accepte que Passerelle garde les domaines de mon expérience et mes "
                "textes. Seule l'équipe Passerelle les voit."
            ),
        ),
        (
            "mise_en_relation",
            _l(
                "J'accepte qu'un employeur voie ce que je choisis de partager, une fois "
                "que j'ai accepté une mise en relation avec lui."
            ),
        ),
        (
            "profil_anonyme",
            _l(
                "J'accepte que ce que je choisis de rendre visible apparaisse dans mon "
                "profil anonyme, que les employeurs peuvent consulter."
            ),
        ),
    ],
    short={
        "equipe": _l("Équipe Passerelle"),
        "mise_en_relation": _l("Employeur après une mise en relation acceptée"),
        "profil_anonyme": _l("Profil anonyme"),
    },
)

CONSENT_METHODS = Vocabulary(
    "consent_methods",
    [("en_ligne", _l("En ligne")), ("oral", _l("À l'oral, noté par l'équipe"))],
)
