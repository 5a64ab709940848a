"""Officers manage campaigns, invite organisations and send their links."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from matching.extensions import db
from matching.survey.links import check_survey_token
from matching.survey.models import SurveyCampaign, SurveyInvitation
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    SurveyCampaignFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
    UserFactory,
)
from tests.survey.test_results_2023 import text_of

# Links are built from BASE_URL; a signed token carries its time, so tests decode it.
LINK = re.compile(r"http://passerelle\.test/diagnostic/repondre/([\w.-]+)")


def link_target(token: str) -> int:
    check = check_survey_token(token)
    assert check.status == "ok"
    return check.invitation.id


CAMPAIGN = {
    "name": "Diagnostic 2027",
    "year": "2027",
    "opens_on": "01/03/2027",
    "closes_on": "2027-05-31",
    "invited_count": "80",
    "description": "Trois questions de plus qu'en 2023.",
}


def test_officer_creates_a_campaign(client, login, officer):
    login(officer)
    response = client.post("/diagnostic/campagnes/nouvelle", data=CAMPAIGN)
    assert response.status_code == 302
    campaign = db.session.scalar(select(SurveyCampaign))
    assert response.headers["Location"] == f"/diagnostic/campagnes/{campaign.id}"
    assert (campaign.opens_on, campaign.closes_on) == (
        date(2027, 3, 1),
        date(2027, 5, 31),
    )
    assert (campaign.invited_count, campaign.created_by_id) == (80, officer.id)
    assert "Diagnostic 2027" in client.get("/diagnostic").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"closes_on": "2027-02-01"},
            "closes_on",
            "La clôture doit venir après l'ouverture.",
        ),
        ({"opens_on": "32/13/2027"}, "opens_on", "Indiquez une date valide"),
        ({"name": ""}, "name", "Donnez un nom à la campagne."),
        ({"year": "1999"}, "year", "Une année entre 2000 et 2100."),
        ({"invited_count": "-3"}, "invited_count", "Un nombre entre 0 et 100 000."),
    ],
)
def test_invalid_campaign_is_refused_with_french_messages(
    client, login, officer, overrides, field, message
):
    login(officer)
    response = client.post("/diagnostic/campagnes/nouvelle", data=CAMPAIGN | overrides)
    assert response.status_code == 422
    error = response.get_data(as_text=True).split(f'id="{field}-erreur"', 1)[1]
    assert message in text_of(error[:300])
    assert db.session.scalar(select(func.count(SurveyCampaign.id))) == 0


def test_officer_edits_a_campaign(client, login, officer):
    campaign = SurveyCampaignFactory()
    login(officer)
    response = client.post(
        f"/diagnostic/campagnes/{campaign.id}/modifier",
        data=CAMPAIGN | {"closes_on": "2027-06-30"},
    )
    assert response.status_code == 302
    db.session.refresh(campaign)
    assert campaign.closes_on == date(2027, 6, 30)
    assert campaign.name == "Diagnostic 2027"


@pytest.fixture
def territory(app):
    return {
        "chrs": OrganisationFactory(
            name="CHRS Garonne", sector="ahi_hebergement", department="31"
        ),
        "csapa": OrganisationFactory(
            name="CSAPA Tarn", sector="addictologie_rdr", department="81"
        ),
        "cmp": OrganisationFactory(
            name="CMP Nord", sector="sante_mentale_psychiatrie", department="31"
        ),
    }


def test_organisations_to_invite_are_filtered_by_sector_and_department(
    client, login, officer, territory
):
    campaign = SurveyCampaignFactory()
    SurveyInvitationFactory(campaign=campaign, organisation=territory["cmp"])
    login(officer)
    base = f"/diagnostic/campagnes/{campaign.id}"
    page = text_of(client.get(base).get_data(as_text=True))
    section = page.split("Inviter des structures", 1)[1]
    assert "CHRS Garonne" in section
    assert "CSAPA Tarn" in section
    assert "CMP Nord" not in section  # already invited
    page = text_of(client.get(f"{base}?department=31").get_data(as_text=True))
    section = page.split("Inviter des structures", 1)[1]
    assert "CHRS Garonne" in section
    assert "CSAPA Tarn" not in section
    page = text_of(client.get(f"{base}?sector=addictologie_rdr").get_data(as_text=True))
    section = page.split("Inviter des structures", 1)[1]
    assert "CSAPA Tarn" in section
    assert "CHRS Garonne" not in section


def test_inviting_creates_one_link_per_organisation(client, login, officer, territory):
    campaign = SurveyCampaignFactory()
    login(officer)
    ids = [territory["chrs"].id, territory["csapa"].id]
    for _ in range(2):  # inviting twice creates nothing more
        response = client.post(
            f"/diagnostic/campagnes/{campaign.id}/invitations",
            data={"organisation_ids": [*ids, 999999]},
        )
        assert response.status_code == 302
    invited = db.session.scalars(
        select(SurveyInvitation.organisation_id).order_by(
            SurveyInvitation.organisation_id
        )
    ).all()
    assert invited == sorted(ids)
    page = client.get(f"/diagnostic/campagnes/{campaign.id}").get_data(as_text=True)
    opened = {link_target(token) for token in LINK.findall(page)}
    assert opened == set(
        db.session.scalars(select(SurveyInvitation.id).order_by(SurveyInvitation.id))
    )


def test_inviting_nobody_says_so_next_to_the_list(client, login, officer, territory):
    campaign = SurveyCampaignFactory()
    login(officer)
    response = client.post(f"/diagnostic/campagnes/{campaign.id}/invitations", data={})
    assert response.status_code == 422
    assert "Cochez au moins une structure." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SurveyInvitation.id))) == 0


def test_link_is_emailed_to_active_members_only(client, login, officer, outbox):
    organisation = OrganisationFactory(name="Pension Les Lilas")
    active = MembershipFactory(organisation=organisation).user
    MembershipFactory(organisation=organisation, status="pending")
    inactive = UserFactory(role="employer", active=False)
    MembershipFactory(user=inactive, organisation=organisation)
    invitation = SurveyInvitationFactory(
        organisation=organisation, campaign__name="Diagnostic 2026"
    )
    login(officer)
    response = client.post(
        f"/diagnostic/campagnes/{invitation.campaign_id}/invitations/"
        f"{invitation.id}/envoyer"
    )
    assert response.status_code == 302
    assert [message.recipients for message in outbox] == [[active.email]]
    message = outbox[0]
    assert message.subject == "Un questionnaire vous attend : Diagnostic 2026"
    assert [link_target(token) for token in LINK.findall(message.body)] == [
        invitation.id
    ]
    assert [link_target(token) for token in LINK.findall(message.html)] == [
        invitation.id
    ]
    assert "Un questionnaire vous attend" in message.body
    db.session.refresh(invitation)
    assert invitation.sent_at is not None


def test_send_all_skips_sent_and_answered_and_names_unreachable(
    client, login, officer, outbox
):
    campaign = SurveyCampaignFactory()
    reachable = SurveyInvitationFactory(campaign=campaign)
    MembershipFactory(organisation=reachable.organisation)
    answered = SurveyInvitationFactory(campaign=campaign)
    MembershipFactory(organisation=answered.organisation)
    SurveyResponseFactory(
        campaign=campaign, organisation=answered.organisation, invitation=answered
    )
    lonely = SurveyInvitationFactory(
        campaign=campaign, organisation__name="Sans Membre"
    )
    login(officer)
    response = client.post(f"/diagnostic/campagnes/{campaign.id}/invitations/envoyer")
    assert len(outbox) == 1
    page = text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Le lien est envoyé à 1 structure." in page
    assert "Aucun membre actif pour : Sans Membre." in page
    db.session.refresh(lonely)
    assert lonely.sent_at is None
    client.post(f"/diagnostic/campagnes/{campaign.id}/invitations/envoyer")
    assert len(outbox) == 1  # nothing is sent twice


def test_invitation_of_another_campaign_is_hidden(client, login, officer):
    invitation = SurveyInvitationFactory()
    other = SurveyCampaignFactory()
    login(officer)
    response = client.post(
        f"/diagnostic/campagnes/{other.id}/invitations/{invitation.id}/envoyer"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/diagnostic",
        "/diagnostic/campagnes/nouvelle",
        "/diagnostic/campagnes/{id}",
        "/diagnostic/campagnes/{id}/resultats",
        "/diagnostic/comparer",
    ],
)
def test_only_officers_see_campaigns_and_results(
    client, login, make_employer, candidate, path
):
    campaign = SurveyCampaignFactory()
    SurveyResponseFactory.create_batch(3, campaign=campaign)
    url = path.format(id=campaign.id)
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")
    for user in (make_employer(), candidate):
        login(user)
        assert client.get(url).status_code == 403


def test_employer_cannot_create_or_send(client, login, make_employer, outbox):
    invitation = SurveyInvitationFactory()
    MembershipFactory(organisation=invitation.organisation)
    login(make_employer())
    assert client.post("/diagnostic/campagnes/nouvelle", data=CAMPAIGN).status_code == (
        403
    )
    response = client.post(
        f"/diagnostic/campagnes/{invitation.campaign_id}/invitations/envoyer"
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(SurveyCampaign.id))) == 1
    assert outbox == []
