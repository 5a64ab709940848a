"""Model factories (factory_boy) and fixtures that return them as callables:
``make_user(role="officer")``, ``make_employer(organisation=org)``…"""

from datetime import date, timedelta
from decimal import Decimal

import factory
import pytest
from factory.alchemy import SQLAlchemyModelFactory

from matching import vocab
from matching.accounts.models import User
from matching.accounts.passwords import hash_password
from matching.candidates.consent import CONSENT_VERSION
from matching.candidates.models import Candidate, CandidateDomain, ConsentRecord
from matching.candidates.services import refresh_search_fields
from matching.cases.models import (
    Activity,
    FundingLine,
    ReadinessItem,
    SupportCase,
)
from matching.core.timeutils import paris_today, utcnow
from matching.extensions import db
from matching.organisations.models import Membership, Organisation
from matching.postings.models import JobPosting
from matching.reminders.models import EmailMessage
from matching.scoring.text import normalise
from matching.vocab import fold

PASSWORD = "mot de passe de test très sûr"
_hash_cache: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    """Hash once per password and test session (argon2 is slow on purpose)."""
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Personne {n}")
    role = "candidate"
    password_hash = factory.LazyFunction(password_hash)
    email_verified_at = factory.LazyFunction(utcnow)


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Structure {n}")
    name_search = factory.LazyAttribute(lambda o: fold(o.name))
    sector = "ahi_hebergement"
    structure_type = "chrs"
    legal_status = "association"
    commune_insee = "31555"
    commune = "Toulouse"
    department = "31"
    headcount_band = "11-50"


class MembershipFactory(BaseFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory, role="employer")
    organisation = factory.SubFactory(OrganisationFactory)
    status = "active"
    is_org_admin = True


@pytest.fixture
def make_user(app):
    def make(role="candidate", password=None, **overrides) -> User:
        if password is not None:
            overrides["password_hash"] = password_hash(password)
        return UserFactory(role=role, **overrides)

    return make


@pytest.fixture
def make_organisation(app):
    return OrganisationFactory


@pytest.fixture
def make_employer(app):
    """An employer with a membership (active organisation admin by default)."""

    def make(organisation=None, status="active", is_org_admin=True, **overrides):
        user = UserFactory(role="employer", **overrides)
        MembershipFactory(
            user=user,
            organisation=organisation or OrganisationFactory(),
            status=status,
            is_org_admin=is_org_admin,
        )
        return user

    return make


@pytest.fixture
def officer(make_user):
    return make_user(role="officer", display_name="Chargée Test")


@pytest.fixture
def admin(make_user):
    return make_user(role="officer", is_admin=True, display_name="Admin Test")


@pytest.fixture
def candidate(make_user):
    return make_user(role="candidate")


@pytest.fixture
def employer(make_employer):
    return make_employer()


class SupportCaseFactory(BaseFactory):
    class Meta:
        model = SupportCase

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Projet {n}")
    stage = "diagnostic"
    opened_on = factory.LazyFunction(paris_today)
    needs = factory.LazyFunction(list)

    @factory.post_generation
    def readiness(case, create, extracted, **kwargs):  # noqa: N805
        for slug in vocab.READINESS_ITEMS:
            case.readiness_items.append(ReadinessItem(item=slug, status="non_commence"))
        if create:
            db.session.commit()


class FundingLineFactory(BaseFactory):
    class Meta:
        model = FundingLine

    case = factory.SubFactory(SupportCaseFactory)
    funder = "ars_fir"
    status = "depose"
    amount_requested = Decimal("30000")


class ActivityFactory(BaseFactory):
    class Meta:
        model = Activity

    case = factory.SubFactory(SupportCaseFactory)
    kind = "note"
    title = factory.Sequence(lambda n: f"Note {n}")
    body = "Un échange avec la direction."
    visibility = "officers"
    data = factory.LazyFunction(dict)


# ---------------------------------------------------------------- candidates, postings


class CandidateFactory(BaseFactory):
    """A complete, active candidate in Toulouse; no consent and no experience unless
    ``make_candidate(consent=…, domains=…)`` adds them."""

    class Meta:
        model = Candidate

    user = factory.SubFactory(UserFactory, role="candidate")
    display_name = factory.LazyAttribute(
        lambda c: c.user.display_name if c.user else "Sans Compte"
    )
    email = factory.LazyAttribute(lambda c: c.user.email if c.user else None)
    commune_insee = "31555"
    commune = "Toulouse"
    department = "31"
    latitude = 43.6045
    longitude = 1.4440
    mobility_radius_km = 20
    fte_min = Decimal("0.5")
    fte_max = Decimal("1.0")
    contract_types = factory.LazyFunction(lambda: ["cdi", "cdd"])
    sectors = factory.LazyFunction(lambda: ["ahi_hebergement"])
    titles = factory.LazyFunction(lambda: ["travailleur_pair"])
    functions = factory.LazyFunction(lambda: ["aller_vers"])
    languages = factory.LazyFunction(lambda: ["fr"])
    status = "actif"
    registration_step = 5
    completed_at = factory.LazyFunction(utcnow)


