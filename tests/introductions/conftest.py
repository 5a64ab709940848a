import pytest

from tests.factories import JobPostingFactory


@pytest.fixture
def posting_of(make_employer):
    """A published posting of a new organisation, and that organisation's employer."""
    employer = make_employer()
    posting = JobPostingFactory(
        organisation=employer.membership.organisation,
        experience_text="Une expérience de la rue",
    )
    return posting, employer


@pytest.fixture
def street_candidate(make_candidate):
    """An active candidate who lived on the street: shared after an introduction,
    plus a private domain that no employer may ever see."""
    return make_candidate(
        consent=["equipe", "mise_en_relation", "profil_anonyme"],
        domains={"rue_sans_abrisme": "apres_mise_en_relation", "addictions": "prive"},
        phone="06 12 34 56 78",
    )
