"""Organisation operations. They change state and flush; the caller commits once."""

from flask_babel import gettext as _
from sqlalchemy import select

from matching.accounts.models import User
from matching.core.timeutils import utcnow
from matching.email import send_email
from matching.extensions import db
from matching.organisations.models import Membership, Organisation
from matching.vocab import fold


class MembershipError(ValueError):
    """A membership rule was broken; the message is for the user."""


def apply_organisation_form(organisation: Organisation, form) -> None:
    """Copy a validated OrganisationForm onto an organisation."""
    organisation.name = form.name.data
    organisation.name_search = fold(form.name.data)
    organisation.sector = form.sector.data
    organisation.structure_type = form.structure_type.data or None
    organisation.legal_status = form.legal_status.data or None
    commune = form.commune.commune
    organisation.commune_insee = commune.insee if commune else None
    organisation.commune = commune.name if commune else None
    organisation.department = commune.department if commune else None
    organisation.headcount_band = form.headcount_band.data or None
    organisation.peer_workers_count = form.peer_workers_count.data or 0


def create_organisation_for(user: User, form) -> Organisation:
    """An employer creates their organisation and becomes its first administrator."""
    if user.membership is not None:
        raise MembershipError(_("Votre compte est déjà rattaché à une structure."))
    organisation = Organisation()
    apply_organisation_form(organisation, form)
    db.session.add(organisation)
    db.session.flush()
    db.session.add(
        Membership(
            user=user,
            organisation=organisation,
            status="active",
            is_org_admin=True,
            decided_at=utcnow(),
        )
    )
    db.session.flush()
    _notify_officers(
        _("Nouvelle structure inscrite : %(name)s", name=organisation.name),
        "new_organisation",
        organisation=organisation,
        employer=user,
    )
    return organisation


def request_membership(user: User, organisation: Organisation) -> Membership:
    """An employer asks to join an organisation; its admins and officers approve."""
    if user.membership is not None and user.membership.status != "refused":
        raise MembershipError(_("Votre compte est déjà rattaché à une structure."))
    if user.membership is not None:
        db.session.delete(user.membership)
        db.session.flush()
    membership = Membership(user=user, organisation=organisation, status="pending")
    db.session.add(membership)
    db.session.flush()
    recipients = list_org_admins(organisation) or list_officers()
    for recipient in recipients:
        send_email(
            recipient,
            _("Demande pour rejoindre %(name)s", name=organisation.name),
            "membership_request",
            organisation=organisation,
            requester=user,
        )
    return membership


def decide_membership(membership: Membership, approve: bool, decided_by: User) -> None:
    if membership.status != "pending":
        raise MembershipError(_("Cette demande a déjà été traitée."))
    membership.status = "active" if approve else "refused"
    membership.decided_at = utcnow()
    membership.decided_by = decided_by
    send_email(
        membership.user,
        _("Votre demande pour rejoindre %(name)s", name=membership.organisation.name),
        "membership_decision",
        membership=membership,
    )


def list_org_admins(organisation: Organisation) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation.id,
                Membership.status == "active",
                Membership.is_org_admin.is_(True),
                User.active.is_(True),
            )
        )
    )


def list_officers() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == "officer", User.active.is_(True))
        )
    )


def list_pending_memberships(organisation: Organisation | None = None):
    query = (
        select(Membership)
        .where(Membership.status == "pending")
        .order_by(Membership.requested_at)
    )
    if organisation is not None:
        query = query.where(Membership.organisation_id == organisation.id)
    return list(db.session.scalars(query))


def _notify_officers(subject: str, template: str, **context) -> None:
    for officer in list_officers():
        send_email(officer, subject, template, **context)
