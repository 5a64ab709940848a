"""Model factories (factory_boy) and fixtures that return them as callables:
``make_user(role="officer")``, ``make_employer(organisation=org)``…"""

from decimal import Decimal

import factory
import pytest
from factory.alchemy import SQLAlchemyModelFactory

from matching import vocab
from matching.accounts.models import User
from matching.accounts.passwords import hash_password
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


class JobPostingFactory(BaseFactory):
    class Meta:
        model = JobPosting

    organisation = factory.SubFactory(OrganisationFactory)
    title = "travailleur_pair"
    sector = "ahi_hebergement"
    functions = factory.LazyFunction(lambda: ["aller_vers"])
    experience_domains = factory.LazyFunction(lambda: ["rue_sans_abrisme"])
    status = "brouillon"


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