class JobPostingFactory(BaseFactory):
    """A published posting of a new organisation (``status="brouillon"`` for a draft)."""

    class Meta:
        model = JobPosting

    organisation = factory.SubFactory(OrganisationFactory)
    title = "travailleur_pair"
    functions = factory.LazyFunction(
        lambda: ["aller_vers", "accompagnement_individuel"]
    )
    sector = "ahi_hebergement"
    commune_insee = "31555"
    commune = "Toulouse"
    department = "31"
    latitude = 43.6045
    longitude = 1.4440
    contract_type = "cdi"
    fte = Decimal("0.8")
    start_date = factory.LazyFunction(lambda: date.today() + timedelta(days=30))
    missions = "Aller vers les personnes à la rue, accompagner vers le logement."
    experience_domains = factory.LazyFunction(lambda: ["rue_sans_abrisme"])
    context = "Une équipe de maraude de huit personnes."
    status = "publiee"
    published_at = factory.LazyFunction(utcnow)
    custom_title = None
    experience_text = None
    savoir_etre = None
    match_experience = factory.LazyAttribute(
        lambda o: normalise(o.experience_text, o.custom_title)
    )
    match_missions = factory.LazyAttribute(
        lambda o: normalise(o.missions, o.savoir_etre)
    )


class DraftJobPostingFactory(JobPostingFactory):
    """A draft job description that still lacks what publishing needs."""

    status = "brouillon"
    published_at = None
    missions = None
    fte = None
    contract_type = None
    commune_insee = None
    commune = None
    department = None
    latitude = None
    longitude = None
    start_date = None


@pytest.fixture
def make_candidate(app):
    """``make_candidate(consent=["equipe", …], domains={"addictions": "prive"}, …)``:
    the consent is recorded (online) before the experience, as the services demand."""

    def make(consent=None, domains=None, **overrides) -> Candidate:
        candidate = CandidateFactory(**overrides)
        if consent:
            db.session.add(
                ConsentRecord(
                    candidate=candidate,
                    version=CONSENT_VERSION,
                    purposes=list(consent),
                    method="en_ligne",
                    recorded_by=candidate.user,
                )
            )
            db.session.flush()
        if domains:
            db.session.refresh(candidate)
            for domain, sharing in domains.items():
                db.session.add(
                    CandidateDomain(candidate=candidate, domain=domain, sharing=sharing)
                )
        refresh_search_fields(candidate)
        db.session.commit()
        return candidate

    return make


@pytest.fixture
def make_posting(app):
    return JobPostingFactory


# ---------------------------------------------------------------- survey (diagnostic)


from matching.survey.models import (  # noqa: E402
    SurveyBarrierRating,
    SurveyCampaign,
    SurveyInvitation,
    SurveyResponse,
)


class SurveyCampaignFactory(BaseFactory):
    """An open campaign by default (opened 10 days ago, closes in 20 days)."""

    class Meta:
        model = SurveyCampaign

    name = factory.Sequence(lambda n: f"Campagne {n}")
    year = 2026
    opens_on = factory.LazyFunction(lambda: paris_today() - timedelta(days=10))
    closes_on = factory.LazyFunction(lambda: paris_today() + timedelta(days=20))
    invited_count = 0


class SurveyInvitationFactory(BaseFactory):
    class Meta:
        model = SurveyInvitation

    campaign = factory.SubFactory(SurveyCampaignFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class SurveyResponseFactory(BaseFactory):
    """A response; ``ratings={"financement": 4}`` overrides the default rating of 2."""

    class Meta:
        model = SurveyResponse

    campaign = factory.SubFactory(SurveyCampaignFactory)
    sector = "ahi_hebergement"
    knows_peer_work = True
    worked_with_volunteer_peers = False
    employed_peer_worker = False
    has_peer_worker_in_post = False
    sees_added_value = True
    considers_hiring = True
    needs = factory.LazyFunction(lambda: ["financement"])

    @factory.post_generation
    def ratings(response, create, extracted, **kwargs):  # noqa: N805
        values = dict.fromkeys(vocab.BARRIERS, 2) | (extracted or {})
        response.barrier_ratings = [
            SurveyBarrierRating(barrier=slug, rating=value)
            for slug, value in values.items()
        ]
        if create:
            db.session.commit()


class EmailMessageFactory(BaseFactory):
    """An outbox row (a transactional e-mail unless told otherwise)."""

    class Meta:
        model = EmailMessage

    key = factory.Sequence(lambda n: f"tx:factory{n}")
    recipient_email = factory.Sequence(lambda n: f"destinataire{n}@example.org")
    subject = "Un e-mail de test"
    body_text = "Bonjour."


@pytest.fixture
def make_email(app):
    return EmailMessageFactory
