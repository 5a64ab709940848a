"""The territory's figures, aggregated in SQL (GROUP BY, COUNT, SUM, window functions):
never a Python loop over rows, so they stay fast with thousands of cases."""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import Date, and_, case, cast, func, literal, or_, select

from matching import vocab
from matching.candidates.models import Candidate
from matching.cases.funding import (
    GRANTED_STATUSES,
    REQUESTED_STATUSES,
    SECURED_STATUSES,
)
from matching.cases.models import (
    CLOSED_STAGES,
    Activity,
    BarrierRating,
    FundingLine,
    ReadinessItem,
    SupportCase,
)
from matching.core.timeutils import paris_to_utc, paris_today, utcnow
from matching.extensions import db
from matching.introductions.models import (
    Introduction,
    IntroductionEvent,
    Milestone,
    Placement,
)
from matching.organisations.models import Organisation
from matching.postings.models import JobPosting
from matching.reminders.models import EmailMessage

FUNNEL_STEPS = (
    ("met", "Candidat·es rencontré·es"),
    ("complete", "Profils complets"),
    ("published", "Offres publiées"),
    ("proposed", "Mises en relation proposées"),
    ("accepted", "Acceptées par les candidat·es"),
    ("interviews", "Entretiens"),
    ("hires", "Embauches"),
)


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    sector: str | None = None
    department: str | None = None
    officer_id: int | None = None
    organisation_id: int | None = None  # an employer's own dashboard

    def window(self, column):
        """Conditions keeping ``column`` (a UTC datetime) inside the period."""
        conditions = []
        if self.start:
            conditions.append(
                column >= paris_to_utc(datetime.combine(self.start, time.min))
            )
        if self.end:
            conditions.append(
                column <= paris_to_utc(datetime.combine(self.end, time.max))
            )
        return conditions

    def day_window(self, column):
        conditions = []
        if self.start:
            conditions.append(column >= self.start)
        if self.end:
            conditions.append(column <= self.end)
        return conditions

    def on_organisation(self):
        conditions = []
        if self.sector:
            conditions.append(Organisation.sector == self.sector)
        if self.department:
            conditions.append(Organisation.department == self.department)
        if self.organisation_id:
            conditions.append(Organisation.id == self.organisation_id)
        return conditions

    def on_case(self):
        conditions = self.on_organisation()
        if self.officer_id:
            conditions.append(SupportCase.officer_id == self.officer_id)
        return conditions

    def scope_cases(self, query):
        """Join the organisation only when a filter needs it (it costs on big tables)."""
        if self.on_organisation():
            query = query.join(SupportCase.organisation)
        return query.where(*self.on_case())


def _dialect() -> str:
    return db.engine.dialect.name


def days_between(start, end):
    """Days between two datetimes, in SQL, on SQLite and PostgreSQL."""
    if _dialect() == "sqlite":
        return func.julianday(end) - func.julianday(start)
    return func.extract("epoch", end - start) / 86400.0


def months_after(day_column, months: int):
    if _dialect() == "sqlite":
        return func.date(day_column, f"+{months} months")
    return cast(day_column + func.make_interval(0, months), Date)


# ---------------------------------------------------------------- organisations


def organisations_by(column_name: str, filters: Filters) -> list[dict]:
    """Organisations per sector (or department), with and without peer workers."""
    column = getattr(Organisation, column_name)
    rows = db.session.execute(
        select(
            column,
            func.count(Organisation.id),
            func.sum(case((Organisation.peer_workers_count > 0, 1), else_=0)),
        )
        .where(*filters.on_organisation())
        .group_by(column)
        .order_by(func.count(Organisation.id).desc(), column)
    ).all()
    return [
        {
            "key": key,
            "total": total,
            "with_peers": int(with_peers or 0),
            "without_peers": total - int(with_peers or 0),
        }
        for key, total, with_peers in rows
    ]


# ---------------------------------------------------------------- cases


def cases_by_stage(filters: Filters) -> dict[str, int]:
    query = select(SupportCase.stage, func.count(SupportCase.id)).where(
        *filters.day_window(SupportCase.opened_on)
    )
    rows = db.session.execute(
        filters.scope_cases(query).group_by(SupportCase.stage)
    ).all()
    return dict(rows)


