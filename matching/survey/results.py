"""The diagnostic's figures, computed by the database (COUNT, AVG, GROUP BY).

A campaign's results take a fixed number of queries however many organisations
answered: one for the counts, one per breakdown (fields, barriers, needs). Python only
turns those aggregates into percentages, ratios and rankings. Groups smaller than
``access.SURVEY_MIN_GROUP_SIZE`` are not shown, so no figure points at one organisation.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, true

from matching import access, vocab
from matching.extensions import db
from matching.survey.models import (
    SurveyBarrierRating,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
)
from matching.survey.questions import FIELD_SECTORS, FIELDS, YES_NO_QUESTIONS

# ---------------------------------------------------------------- pure helpers


def percent(part: int, whole: int) -> int | None:
    """Whole percentage, halves rounded up (14 of 17 -> 82); None when whole is 0."""
    if not whole:
        return None
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class Ratio:
    """ "1 structure sur 2": ``part`` of ``whole`` as a small fraction."""

    part: int
    whole: int
    numerator: int
    denominator: int
    approximate: bool

    @property
    def kind(self) -> str:
        if self.whole == 0:
            return "empty"
        if self.part == 0:
            return "none"
        if self.part == self.whole:
            return "all"
        return "ratio"


def ratio(part: int, whole: int, max_denominator: int = 5) -> Ratio:
    """The nearest fraction with a small denominator (6 of 12 -> 1 in 2, exact;
    7 of 12 -> about 3 in 5); near 0 or 1 the exact fraction is kept (1 in 12)."""
    if not whole or not part or part == whole:
        return Ratio(part, whole, part, whole, False)
    exact = Fraction(part, whole)
    near = exact.limit_denominator(max_denominator)
    if near in (0, 1):
        near = exact
    return Ratio(part, whole, near.numerator, near.denominator, near != exact)


@dataclass(frozen=True)
class Share:
    """A count out of a total, with its percentage."""

    count: int
    total: int

    @property
    def percent(self) -> int | None:
        return percent(self.count, self.total)

    @property
    def shown(self) -> bool:
        """The small-group rule for every figure: 1 or 2 structures answering
        something (or out of 1 or 2) are not shown, as a count, a percentage or a
        ratio, since "33 %" of 3 tells the count as well as "1" does."""
        return access.survey_figure_is_shown(
            self.count
        ) and access.survey_figure_is_shown(self.total)


@dataclass(frozen=True)
class BarrierRow:
    slug: str
    counts: tuple[int, int, int, int]  # answers rating it 1, 2, 3, 4
    total: int
    mean: float

    @property
    def label(self) -> str:
        return vocab.BARRIERS.label(self.slug)

    @property
    def short_label(self) -> str:
        return vocab.BARRIERS.short_label(self.slug)


@dataclass
class CampaignResults:
    campaign: SurveyCampaign
    responses: int
    asked: int
    # False below the minimum number of answers: then only the count is shown.
    shown: bool
    fields: list[tuple[str, int | None]] = field(default_factory=list)
    answers: dict[str, Share] = field(default_factory=dict)
    considers_hiring: Share = Share(0, 0)
    barriers: list[BarrierRow] = field(default_factory=list)
    needs: list[tuple[str, Share]] = field(default_factory=list)

    @property
    def response_rate(self) -> Share:
        return Share(self.responses, self.asked)

    @property
    def considers_ratio(self) -> Ratio:
        return ratio(self.considers_hiring.count, self.considers_hiring.total)

    @property
    def main_field(self) -> tuple[str, int] | None:
        """The field most answers come from ("dont 14 du social")."""
        known = [(slug, n) for slug, n in self.fields if n and slug != "autre"]
        return max(known, key=lambda item: item[1]) if known else None


# ---------------------------------------------------------------- queries


def _yes(column):
    return func.count(case((column.is_(True), 1)))


def _counts(campaign: SurveyCampaign):
    response = SurveyResponse
    without = response.has_peer_worker_in_post.is_(False)
    invitations = (
        select(func.count(SurveyInvitation.id))
        .where(SurveyInvitation.campaign_id == campaign.id)
        .scalar_subquery()
    )
    return db.session.execute(
        select(
            func.count(response.id).label("responses"),
            invitations.label("invitations"),
            *(_yes(getattr(response, slug)).label(slug) for slug in YES_NO_QUESTIONS),
            func.count(case((without, 1))).label("without_peer_worker"),
            func.count(case((without & response.considers_hiring.is_(True), 1))).label(
                "considers_hiring"
            ),
        ).where(response.campaign_id == campaign.id)
    ).one()


def _field_counts(campaign: SurveyCampaign) -> dict[str, int]:
    field_of = case(
        *(
            (SurveyResponse.sector.in_(sectors), slug)
            for slug, sectors in FIELD_SECTORS.items()
        ),
        else_="autre",
    ).label("field")
    rows = db.session.execute(
        select(field_of, func.count(SurveyResponse.id))
        .where(SurveyResponse.campaign_id == campaign.id)
        .group_by("field")
    )
    return dict(rows.all())


def _barrier_rows(campaign: SurveyCampaign) -> list[BarrierRow]:
    """Each barrier's 1–4 distribution and mean, most important first."""
    rating = SurveyBarrierRating
    rows = db.session.execute(
        select(
            rating.barrier,
            func.count(rating.id),
            func.avg(rating.rating),
            *(func.count(case((rating.rating == k, 1))) for k in (1, 2, 3, 4)),
        )
        .join(SurveyResponse, SurveyResponse.id == rating.response_id)
        .where(SurveyResponse.campaign_id == campaign.id)
        .group_by(rating.barrier)
    )
    order = {slug: n for n, slug in enumerate(vocab.BARRIERS)}
    barriers = [
        BarrierRow(slug, (c1, c2, c3, c4), total, float(mean))
        for slug, total, mean, c1, c2, c3, c4 in rows
        if slug in order
    ]
    return sorted(barriers, key=lambda b: (-round(b.mean, 6), order[b.slug]))


