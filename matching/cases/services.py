"""Support case operations. They change state and flush; the caller commits once."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from matching import access, vocab
from matching.accounts.models import User
from matching.cases.models import (
    ACTIVE_STAGES,
    CLOSED_STAGES,
    Activity,
    BarrierRating,
    FundingLine,
    ReadinessItem,
    SupportCase,
)
from matching.core.timeutils import paris_today, utcnow
from matching.extensions import db
from matching.organisations.models import Organisation


class CaseError(ValueError):
    """A rule of support cases was broken; the message is for the user."""


# ---------------------------------------------------------------- timeline


def log_activity(
    case: SupportCase,
    kind: str,
    author: User | None,
    title: str = "",
    body: str | None = None,
    visibility: str = "officers",
    occurred_at: datetime | None = None,
    data: dict | None = None,
) -> Activity:
    activity = Activity(
        case=case,
        kind=kind,
        author=author,
        title=title[:200],
        body=body,
        visibility=visibility,
        occurred_at=occurred_at or utcnow(),
        data=data or {},
    )
    db.session.add(activity)
    case.last_activity_at = utcnow()
    return activity


def timeline(user, case: SupportCase, limit: int | None = None) -> list[Activity]:
    """The case's activities the user may read, newest first."""
    query = (
        select(Activity)
        .where(Activity.case_id == case.id)
        .options(joinedload(Activity.author))
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
    )
    if not access.is_officer(user):
        query = query.where(Activity.visibility == "employer")
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- cases


def open_case(
    organisation: Organisation,
    title: str,
    author: User,
    officer: User | None = None,
    stage: str = "premier_contact",
) -> SupportCase:
    """Open a case with an empty readiness checklist."""
    case = SupportCase(
        organisation=organisation,
        title=title,
        officer=officer,
        stage=stage,
        opened_on=paris_today(),
        needs=[],
    )
    db.session.add(case)
    for item in vocab.READINESS_ITEMS:
        case.readiness_items.append(ReadinessItem(item=item, status="non_commence"))
    db.session.flush()
    log_activity(
        case,
        "stage_change",
        author,
        _("Accompagnement ouvert"),
        visibility="employer",
        data={"from": None, "to": stage},
    )
    return case


KEY_FIELDS = ("title", "officer_id", "next_step", "next_step_due")


def update_case(case: SupportCase, author: User, **values) -> None:
    """Change key fields; each change is recorded on the timeline."""
    changes = {}
    for field, new in values.items():
        old = getattr(case, field)
        if old != new:
            setattr(case, field, new)
            if field in KEY_FIELDS:
                changes[field] = [_plain(old), _plain(new)]
    if changes:
        log_activity(
            case, "edit", author, _("Informations modifiées"), data={"changes": changes}
        )


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def change_stage(
    case: SupportCase,
    new_stage: str,
    author: User,
    reason: str | None = None,
    note: str | None = None,
) -> None:
    """Move a case to another stage; pause and abandon need a reason."""
    if new_stage not in vocab.CASE_STAGES:
        raise CaseError(_("Étape inconnue."))
    if new_stage == case.stage:
        raise CaseError(_("L'accompagnement est déjà à cette étape."))
    if new_stage in ("en_pause", "abandonne") and reason not in vocab.STOP_REASONS:
        raise CaseError(_("Indiquez la raison de la pause ou de l'arrêt."))
    old_stage = case.stage
    if new_stage == "en_pause":
        case.stage_before_pause = old_stage if old_stage in ACTIVE_STAGES else None
    if new_stage in ("en_pause", "abandonne"):
        case.stop_reason, case.stop_note = reason, note
    else:
        case.stop_reason, case.stop_note = None, None
    case.closed_on = paris_today() if new_stage in CLOSED_STAGES else None
    case.stage = new_stage
    case.stage_changed_at = utcnow()
    log_activity(
        case,
        "stage_change",
        author,
        _(
            "Étape : %(old)s → %(new)s",
            old=vocab.CASE_STAGES.label(old_stage),
            new=vocab.CASE_STAGES.label(new_stage),
        ),
        body=note,
        visibility="employer",
        data={"from": old_stage, "to": new_stage, "reason": reason},
    )


def is_overdue(case: SupportCase, today: date | None = None) -> bool:
    today = today or paris_today()
    return bool(case.next_step_due and case.next_step_due < today and case.is_open)


