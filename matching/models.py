"""Every model of the application, imported once so Alembic and tests see them all."""

from matching.accounts.models import User
from matching.admin.models import Setting
from matching.cases.models import (
    Activity,
    BarrierRating,
    FundingLine,
    ReadinessItem,
    SupportCase,
)
from matching.organisations.models import Membership, Organisation
from matching.postings.models import JobPosting
from matching.reminders.models import EmailMessage
from matching.survey.models import (
    SurveyBarrierRating,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
)

__all__ = [
    "Activity",
    "BarrierRating",
    "EmailMessage",
    "FundingLine",
    "JobPosting",
    "Membership",
    "Organisation",
    "ReadinessItem",
    "Setting",
    "SupportCase",
    "SurveyBarrierRating",
    "SurveyCampaign",
    "SurveyInvitation",
    "SurveyResponse",
    "User",
]
