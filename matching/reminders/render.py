"""What a reminder says: its wording per rule, its link, the e-mail templates.

Everything here runs when the message is sent, in the recipient's language, from the
subject as it is now. A reminder says that something awaits and links to it; it never
carries a candidate's details nor free text typed by someone (a next step's wording
can name a person): only organisation names, vocabulary labels and dates.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from matching import vocab
from matching.candidates.models import Candidate
from matching.candidates.services import add_event
from matching.cases.models import FundingLine, SupportCase
from matching.core.templating import date_fr
from matching.extensions import db
from matching.introductions.models import (
    Introduction,
    IntroductionEvent,
    Milestone,
    Placement,
)
from matching.postings.models import JobPosting
from matching.reminders.items import Item, absolute_url
from matching.reminders.pipeline_wording import PIPELINE_WORDING, pipeline_rule_labels


@dataclass(frozen=True)
class SubjectType:
    """A kind of record reminders are about: how to load it, and where a sent
    reminder is recorded — by default on the timeline of ``case_of(subject)``; a
    subject with a log of its own (an introduction) gives ``record`` instead, called
    as ``record(subject, row, recipient, title, now)``."""

    model: type
    options: tuple
    case_of: Callable[[Any], SupportCase | None]
    record: Callable | None = None


def _on_introduction_log(intro: Introduction, row, recipient, title, now) -> None:
    """An introduction keeps its own log: the reminder is an event of it, which
    changes no status (statistics count transitions only)."""
    intro.events.append(
        IntroductionEvent(
            kind="reminder",
            from_status=None,
            to_status=intro.status,
            note=title,
            at=now,
        )
    )


def _on_candidate_timeline(candidate: Candidate, row, recipient, title, now) -> None:
    """On the candidate's timeline (officers only), ids only, like automatic events."""
    add_event(
        candidate,
        "reminder",
        occurred_at=now,
        rule=row.rule,
        email_id=row.id,
        recipient_id=row.recipient_user_id,
        due_on=row.due_on.isoformat() if row.due_on else None,
    )


def _posting_options(path):
    return (
        path.joinedload(JobPosting.organisation),
        path.joinedload(JobPosting.case),
    )


SUBJECT_TYPES = {
    "case": SubjectType(
        SupportCase, (joinedload(SupportCase.organisation),), lambda case: case
    ),
    "funding_line": SubjectType(
        FundingLine,
        (joinedload(FundingLine.case).joinedload(SupportCase.organisation),),
        lambda line: line.case,
    ),
    "posting": SubjectType(
        JobPosting,
        (joinedload(JobPosting.organisation), joinedload(JobPosting.case)),
        lambda posting: posting.case,
    ),
    "milestone": SubjectType(
        Milestone,
        _posting_options(joinedload(Milestone.placement).joinedload(Placement.posting)),
        lambda milestone: milestone.placement.posting.case,
    ),
    "placement": SubjectType(
        Placement,
        _posting_options(joinedload(Placement.posting)),
        lambda placement: placement.posting.case,
    ),
    "introduction": SubjectType(
        Introduction,
        _posting_options(joinedload(Introduction.posting)),
        lambda intro: intro.posting.case,
        record=_on_introduction_log,
    ),
    "candidate": SubjectType(
        Candidate, (), lambda candidate: None, record=_on_candidate_timeline
    ),
}


def load_subjects(pairs) -> dict[tuple[str, int], Any]:
    """Load the records of (subject type, id) pairs: one query per type."""
    wanted: dict[str, set[int]] = {}
    for subject_type, subject_id in pairs:
        if subject_type in SUBJECT_TYPES and subject_id is not None:
            wanted.setdefault(subject_type, set()).add(subject_id)
    found = {}
    for subject_type, ids in wanted.items():
        kind = SUBJECT_TYPES[subject_type]
        query = select(kind.model).where(kind.model.id.in_(ids)).options(*kind.options)
        for record in db.session.scalars(query):
            found[(subject_type, record.id)] = record
    return found


# ---------------------------------------------------------------- wording per rule


def _case_url(case: SupportCase, anchor: str = "etape") -> str:
    return absolute_url("cases.detail", anchor=anchor, case_id=case.id)


def _next_step(case: SupportCase, due_on: date, today: date) -> Item:
    organisation = case.organisation.name
    if due_on < today:
        return Item(
            _("Étape en retard : %(organisation)s", organisation=organisation),
            _(
                "La prochaine étape de l'accompagnement de %(organisation)s était prévue le %(date)s ; elle n'est ni faite ni déplacée.",
                organisation=organisation,
                date=date_fr(due_on),
            ),
            _("Ouvrir l'accompagnement"),
            _case_url(case),
        )
    return Item(
        _("Étape prévue aujourd'hui : %(organisation)s", organisation=organisation),
        _(
            "La prochaine étape de l'accompagnement de %(organisation)s est prévue aujourd'hui, %(date)s.",
            organisation=organisation,
            date=date_fr(due_on),
        ),
        _("Ouvrir l'accompagnement"),
        _case_url(case),
    )


