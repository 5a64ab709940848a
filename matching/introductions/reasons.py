"""Word the engine's reasons in the reader's language (French by default).

The engine returns codes and parameters; here they become short sentences such as
"Expérience de la rue : recherchée et partagée" or "Disponible le 1er mars, poste au
15 février".
"""

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matching import vocab
from matching.core.templating import date_fr
from matching.scoring import Reason


def _list(slugs, vocabulary) -> str:
    return ", ".join(vocabulary.short_label(slug) for slug in slugs)


def _fte(value) -> str:
    return format_decimal(value) if value is not None else "?"


def describe(reason: Reason) -> str:
    """One sentence for one reason."""
    p = reason.params
    code = reason.code
    if code == "domains_matched":
        return _(
            "%(domains)s : expérience recherchée et partagée",
            domains=_list(p["domains"], vocab.EXPERIENCE_DOMAINS),
        )
    if code == "domains_told":
        return _(
            "%(domains)s : évoqué dans ses propres mots",
            domains=_list(p["domains"], vocab.EXPERIENCE_DOMAINS),
        )
    if code == "domains_missing":
        return _(
            "Expérience recherchée non partagée : %(domains)s",
            domains=_list(p["domains"], vocab.EXPERIENCE_DOMAINS),
        )
    if code == "experience_text_close":
        return _("Son parcours, dans ses mots, est proche de ce qui est recherché")
    if code == "experience_text_far":
        return _("Peu de points communs avec l'expérience recherchée")
    if code in ("title_wanted", "title_open", "title_related"):
        title = vocab.JOB_TITLES.label(p.get("title"))
        text = {
            "title_wanted": _("Souhaite un poste de %(title)s", title=title),
            "title_open": _("Ouvert·e à tous les intitulés"),
            "title_related": _("Souhaite un poste proche de %(title)s", title=title),
        }[code]
        if p.get("functions"):
            text += " · " + _(
                "Fonctions : %(functions)s",
                functions=_list(p["functions"], vocab.FUNCTIONS),
            )
        return text
    if code == "title_other":
        return _(
            "Souhaite un autre poste : %(titles)s",
            titles=_list(p["wanted"], vocab.JOB_TITLES),
        )
    if code == "sector_wanted":
        return _(
            "Secteur souhaité : %(sector)s", sector=vocab.SECTORS.label(p["sector"])
        )
    if code == "sector_related":
        return _("Secteur proche de ceux souhaités")
    if code == "sector_open":
        return _("Ouvert·e à tous les secteurs")
    if code == "sector_other":
        return _("Ce secteur n'est pas parmi ceux souhaités")
    if code in ("available_now", "available_in_time", "available_late"):
        fte = (
            _(
                "temps de travail souhaité %(low)s à %(high)s ETP, poste à %(fte)s",
                low=_fte(p["fte_min"]),
                high=_fte(p["fte_max"]),
                fte=_fte(p["fte"]),
            )
            if p.get("fte") is not None
            else ""
        )
        if code == "available_now":
            text = _("Disponible dès maintenant")
        else:
            text = _("Disponible le %(date)s", date=date_fr(p["date"]))
        if p.get("start"):
            text += ", " + _("poste au %(start)s", start=date_fr(p["start"]))
        return text + (" · " + fte if fte else "")
    if code == "fte_far":
        return _(
            "Temps de travail souhaité %(low)s à %(high)s ETP, loin des %(fte)s ETP du poste",
            low=_fte(p["fte_min"]),
            high=_fte(p["fte_max"]),
            fte=_fte(p["fte"]),
        )
    if code == "within_radius":
        return _(
            "À %(km)s km (se déplace jusqu'à %(radius)s km)",
            km=p["km"],
            radius=p["radius"],
        )
    if code == "outside_radius":
        return _(
            "À %(km)s km, au-delà de ses %(radius)s km", km=p["km"], radius=p["radius"]
        )
    if code == "same_department":
        return _("Même département (commune non précisée)")
    if code == "neighbour_department":
        return _("Département voisin (commune non précisée)")
    if code == "location_unknown":
        return _("Lieu non précisé")
    if code == "contract_accepted":
        return _(
            "%(contract)s accepté", contract=vocab.CONTRACT_TYPES.label(p["contract"])
        )
    if code == "contract_open":
        return _("Pas de préférence de contrat")
    if code == "text_close":
        return _(
            "Missions et savoir-être proches de ce que la personne décrit (%(percent)s %%)",
            percent=p["percent"],
        )
    if code == "text_far":
        return _(
            "Missions et savoir-être peu évoqués par la personne (%(percent)s %%)",
            percent=p["percent"],
        )
    return code


CRITERION_LABELS = {
    "experience": _l("Expérience de vie"),
    "role": _l("Poste et fonctions"),
    "sector": _l("Secteur"),
    "availability": _l("Disponibilité"),
    "location": _l("Lieu"),
    "contract": _l("Contrat"),
    "text": _l("Missions et savoir-être"),
}


def criterion_label(name: str) -> str:
    return str(CRITERION_LABELS[name])
