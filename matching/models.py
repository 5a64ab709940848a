"""Every model of the application, imported once so Alembic and tests see them all."""

from matching.accounts.models import User
from matching.admin.models import Setting
from matching.audit.models import AuditEvent
from matching.candidates.models import (
    Candidate,
    CandidateDomain,
    CandidateEvent,
    ConsentRecord,
    Training,
)
from matching.cases.models import (
    Activity,
    BarrierRating,
    FundingLine,
    ReadinessItem,
    SupportCase,
)
from matching.imports.models import ImportJob
from matching.introductions.models import (
    Introduction,
    IntroductionEvent,
    Milestone,
    Placement,
)
from matching.offers.models import Interest
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
    "AuditEvent",
    "BarrierRating",
    "Candidate",
    "CandidateDomain",
    "CandidateEvent",
    "ConsentRecord",
    "EmailMessage",
    "FundingLine",
    "ImportJob",
    "Introduction",
    "IntroductionEvent",
    "Interest",
    "JobPosting",
    "Membership",
    "Milestone",
    "Organisation",
    "Placement",
    "ReadinessItem",
    "Setting",
    "SupportCase",
    "Training",
    "SurveyBarrierRating",
    "SurveyCampaign",
    "SurveyInvitation",
    "SurveyResponse",
    "User",
]
