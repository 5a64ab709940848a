"""What the reminders of the introduction pipeline, the hires and the candidates' data
say (``render.py`` holds the others and the e-mails).

Same rule as every reminder: say *that* something awaits and link to it. A person is
named by the reference officers already use (``C-00042``), never by name; a candidate
is told nothing about the post beyond what the app already shows them.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _

from matching import vocab
from matching.candidates.models import Candidate
from matching.core.templating import date_fr
from matching.introductions.models import Introduction, Milestone, Placement
from matching.introductions.services import reference
from matching.postings.models import JobPosting
from matching.reminders.items import Item, absolute_url
from matching.reminders.rules import FUNDING_END_DAYS, NOTICE_DAYS


def _post(posting: JobPosting) -> dict:
    return {
        "title": posting.custom_title or vocab.JOB_TITLES.label(posting.title),
        "organisation": posting.organisation.name,
    }


def _placement_url(placement: Placement) -> str:
    return absolute_url("introductions.placement", placement_id=placement.id)


# ---------------------------------------------------------------- hires


def _milestone(milestone: Milestone, due_on: date, today: date) -> Item:
    names = {
        **_post(milestone.placement.posting),
        "milestone": vocab.MILESTONES.label(milestone.kind),
        "date": date_fr(milestone.due_on),
    }
    return Item(
        _("Suivi d'embauche le %(date)s : %(milestone)s", **names),
        _(
            "Le point de suivi « %(milestone)s » de l'embauche au poste « %(title)s » chez %(organisation)s est prévu le %(date)s.",
            **names,
        ),
        _("Ouvrir le suivi"),
        _placement_url(milestone.placement),
    )


def _contract_end(placement: Placement, due_on: date, today: date) -> Item:
    names = {**_post(placement.posting), "date": date_fr(placement.end_date)}
    return Item(
        _("Fin de contrat le %(date)s : %(title)s", **names),
        _(
            "Le contrat à durée déterminée du poste « %(title)s » chez %(organisation)s se termine le %(date)s. Préparez la suite : renouvellement, poste pérennisé ou fin du contrat.",
            **names,
        ),
        _("Ouvrir le suivi"),
        _placement_url(placement),
    )


def _funding_end(placement: Placement, due_on: date, today: date) -> Item:
    # The due date is 90 days before the end it was computed from.
    end = due_on + timedelta(days=FUNDING_END_DAYS)
    names = {**_post(placement.posting), "date": date_fr(end)}
    return Item(
        _("Fin du financement le %(date)s : %(title)s", **names),
        _(
            "Le financement du poste « %(title)s » chez %(organisation)s prend fin le %(date)s. Préparez son renouvellement ou un autre financement.",
            **names,
        ),
        _("Ouvrir le suivi"),
        _placement_url(placement),
    )


# ---------------------------------------------------------------- introductions


def _answer_candidate(intro: Introduction, due_on: date, today: date) -> Item:
    return Item(
        _("Une proposition attend votre réponse"),
        _(
            "Une offre vous a été proposée sur Passerelle le %(date)s. Dites-nous si elle vous intéresse : oui ou non, votre réponse aide l'équipe.",
            date=date_fr(intro.proposed_at),
        ),
        _("Voir la proposition"),
        absolute_url("introductions.candidate_detail", introduction_id=intro.id),
    )


def _answer_officer(intro: Introduction, due_on: date, today: date) -> Item:
    names = {
        **_post(intro.posting),
        "reference": reference(intro),
        "date": date_fr(intro.proposed_at),
    }
    return Item(
        _("Proposition sans réponse : %(reference)s", **names),
        _(
            "La personne %(reference)s n'a pas répondu à l'offre « %(title)s » de %(organisation)s, proposée le %(date)s. Relancez-la, ou notez sa réponse.",
            **names,
        ),
        _("Ouvrir la mise en relation"),
        absolute_url("introductions.detail", introduction_id=intro.id),
    )


def _employer_decision(intro: Introduction, due_on: date, today: date) -> Item:
    names = {**_post(intro.posting), "date": date_fr(intro.transmitted_at)}
    return Item(
        _("Candidature à examiner : %(title)s", **names),
        _(
            "Une candidature pour l'offre « %(title)s » vous a été transmise le %(date)s. Proposez un entretien, ou dites si la personne n'est pas retenue.",
            **names,
        ),
        _("Voir la candidature"),
        absolute_url("introductions.employer_detail", introduction_id=intro.id),
    )


# ---------------------------------------------------------------- candidates


def _confirm(candidate: Candidate, due_on: date, today: date) -> Item:
    return Item(
        _("Vos informations sont-elles toujours exactes ?"),
        _(
            "Votre profil Passerelle a été confirmé pour la dernière fois le %(date)s. Vérifiez-le, puis confirmez-le en un clic : il reste ainsi actif.",
            date=date_fr(candidate.last_confirmed_at),
        ),
        _("Vérifier mon profil"),
        absolute_url("candidates.my_profile", anchor="confirmation"),
    )


def _anonymisation_notice(candidate: Candidate, due_on: date, today: date) -> Item:
    # The profile is anonymised 30 days after the notice's due date, and never less
    # than 30 days after the notice goes out (matching.retention).
    day = date_fr(max(due_on, today) + timedelta(days=NOTICE_DAYS))
    if candidate.user_id is not None:
        return Item(
            _("Votre profil sera anonymisé le %(date)s", date=day),
            _(
                "Sans nouvelle confirmation de votre part, votre profil Passerelle sera anonymisé le %(date)s : il n'a pas été confirmé depuis deux ans. Pour le garder, confirmez que vos informations sont toujours exactes.",
                date=day,
            ),
            _("Garder mon profil"),
            absolute_url("candidates.my_profile", anchor="confirmation"),
        )
    names = {"reference": f"C-{candidate.id:05d}", "date": day}
    return Item(
        _("Profil à confirmer avant le %(date)s : %(reference)s", **names),
        _(
            "Le profil %(reference)s, que vous avez enregistré, sera anonymisé le %(date)s : il n'a pas été confirmé depuis deux ans. La personne n'a pas de compte : contactez-la et, si elle le souhaite, notez sa confirmation sur sa fiche.",
            **names,
        ),
        _("Ouvrir la fiche"),
        absolute_url(
            "candidates.detail", anchor="confirmation", candidate_id=candidate.id
        ),
    )


PIPELINE_WORDING: dict[str, Callable[[Any, date, date], Item]] = {
    "placement_milestone_t7": _milestone,
    "contract_end_d60": _contract_end,
    "contract_end_d30": _contract_end,
    "funding_period_end_d90": _funding_end,
    "introduction_answer_candidate": _answer_candidate,
    "introduction_answer_officer": _answer_officer,
    "introduction_employer_decision": _employer_decision,
    "candidate_confirm_12m": _confirm,
    "candidate_anonymisation_notice": _anonymisation_notice,
}


def pipeline_rule_labels() -> dict[str, str]:
    return {
        "placement_milestone_t7": _("Étape du suivi d'une embauche (J-7)"),
        "contract_end_d60": _("Fin de contrat (J-60)"),
        "contract_end_d30": _("Fin de contrat (J-30)"),
        "funding_period_end_d90": _("Fin du financement d'un poste (J-90)"),
        "introduction_answer_candidate": _("Proposition sans réponse (à la personne)"),
        "introduction_answer_officer": _("Proposition sans réponse (à l'équipe)"),
        "introduction_employer_decision": _("Candidature sans décision de l'employeur"),
        "candidate_confirm_12m": _("Confirmation du profil (12 mois)"),
        "candidate_anonymisation_notice": _("Anonymisation prochaine d'un profil"),
    }


def candidate_rule_labels() -> dict[str, str]:
    """The same reminders as the person receives them, in their own words."""
    return {
        "introduction_answer_candidate": _("Une offre proposée attend votre réponse"),
        "candidate_confirm_12m": _(
            "Chaque année, confirmer que vos informations sont toujours exactes"
        ),
        "candidate_anonymisation_notice": _(
            "Un mois avant que votre profil soit anonymisé, s'il n'a pas été confirmé"
        ),
    }
