"""Organisation operations. They change state and flush; the caller commits once."""

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

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


def list_organisations(user, filters: dict, page: int, per_page: int):
    """The organisations the user may see, filtered, searched and paginated.

    Returns (pagination, open case counts by organisation id).
    """
    from sqlalchemy import exists, func

    from matching import access
    from matching.cases.models import CLOSED_STAGES, SupportCase
    from matching.core.search import fuzzy_ids

    query = access.organisations_scope(user)
    if filters.get("sector"):
        query = query.where(Organisation.sector == filters["sector"])
    if filters.get("department"):
        query = query.where(Organisation.department == filters["department"])
    has_case = exists().where(SupportCase.organisation_id == Organisation.id)
    if filters.get("has_case") == "oui":
        query = query.where(has_case)
    elif filters.get("has_case") == "non":
        query = query.where(~has_case)
    if filters.get("peer_workers") == "oui":
        query = query.where(Organisation.peer_workers_count > 0)
    elif filters.get("peer_workers") == "non":
        query = query.where(Organisation.peer_workers_count == 0)
    ranked: list[int] = []
    if filters.get("q"):
        keys = dict(
            db.session.execute(
                query.with_only_columns(Organisation.id, Organisation.name_search)
            ).all()
        )
        ranked = fuzzy_ids(filters["q"], keys)
        query = query.where(Organisation.id.in_(ranked))
    query = query.order_by(Organisation.name_search)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    if ranked:
        order = {org_id: n for n, org_id in enumerate(ranked)}
        pagination.items.sort(key=lambda o: order[o.id])
    ids = [o.id for o in pagination.items]
    counts = dict(
        db.session.execute(
            select(SupportCase.organisation_id, func.count(SupportCase.id))
            .where(
                SupportCase.organisation_id.in_(ids),
                SupportCase.stage.not_in(CLOSED_STAGES),
            )
            .group_by(SupportCase.organisation_id)
        ).all()
    )
    return pagination, counts


def list_members(organisation: Organisation) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.organisation_id == organisation.id)
            .options(selectinload(Membership.user))
            .order_by(Membership.status, Membership.requested_at)
        )
    )


def create_organisation(form) -> Organisation:
    """An officer registers an organisation met on the territory."""
    organisation = Organisation()
    apply_organisation_form(organisation, form)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def find_similar_organisations(name: str, exclude_id: int | None = None) -> list:
    """Organisations whose name is close to ``name`` (to warn about duplicates)."""
    from matching.core.search import fuzzy_ids

    keys = dict(
        db.session.execute(select(Organisation.id, Organisation.name_search)).all()
    )
    keys.pop(exclude_id, None)
    ids = fuzzy_ids(name, keys, cutoff=90, limit=5)
    return [db.session.get(Organisation, i) for i in ids]