CASE_SORTS = {
    "echeance": (SupportCase.next_step_due.is_(None), SupportCase.next_step_due),
    "recent": (SupportCase.updated_at.desc(),),
    "structure": (Organisation.name_search,),
    "etape": (SupportCase.stage_changed_at,),
}


def list_cases(user, filters: dict, page: int, per_page: int):
    """Cases the user may see, filtered and sorted; overdue next steps first."""
    query = (
        access.cases_scope(user)
        .join(SupportCase.organisation)
        .options(joinedload(SupportCase.organisation), joinedload(SupportCase.officer))
    )
    query = _apply_case_filters(query, filters)
    today = paris_today()
    overdue_first = and_(
        SupportCase.next_step_due < today, SupportCase.stage.not_in(CLOSED_STAGES)
    )
    sort = CASE_SORTS.get(filters.get("sort") or "echeance", CASE_SORTS["echeance"])
    query = query.order_by(overdue_first.desc(), *sort, SupportCase.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _apply_case_filters(query, filters: dict):
    if filters.get("unassigned"):
        query = query.where(SupportCase.officer_id.is_(None))
    elif filters.get("mine") and filters.get("officer_id"):
        query = query.where(SupportCase.officer_id == filters["officer_id"])
    elif filters.get("officer"):
        query = query.where(SupportCase.officer_id == filters["officer"])
    if filters.get("stage"):
        query = query.where(SupportCase.stage == filters["stage"])
    elif not filters.get("include_closed"):
        query = query.where(SupportCase.stage.not_in(CLOSED_STAGES))
    if filters.get("sector"):
        query = query.where(Organisation.sector == filters["sector"])
    if filters.get("overdue"):
        query = query.where(
            SupportCase.next_step_due < paris_today(),
            SupportCase.stage.not_in(CLOSED_STAGES),
        )
    if filters.get("funding_status"):
        query = query.where(
            exists().where(
                FundingLine.case_id == SupportCase.id,
                FundingLine.status == filters["funding_status"],
            )
        )
    if filters.get("q"):
        from matching.core.search import fuzzy_ids

        rows = db.session.execute(
            select(SupportCase.id, Organisation.name_search, SupportCase.title).join(
                SupportCase.organisation
            )
        )
        keys = {case_id: f"{name} {vocab.fold(title)}" for case_id, name, title in rows}
        query = query.where(SupportCase.id.in_(fuzzy_ids(filters["q"], keys)))
    return query


BOARD_COLUMN_SIZE = 20


def board(user, filters: dict) -> dict[str, dict]:
    """Open cases by stage: the count and the first cards (nearest due date first)."""
    base = access.cases_scope(user).join(SupportCase.organisation)
    base = _apply_case_filters(base, {**filters, "include_closed": True})
    stages = (*ACTIVE_STAGES, "en_pause")
    counts = dict(
        db.session.execute(
            base.with_only_columns(SupportCase.stage, func.count(SupportCase.id))
            .where(SupportCase.stage.in_(stages))
            .group_by(SupportCase.stage)
        ).all()
    )
    ranked = (
        base.with_only_columns(
            SupportCase.id,
            func.row_number()
            .over(
                partition_by=SupportCase.stage,
                order_by=(
                    SupportCase.next_step_due.is_(None),
                    SupportCase.next_step_due,
                    SupportCase.id,
                ),
            )
            .label("position"),
        )
        .where(SupportCase.stage.in_(stages))
        .subquery()
    )
    cards = db.session.scalars(
        select(SupportCase)
        .join(ranked, ranked.c.id == SupportCase.id)
        .where(ranked.c.position <= BOARD_COLUMN_SIZE)
        .options(joinedload(SupportCase.organisation), joinedload(SupportCase.officer))
        .order_by(ranked.c.position)
    ).all()
    columns = {stage: {"count": counts.get(stage, 0), "cases": []} for stage in stages}
    for case in cards:
        columns[case.stage]["cases"].append(case)
    return columns


def list_cases_of(user, organisation: Organisation) -> list[SupportCase]:
    return list(
        db.session.scalars(
            access.cases_scope(user)
            .where(SupportCase.organisation_id == organisation.id)
            .options(joinedload(SupportCase.officer))
            .order_by(SupportCase.opened_on.desc())
        )
    )


def list_officers() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == "officer", User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def get_case_for_detail(case_id: int) -> SupportCase | None:
    return db.session.scalar(
        select(SupportCase)
        .where(SupportCase.id == case_id)
        .options(
            joinedload(SupportCase.organisation),
            joinedload(SupportCase.officer),
            selectinload(SupportCase.readiness_items),
            selectinload(SupportCase.barrier_ratings),
            selectinload(SupportCase.funding_lines),
        )
    )


# ---------------------------------------------------------------- readiness


def readiness_progress(items: list[ReadinessItem]) -> dict:
    """Done items over applicable items, per area and overall (percentages)."""
    areas: dict[str, list[int]] = {area: [0, 0] for area in vocab.READINESS_AREAS}
    for item in items:
        area = vocab.READINESS_ITEM_AREA.get(item.item)
        if area is None or item.status == "non_applicable":
            continue
        areas[area][1] += 1
        if item.status == "fait":
            areas[area][0] += 1
    done = sum(d for d, _ in areas.values())
    total = sum(t for _, t in areas.values())
    return {
        "areas": {
            area: {"done": d, "total": t, "percent": round(100 * d / t) if t else 0}
            for area, (d, t) in areas.items()
        },
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else 0,
    }


def update_readiness(case: SupportCase, author: User, values: dict[str, tuple]) -> int:
    """Save statuses and notes {item: (status, note)}; return how many changed."""
    by_item = {item.item: item for item in case.readiness_items}
    changed = []
    for slug, (status, note) in values.items():
        if slug not in vocab.READINESS_ITEMS or status not in vocab.READINESS_STATUSES:
            raise CaseError(_("Élément ou état inconnu."))
        item = by_item.get(slug)
        if item is None:
            item = ReadinessItem(item=slug)
            case.readiness_items.append(item)
        if (item.status, item.note or None) != (status, note or None):
            item.status, item.note = status, note or None
            item.updated_by_id = author.id
            changed.append(slug)
    if changed:
        log_activity(
            case,
            "edit",
            author,
            _("Préparation mise à jour (%(n)s éléments)", n=len(changed)),
            visibility="employer",
            data={"readiness": changed},
        )
    return len(changed)


# ---------------------------------------------------------------- barriers


def save_barriers(
    case: SupportCase, author: User, ratings: dict[str, int | None], needs, note
) -> None:
    """Store the 1–4 rating of each barrier (None removes it), needs and free text."""
    existing = {rating.barrier: rating for rating in case.barrier_ratings}
    for barrier, value in ratings.items():
        if barrier not in vocab.BARRIERS:
            raise CaseError(_("Frein inconnu."))
        if value is None:
            if barrier in existing:
                case.barrier_ratings.remove(existing[barrier])
            continue
        if value not in (1, 2, 3, 4):
            raise CaseError(_("Une note va de 1 à 4."))
        if barrier in existing:
            existing[barrier].rating = value
        else:
            case.barrier_ratings.append(BarrierRating(barrier=barrier, rating=value))
    unknown = [need for need in needs if need not in vocab.NEEDS]
    if unknown:
        raise CaseError(_("Besoin inconnu."))
    case.needs = list(needs)
    case.barriers_note = note or None
    log_activity(
        case, "edit", author, _("Freins et besoins mis à jour"), visibility="employer"
    )


def ranked_barriers(case: SupportCase) -> list[BarrierRating]:
    """What blocks this employer most first; ties in the diagnostic's order."""
    order = {slug: n for n, slug in enumerate(vocab.BARRIERS)}
    return sorted(case.barrier_ratings, key=lambda r: (-r.rating, order[r.barrier]))


def cases_by_officer_counts() -> dict[int, int]:
    return dict(
        db.session.execute(
            select(SupportCase.officer_id, func.count(SupportCase.id))
            .where(SupportCase.stage.not_in(CLOSED_STAGES))
            .group_by(SupportCase.officer_id)
        ).all()
    )


def overdue_cases(user, limit: int = 10) -> list[SupportCase]:
    """The user's open cases whose next step is late, the latest first."""
    query = (
        access.cases_scope(user)
        .options(joinedload(SupportCase.organisation))
        .where(
            SupportCase.next_step_due < paris_today(),
            SupportCase.stage.not_in(CLOSED_STAGES),
        )
        .order_by(SupportCase.next_step_due)
        .limit(limit)
    )
    if access.is_officer(user):
        query = query.where(
            or_(SupportCase.officer_id == user.id, SupportCase.officer_id.is_(None))
        )
    return list(db.session.scalars(query))


# ---------------------------------------------------------------- funding

FUNDING_FIELDS = (
    "funder",
    "instrument",
    "status",
    "amount_requested",
    "amount_granted",
    "period_start",
    "period_end",
    "filing_deadline",
    "expected_decision_on",
    "agreement_on",
    "report_due_on",
    "notes",
)


def save_funding_line(
    case: SupportCase, author: User, values: dict, line: FundingLine | None = None
) -> FundingLine:
    """Create or update a funding line; new lines and status changes are logged."""
    from matching.cases.funding import default_report_due

    is_new = line is None
    if is_new:
        line = FundingLine(case=case)
        db.session.add(line)
    if values.get("funder") not in vocab.FUNDERS:
        raise CaseError(_("Financeur inconnu."))
    if values.get("status") not in vocab.FUNDING_STATUSES:
        raise CaseError(_("État de financement inconnu."))
    old_status = None if is_new else line.status
    for field in FUNDING_FIELDS:
        value = values.get(field)
        setattr(line, field, value if value not in ("",) else None)
    if line.report_due_on is None:
        line.report_due_on = default_report_due(line.period_end)
    funder = vocab.FUNDERS.label(line.funder)
    if is_new:
        log_activity(
            case,
            "edit",
            author,
            _("Financement ajouté : %(funder)s", funder=funder),
            visibility="employer",
            data={"funding": "added", "status": line.status},
        )
    elif old_status != line.status:
        log_activity(
            case,
            "edit",
            author,
            _(
                "Financement %(funder)s : %(old)s → %(new)s",
                funder=funder,
                old=vocab.FUNDING_STATUSES.label(old_status),
                new=vocab.FUNDING_STATUSES.label(line.status),
            ),
            visibility="employer",
            data={"funding": "status", "from": old_status, "to": line.status},
        )
    db.session.flush()
    return line


def delete_funding_line(line: FundingLine, author: User) -> None:
    log_activity(
        line.case,
        "edit",
        author,
        _("Financement retiré : %(funder)s", funder=vocab.FUNDERS.label(line.funder)),
        visibility="employer",
    )
    db.session.delete(line)


def add_activity(case: SupportCase, author: User, values: dict) -> Activity:
    return log_activity(
        case,
        values["kind"],
        author,
        values["title"],
        body=values["body"],
        visibility=values["visibility"],
        occurred_at=values["occurred_at"],
        data={"link": values["link"]} if values.get("link") else {},
    )


def update_activity(activity: Activity, values: dict) -> None:
    activity.kind = values["kind"]
    activity.title = values["title"]
    activity.body = values["body"]
    activity.visibility = values["visibility"]
    activity.occurred_at = values["occurred_at"]
    activity.data = {"link": values["link"]} if values.get("link") else {}


def request_case(
    organisation: Organisation, title: str, message: str | None, author: User
) -> SupportCase:
    """An employer asks for an accompaniment: a case without officer, officers told."""
    from matching.email import send_email
    from matching.organisations.services import list_officers

    case = open_case(organisation, title, author)
    if message:
        log_activity(
            case,
            "note",
            author,
            _("Demande de la structure"),
            body=message,
            visibility="employer",
        )
    for officer in list_officers():
        send_email(
            officer,
            _("Nouvelle demande d'accompagnement : %(name)s", name=organisation.name),
            "case_requested",
            case=case,
        )
    return case


def cases_to_assign(limit: int = 10) -> tuple[list[SupportCase], int]:
    """The oldest open cases nobody follows yet (employers' requests, mostly),
    and how many there are in all."""
    unassigned = (
        SupportCase.officer_id.is_(None),
        SupportCase.stage.not_in(CLOSED_STAGES),
    )
    cases = db.session.scalars(
        select(SupportCase)
        .options(joinedload(SupportCase.organisation))
        .where(*unassigned)
        .order_by(SupportCase.created_at, SupportCase.id)
        .limit(limit)
    )
    total = db.session.scalar(select(func.count(SupportCase.id)).where(*unassigned))
    return list(cases), total