def days_in_stage(filters: Filters) -> dict[str, float]:
    """Average days a case spends in each stage, from the stage changes of the
    timeline (the current stage counts until today)."""
    stage = Activity.data["to"].as_string()
    steps = (
        select(
            Activity.case_id,
            stage.label("stage"),
            Activity.occurred_at.label("started"),
            func.lead(Activity.occurred_at)
            .over(
                partition_by=Activity.case_id,
                order_by=(Activity.occurred_at, Activity.id),
            )
            .label("ended"),
        )
        .join(SupportCase, SupportCase.id == Activity.case_id)
        .where(Activity.kind == "stage_change")
    )
    steps = filters.scope_cases(steps).subquery()
    now = literal(utcnow().replace(microsecond=0))
    ended = func.coalesce(steps.c.ended, now)
    rows = db.session.execute(
        select(
            steps.c.stage, func.avg(days_between(steps.c.started, ended)), func.count()
        )
        .where(steps.c.stage.is_not(None))
        .group_by(steps.c.stage)
    ).all()
    return {key: round(float(days or 0), 1) for key, days, _ in rows}


# ---------------------------------------------------------------- funnel


def funnel(filters: Filters) -> dict[str, int]:
    """Candidates met, complete profiles, offers published, introductions proposed and
    accepted, interviews, hires: distinct people or introductions in the period."""
    met = db.session.scalar(
        select(func.count(Candidate.id)).where(*filters.window(Candidate.created_at))
    )
    complete = db.session.scalar(
        select(func.count(Candidate.id)).where(
            Candidate.completed_at.is_not(None), *filters.window(Candidate.completed_at)
        )
    )
    published = db.session.scalar(
        select(func.count(JobPosting.id))
        .join(JobPosting.organisation)
        .where(
            JobPosting.published_at.is_not(None),
            *filters.window(JobPosting.published_at),
            *filters.on_organisation(),
        )
    )
    steps = dict(
        db.session.execute(
            select(
                IntroductionEvent.to_status,
                func.count(func.distinct(IntroductionEvent.introduction_id)),
            )
            .join(Introduction, Introduction.id == IntroductionEvent.introduction_id)
            .join(JobPosting, JobPosting.id == Introduction.posting_id)
            .join(JobPosting.organisation)
            .where(
                IntroductionEvent.kind == "transition",
                IntroductionEvent.to_status.in_(
                    ("proposee_candidat", "acceptee_candidat", "entretien", "embauche")
                ),
                *filters.window(IntroductionEvent.at),
                *filters.on_organisation(),
                *(
                    [Introduction.proposed_by_id == filters.officer_id]
                    if filters.officer_id
                    else []
                ),
            )
            .group_by(IntroductionEvent.to_status)
        ).all()
    )
    return {
        "met": met or 0,
        "complete": complete or 0,
        "published": published or 0,
        "proposed": steps.get("proposee_candidat", 0),
        "accepted": steps.get("acceptee_candidat", 0),
        "interviews": steps.get("entretien", 0),
        "hires": steps.get("embauche", 0),
    }


def retention(filters: Filters, today: date | None = None) -> list[dict]:
    """Hires still in post 6 and 12 months after they started."""
    today = today or paris_today()
    results = []
    for months in (6, 12):
        reached = months_after(Placement.start_date, months)
        total, still = db.session.execute(
            select(
                func.count(Placement.id),
                func.sum(
                    case(
                        (
                            or_(
                                Placement.ended_on.is_(None),
                                Placement.ended_on >= reached,
                            ),
                            1,
                        ),
                        else_=0,
                    )
                ),
            )
            .join(Organisation, Organisation.id == Placement.organisation_id)
            .where(
                reached <= today,
                *filters.on_organisation(),
                *filters.day_window(Placement.start_date),
            )
        ).one()
        results.append(
            {"months": months, "total": total or 0, "still": int(still or 0)}
        )
    return results


# ---------------------------------------------------------------- funding


def _funding_window(filters: Filters) -> list:
    """A line is in the period by its funded period; a line without one (year None,
    the "Sans période" row) by the day it was entered, so it is never left out."""
    if not (filters.start or filters.end):
        return []
    return [
        or_(
            and_(*filters.day_window(FundingLine.period_start)),
            and_(
                FundingLine.period_start.is_(None),
                *filters.window(FundingLine.created_at),
            ),
        )
    ]


