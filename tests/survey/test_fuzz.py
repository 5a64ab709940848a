"""Random unicode in any field of the public form: a field error or a save, never a
500, and nothing half-saved (SECURITY.md row 20)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from matching.extensions import db
from matching.survey.links import make_survey_token
from matching.survey.models import (
    SurveyBarrierRating,
    SurveyInvitation,
    SurveyResponse,
)
from tests.factories import SurveyInvitationFactory
from tests.survey.test_public_form import answers

FIELDS = [
    "sector",
    "knows_peer_work",
    "considers_hiring",
    "needs",
    "barrier_financement",
    "contributions_text",
]


def stored() -> tuple:
    response = db.session.scalar(select(SurveyResponse))
    ratings = db.session.scalars(
        select(SurveyBarrierRating.rating).order_by(SurveyBarrierRating.barrier)
    ).all()
    if response is None:
        return (None, ratings)
    return (response.sector, response.needs, response.contributions_text, ratings)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    field=st.sampled_from(FIELDS),
    value=st.one_of(
        st.text(max_size=50),
        st.text(min_size=5000, max_size=10000),
        st.sampled_from(["\x00", "\u202e", "oui\n", "4 ", "-1", "1e9"]),
    ),
)
def test_random_input_never_breaks_the_form(client, app, field, value):
    invitation = (
        db.session.scalar(select(SurveyInvitation)) or SurveyInvitationFactory()
    )
    before = stored()
    response = client.post(
        f"/diagnostic/repondre/{make_survey_token(invitation)}",
        data=answers(**{field: value}),
    )
    db.session.expire_all()
    assert response.status_code in (302, 422)
    if response.status_code == 422:
        assert stored() == before
        assert "-erreur" in response.get_data(as_text=True)