def _inactive(case: SupportCase, due_on: date, today: date) -> Item:
    organisation = case.organisation.name
    return Item(
        _(
            "Accompagnement sans nouvelles : %(organisation)s",
            organisation=organisation,
        ),
        _(
            "Rien n'a été noté dans l'accompagnement de %(organisation)s depuis le %(date)s.",
            organisation=organisation,
            date=date_fr(case.last_activity_at),
        ),
        _("Ouvrir le journal"),
        _case_url(case, "journal"),
    )


def _funding_names(line: FundingLine) -> dict:
    return {
        "funder": vocab.FUNDERS.label(line.funder),
        "organisation": line.case.organisation.name,
    }


def _funding_url(line: FundingLine) -> str:
    return _case_url(line.case, "financements")


def _filing(line: FundingLine, due_on: date, today: date) -> Item:
    names = _funding_names(line)
    return Item(
        _(
            "Dossier à déposer avant le %(date)s : %(funder)s",
            date=date_fr(line.filing_deadline),
            **names,
        ),
        _(
            "Le dossier de financement %(funder)s de %(organisation)s est à déposer au plus tard le %(date)s.",
            date=date_fr(line.filing_deadline),
            **names,
        ),
        _("Voir les financements"),
        _funding_url(line),
    )


def _decision(line: FundingLine, due_on: date, today: date) -> Item:
    names = _funding_names(line)
    return Item(
        _("Décision de financement attendue : %(funder)s", **names),
        _(
            "La décision de %(funder)s sur le financement de %(organisation)s était attendue le %(date)s. Notez-la, ou la nouvelle date attendue.",
            date=date_fr(line.expected_decision_on),
            **names,
        ),
        _("Voir les financements"),
        _funding_url(line),
    )


def _report(line: FundingLine, due_on: date, today: date) -> Item:
    names = _funding_names(line)
    return Item(
        _(
            "Bilan à rendre avant le %(date)s : %(funder)s",
            date=date_fr(line.report_due_on),
            **names,
        ),
        _(
            "Le bilan du financement %(funder)s de %(organisation)s est à rendre au plus tard le %(date)s.",
            date=date_fr(line.report_due_on),
            **names,
        ),
        _("Voir les financements"),
        _funding_url(line),
    )


def _quiet_posting(posting: JobPosting, due_on: date, today: date) -> Item:
    title = posting.custom_title or vocab.JOB_TITLES.label(posting.title)
    organisation = posting.organisation.name
    return Item(
        _("Offre sans mise en relation : %(title)s", title=title),
        _(
            "L'offre « %(title)s » de %(organisation)s est publiée depuis le %(date)s et personne n'a encore été mis en relation.",
            title=title,
            organisation=organisation,
            date=date_fr(posting.published_at),
        ),
        _("Ouvrir l'offre"),
        absolute_url("postings.detail", posting_id=posting.id),
    )


WORDING: dict[str, Callable[[Any, date, date], Item]] = {
    "case_next_step_due": _next_step,
    "case_inactive": _inactive,
    "funding_filing_d14": _filing,
    "funding_filing_d3": _filing,
    "funding_decision_overdue": _decision,
    "funding_report_due": _report,
    "posting_without_introduction": _quiet_posting,
    **PIPELINE_WORDING,
}


def rule_labels() -> dict[str, str]:
    """Names of the rules for the admin page's filter."""
    return {
        "case_next_step_due": _("Prochaine étape d'un accompagnement"),
        "case_inactive": _("Accompagnement sans activité"),
        "funding_filing_d14": _("Dépôt de dossier (J-14)"),
        "funding_filing_d3": _("Dépôt de dossier (J-3)"),
        "funding_decision_overdue": _("Décision de financement attendue"),
        "funding_report_due": _("Bilan de financement (J-30)"),
        "posting_without_introduction": _("Offre sans mise en relation"),
        **pipeline_rule_labels(),
    }


def describe(rule: str, subject: Any, due_on: date, today: date) -> Item:
    return WORDING[rule](subject, due_on, today)


# ---------------------------------------------------------------- e-mails


def _common(recipient) -> dict:
    return {
        "recipient": recipient,
        "base_url": current_app.config["BASE_URL"],
        "preferences_url": absolute_url("reminders.preferences"),
    }


def one_line(text: str, limit: int = 255) -> str:
    """A subject line: names typed by users never bring a line break into a header."""
    return " ".join(text.split())[:limit]


def render_reminder(item: Item, recipient) -> tuple[str, str, str]:
    """Subject, text and HTML of one reminder, in the recipient's language."""
    with force_locale(recipient.locale or "fr"):
        context = {**_common(recipient), "item": item}
        return (
            one_line(_("Rappel Passerelle : %(headline)s", headline=item.headline)),
            render_template("email/reminder.txt", **context),
            render_template("email/reminder.html", **context),
        )


def render_digest(
    items: list[Item], late: list[Item], late_total: int, recipient, today: date
) -> tuple[str, str, str]:
    """Subject, text and HTML of a daily digest."""
    with force_locale(recipient.locale or "fr"):
        context = {
            **_common(recipient),
            "items": items,
            "late": late,
            "late_more": late_total - len(late),
            "day": date_fr(today),
        }
        return (
            one_line(_("Vos rappels Passerelle du %(day)s", day=date_fr(today))),
            render_template("email/digest.txt", **context),
            render_template("email/digest.html", **context),
        )