def funding_by_funder_and_year(filters: Filters) -> list[dict]:
    """Amounts per funder and year of the funded period; lines without a period
    come last with the year None, so the rows add up to every line."""
    year = func.extract("year", FundingLine.period_start)
    requested = func.sum(
        case(
            (FundingLine.status.in_(REQUESTED_STATUSES), FundingLine.amount_requested),
            else_=0,
        )
    )
    granted = func.sum(
        case(
            (FundingLine.status.in_(GRANTED_STATUSES), FundingLine.amount_granted),
            else_=0,
        )
    )
    secured = func.sum(
        case(
            (FundingLine.status.in_(SECURED_STATUSES), FundingLine.amount_granted),
            else_=0,
        )
    )
    query = (
        select(
            FundingLine.funder,
            year,
            requested,
            granted,
            secured,
            func.count(FundingLine.id),
        )
        .join(SupportCase, SupportCase.id == FundingLine.case_id)
        .where(*_funding_window(filters))
    )
    rows = db.session.execute(
        filters.scope_cases(query)
        .group_by(FundingLine.funder, year)
        .order_by(year.is_(None), year, FundingLine.funder)
    ).all()
    return [
        {
            "funder": funder,
            "year": int(y) if y is not None else None,
            "requested": req or 0,
            "granted": gra or 0,
            "secured": sec or 0,
            "lines": lines,
        }
        for funder, y, req, gra, sec, lines in rows
    ]


# ---------------------------------------------------------------- barriers, readiness


def barriers(filters: Filters) -> list[dict]:
    """The 12 barriers ranked by mean rating, with the 1–4 distribution."""
    query = select(
        BarrierRating.barrier, BarrierRating.rating, func.count(BarrierRating.id)
    ).join(SupportCase, SupportCase.id == BarrierRating.case_id)
    rows = db.session.execute(
        filters.scope_cases(query).group_by(BarrierRating.barrier, BarrierRating.rating)
    ).all()
    counts = {slug: [0, 0, 0, 0] for slug in vocab.BARRIERS}
    for barrier, rating, count in rows:
        if barrier in counts and 1 <= rating <= 4:
            counts[barrier][rating - 1] = count
    order = {slug: n for n, slug in enumerate(vocab.BARRIERS)}
    result = []
    for slug, values in counts.items():
        total = sum(values)
        mean = sum((n + 1) * v for n, v in enumerate(values)) / total if total else None
        result.append({"barrier": slug, "counts": values, "total": total, "mean": mean})
    return sorted(
        result,
        key=lambda r: (r["mean"] is None, -(r["mean"] or 0), order[r["barrier"]]),
    )


def readiness_by_area(filters: Filters) -> list[dict]:
    query = (
        select(ReadinessItem.item, ReadinessItem.status, func.count(ReadinessItem.id))
        .join(SupportCase, SupportCase.id == ReadinessItem.case_id)
        .where(SupportCase.stage.not_in(CLOSED_STAGES))
    )
    rows = db.session.execute(
        filters.scope_cases(query).group_by(ReadinessItem.item, ReadinessItem.status)
    ).all()
    areas = {
        area: {"done": 0, "in_progress": 0, "applicable": 0}
        for area in vocab.READINESS_AREAS
    }
    for item, status, count in rows:
        area = vocab.READINESS_ITEM_AREA.get(item)
        if area is None or status == "non_applicable":
            continue
        areas[area]["applicable"] += count
        if status == "fait":
            areas[area]["done"] += count
        elif status == "en_cours":
            areas[area]["in_progress"] += count
    return [
        {
            "area": area,
            **figures,
            "percent": round(100 * figures["done"] / figures["applicable"])
            if figures["applicable"]
            else 0,
        }
        for area, figures in areas.items()
    ]


# ---------------------------------------------------------------- alerts


def alerts(filters: Filters, today: date | None = None) -> dict[str, int]:
    today = today or paris_today()
    overdue_steps = db.session.scalar(
        filters.scope_cases(
            select(func.count(SupportCase.id)).where(
                SupportCase.next_step_due < today,
                SupportCase.stage.not_in(CLOSED_STAGES),
            )
        )
    )
    overdue_milestones = db.session.scalar(
        select(func.count(Milestone.id))
        .join(Placement, Placement.id == Milestone.placement_id)
        .join(Organisation, Organisation.id == Placement.organisation_id)
        .where(
            Milestone.done_at.is_(None),
            Milestone.due_on < today,
            Placement.status == "en_cours",
            *filters.on_organisation(),
        )
    )
    if filters.organisation_id:
        return {
            "overdue_steps": overdue_steps or 0,
            "overdue_milestones": overdue_milestones or 0,
        }
    emails = dict(
        db.session.execute(
            select(EmailMessage.status, func.count(EmailMessage.id))
            .where(
                or_(
                    EmailMessage.status == "failed",
                    and_(
                        EmailMessage.status == "pending",
                        EmailMessage.due_at < utcnow(),
                    ),
                )
            )
            .group_by(EmailMessage.status)
        ).all()
    )
    return {
        "overdue_steps": overdue_steps or 0,
        "overdue_milestones": overdue_milestones or 0,
        "emails_waiting": emails.get("pending", 0),
        "emails_failed": emails.get("failed", 0),
    }