def _json_elements(column):
    """The elements of a JSON list as rows, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.json_array_elements_text(column).table_valued("value")
    return func.json_each(column).table_valued("value")


def _need_counts(campaign: SurveyCampaign) -> dict[str, int]:
    need = _json_elements(SurveyResponse.needs)
    rows = db.session.execute(
        select(need.c.value, func.count(SurveyResponse.id.distinct()))
        .select_from(SurveyResponse)
        .join(need, true())
        .where(SurveyResponse.campaign_id == campaign.id)
        .group_by(need.c.value)
    )
    return {str(slug): count for slug, count in rows}


def campaign_results(campaign: SurveyCampaign) -> CampaignResults:
    """Every figure of the diagnostic for one campaign, in four queries."""
    counts = _counts(campaign)
    responses = counts.responses
    results = CampaignResults(
        campaign=campaign,
        responses=responses,
        asked=max(campaign.invited_count or 0, counts.invitations),
        shown=responses > 0 and access.survey_figure_is_shown(responses),
    )
    if not results.shown:
        return results
    by_field = _field_counts(campaign)
    results.fields = [
        (slug, n if access.survey_figure_is_shown(n) else None)
        for slug in FIELDS
        if (n := by_field.get(slug, 0)) or slug != "autre"
    ]
    results.answers = {
        slug: Share(getattr(counts, slug), responses) for slug in YES_NO_QUESTIONS
    }
    results.considers_hiring = Share(
        counts.considers_hiring, counts.without_peer_worker
    )
    results.barriers = _barrier_rows(campaign)
    by_need = _need_counts(campaign)
    results.needs = [
        (slug, Share(by_need.get(slug, 0), responses)) for slug in vocab.NEEDS
    ]
    return results


def list_contributions(campaign: SurveyCampaign) -> list[str]:
    """What respondents wrote about what peer workers bring (officers only)."""
    return list(
        db.session.scalars(
            select(SurveyResponse.contributions_text)
            .where(
                SurveyResponse.campaign_id == campaign.id,
                SurveyResponse.contributions_text.is_not(None),
                SurveyResponse.contributions_text != "",
            )
            .order_by(SurveyResponse.submitted_at, SurveyResponse.id)
        )
    )


# ---------------------------------------------------------------- comparison


@dataclass(frozen=True)
class ComparedRow:
    """One figure of two campaigns side by side; ``unit`` is "", "%" or "mean"."""

    label: object
    before: float | None
    after: float | None
    unit: str = ""
    before_count: int | None = None
    after_count: int | None = None

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def _share_value(results: CampaignResults, share: Share | None):
    if share is None or not results.shown or not share.shown:
        return None, None
    return share.percent, share.count


def compare(before: CampaignResults, after: CampaignResults) -> dict[str, list]:
    """Rows for the comparison page: general figures, barriers (by mean), needs."""
    general = [
        ComparedRow(_l("Réponses"), before.responses, after.responses),
        ComparedRow(_l("Structures sollicitées"), before.asked, after.asked),
        ComparedRow(
            _l("Taux de réponse"),
            before.response_rate.percent,
            after.response_rate.percent,
            "%",
        ),
    ]
    for slug, label in YES_NO_QUESTIONS.items():
        b, bc = _share_value(before, before.answers.get(slug))
        a, ac = _share_value(after, after.answers.get(slug))
        general.append(ComparedRow(label, b, a, "%", bc, ac))
    b, bc = _share_value(before, before.considers_hiring)
    a, ac = _share_value(after, after.considers_hiring)
    general.append(
        ComparedRow(
            _l("Sans TP en poste, envisagent d'en intégrer un·e"), b, a, "%", bc, ac
        )
    )
    means_before = {row.slug: row.mean for row in before.barriers}
    ranked = [row.slug for row in after.barriers] + [
        slug for slug in vocab.BARRIERS if slug not in {r.slug for r in after.barriers}
    ]
    means_after = {row.slug: row.mean for row in after.barriers}
    barriers = [
        ComparedRow(
            vocab.BARRIERS.label(slug),
            means_before.get(slug),
            means_after.get(slug),
            "mean",
        )
        for slug in ranked
    ]
    needs_before, needs_after = dict(before.needs), dict(after.needs)
    needs = []
    for slug, label in vocab.NEEDS.items():
        b, bc = _share_value(before, needs_before.get(slug))
        a, ac = _share_value(after, needs_after.get(slug))
        needs.append(ComparedRow(label, b, a, "%", bc, ac))
    return {"general": general, "barriers": barriers, "needs": needs}
