"""Every route × every role × every method matches this policy (SECURITY.md row 11).

A new route without an entry in POLICY makes ``test_every_route_has_a_policy`` fail.
Records belong to organisation A (``employer``); ``other_employer`` runs organisation B.
"""

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from matching.candidates.models import CandidateDomain, ConsentRecord
from matching.extensions import db
from matching.imports.models import ImportJob
from matching.introductions.models import Introduction, Milestone, Placement
from tests.factories import (
    ActivityFactory,
    CandidateFactory,
    FundingLineFactory,
    JobPostingFactory,
    MembershipFactory,
    OrganisationFactory,
    SupportCaseFactory,
    SurveyCampaignFactory,
    SurveyInvitationFactory,
    UserFactory,
)

ROLES = (
    "anonymous",
    "candidate",
    "other_candidate",
    "employer",
    "other_employer",
    "officer",
    "admin",
)
OK, LOGIN, DENIED, HIDDEN = "ok", "login", 403, 404


def everyone():
    return dict.fromkeys(ROLES, OK)


def only(*allowed, hidden=(), anonymous=LOGIN):
    """Allowed roles get OK, ``hidden`` get 404, other roles 403, anonymous login."""
    expected = dict.fromkeys(ROLES, DENIED)
    expected["anonymous"] = anonymous
    for role in allowed:
        expected[role] = OK
    for role in hidden:
        expected[role] = HIDDEN
    return expected


LOGGED_IN = only(*ROLES[1:])
CANDIDATES = only("candidate", "other_candidate")
EMPLOYERS = only("employer", "other_employer")
OFFICERS = only("officer", "admin")
ADMINS = only("admin")

# Records of organisation A: its employer and officers may read them; the employer of
# organisation B must not learn they exist (404); candidates are refused (403).
ORG_A_READERS = only("employer", "officer", "admin", hidden=("other_employer",))
# The activity was written by `officer`, visible to the employer: only its author edits.
AUTHOR_ONLY = only("officer", hidden=("other_employer",))


def ORG_A(w):  # noqa: N802  (URL argument builders read like constants in the table)
    return {"organisation_id": w["org_a"].id}


def CASE_A(w):  # noqa: N802
    return {"case_id": w["case_a"].id}


def FUNDING_A(w):  # noqa: N802
    return {"case_id": w["case_a"].id, "funding_id": w["funding_a"].id}


def ACTIVITY_A(w):  # noqa: N802
    return {"case_id": w["case_a"].id, "activity_id": w["activity_a"].id}


def POSTING_A(w):  # noqa: N802
    return {"posting_id": w["posting_a"].id}


def _profile_a(world):
    return {"candidate_id": world["profile_a"].id}


def _posting(world):
    return {"posting_id": world["posting"].id}


def _intro_a(world):
    return {"introduction_id": world["intro_a"].id}


def _placement_a(world):
    return {"placement_id": world["placement_a"].id}


OWN_CANDIDATE = only("candidate", hidden=("other_candidate",))
EMPLOYER_A = only("employer", hidden=("other_employer",))


def CAMPAIGN(w):  # noqa: N802
    return {"campaign_id": w["campaign"].id}


def INVITATION_A(w):  # noqa: N802
    return {"campaign_id": w["campaign"].id, "invitation_id": w["invitation_a"].id}


def SURVEY_LINK_A(w):  # noqa: N802
    from matching.survey.links import make_survey_token

    return {"token": make_survey_token(w["invitation_a"])}


OWN_IMPORT = only("officer", hidden=("admin",))
OFFICERS_AND_EMPLOYERS = only("employer", "other_employer", "officer", "admin")


def IMPORT_A(w):  # noqa: N802
    return {"job_id": w["import_a"].id}


def CSV(w):  # noqa: N802
    return {"fmt": "csv"}


# endpoint -> (url arguments from the world, {method: expected per role})
POLICY = {
    "core.home": (None, {"GET": everyone()}),
    "core.set_language": (None, {"POST": everyone()}),
    "core.privacy": (None, {"GET": everyone()}),
    "core.accessibility": (None, {"GET": everyone()}),
    "core.health": (None, {"GET": everyone()}),
    "core.officer_home": (None, {"GET": OFFICERS}),
    "core.employer_home": (None, {"GET": EMPLOYERS}),
    "core.candidate_home": (None, {"GET": CANDIDATES}),
    "communes.suggestions": (None, {"GET": everyone()}),
    "accounts.login": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.logout": (None, {"POST": LOGGED_IN}),
    "accounts.register_candidate": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.register_employer": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.check_inbox": (None, {"GET": everyone()}),
    "accounts.verify_email": (lambda w: {"token": "x"}, {"GET": everyone()}),
    "accounts.forgot_password": (None, {"GET": everyone(), "POST": everyone()}),
    "accounts.reset_password": (
        lambda w: {"token": "x"},
        {"GET": everyone(), "POST": everyone()},
    ),
    "accounts.accept_invitation": (
        lambda w: {"token": "x"},
        {"GET": everyone(), "POST": everyone()},
    ),
    "accounts.profile": (None, {"GET": LOGGED_IN, "POST": LOGGED_IN}),
    "accounts.change_password": (None, {"GET": LOGGED_IN, "POST": LOGGED_IN}),
    "organisations.attach": (None, {"GET": EMPLOYERS}),
    "organisations.create": (None, {"POST": EMPLOYERS}),
    "organisations.join": (None, {"POST": EMPLOYERS}),
    "organisations.pending_memberships": (None, {"GET": OFFICERS}),
    "organisations.decide": (
        lambda w: {
            "organisation_id": w["org_a"].id,
            "membership_id": w["pending_a"].id,
            "decision": "accepter",
        },
        {"POST": only("employer", "officer", "admin", hidden=("other_employer",))},
    ),
    "organisations.index": (None, {"GET": OFFICERS}),
    "organisations.new": (None, {"GET": OFFICERS, "POST": OFFICERS}),
    "organisations.detail": (ORG_A, {"GET": ORG_A_READERS}),
    "organisations.edit": (ORG_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.index": (None, {"GET": OFFICERS}),
    "cases.board": (None, {"GET": OFFICERS}),
    "cases.employer_list": (None, {"GET": EMPLOYERS}),
    "cases.request_case": (None, {"GET": EMPLOYERS, "POST": EMPLOYERS}),
    "cases.new": (ORG_A, {"GET": OFFICERS, "POST": OFFICERS}),
    "cases.detail": (CASE_A, {"GET": ORG_A_READERS}),
    "cases.edit": (CASE_A, {"GET": OFFICERS, "POST": OFFICERS}),
    "cases.change_stage": (CASE_A, {"POST": OFFICERS}),
    "cases.readiness": (CASE_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.barriers": (CASE_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.new_funding": (CASE_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.edit_funding": (FUNDING_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "cases.delete_funding": (FUNDING_A, {"POST": ORG_A_READERS}),
    "cases.add_activity": (CASE_A, {"POST": ORG_A_READERS}),
    "cases.edit_activity": (ACTIVITY_A, {"GET": AUTHOR_ONLY, "POST": AUTHOR_ONLY}),
    "cases.delete_activity": (ACTIVITY_A, {"POST": AUTHOR_ONLY}),
    "postings.index": (
        None,
        {"GET": only("employer", "other_employer", "officer", "admin")},
    ),
    "postings.new": (
        lambda w: {"structure": w["org_a"].id},
        {
            "GET": only("employer", "other_employer", "officer", "admin"),
            "POST": only("employer", "other_employer", "officer", "admin"),
        },
    ),
    "postings.detail": (POSTING_A, {"GET": ORG_A_READERS}),
    "postings.edit": (POSTING_A, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "postings.transition": (
        lambda w: {"posting_id": w["posting_a"].id, "action": "publier"},
        {"POST": ORG_A_READERS},
    ),
    "survey.index": (None, {"GET": OFFICERS}),
    "survey.new_campaign": (None, {"GET": OFFICERS, "POST": OFFICERS}),
    "survey.edit_campaign": (CAMPAIGN, {"GET": OFFICERS, "POST": OFFICERS}),
    "survey.campaign": (CAMPAIGN, {"GET": OFFICERS}),
    "survey.invite": (CAMPAIGN, {"POST": OFFICERS}),
    "survey.send_invitations": (CAMPAIGN, {"POST": OFFICERS}),
    "survey.send_invitation": (INVITATION_A, {"POST": OFFICERS}),
    "survey.results": (CAMPAIGN, {"GET": OFFICERS}),
    "survey.compare_campaigns": (None, {"GET": OFFICERS}),
    # The public form: anyone holding the organisation's signed link, no account.
    "survey.respond": (SURVEY_LINK_A, {"GET": everyone(), "POST": everyone()}),
    "admin.users": (None, {"GET": ADMINS}),
    "admin.create_user": (None, {"GET": ADMINS, "POST": ADMINS}),
    "admin.toggle_user": (
        lambda w: {"user_id": w["candidate"].id, "action": "desactiver"},
        {"POST": ADMINS},
    ),
    "admin.emails": (None, {"GET": ADMINS}),
    "admin.email": (lambda w: {"email_id": w["email"].id}, {"GET": ADMINS}),
    # Candidates: a candidate's own pages carry no id (nothing to guess).
    "candidates.my_profile": (None, {"GET": CANDIDATES}),
    "candidates.step": (lambda w: {"step": 1}, {"GET": CANDIDATES, "POST": CANDIDATES}),
    "candidates.preview": (None, {"GET": CANDIDATES}),
    "candidates.consent": (None, {"GET": CANDIDATES, "POST": CANDIDATES}),
    "candidates.withdraw_consent": (None, {"POST": CANDIDATES}),
    "candidates.confirm_profile": (None, {"POST": CANDIDATES}),
    "candidates.my_data": (None, {"GET": CANDIDATES}),
    "candidates.export_json": (None, {"GET": CANDIDATES}),
    "candidates.erase_account": (None, {"GET": CANDIDATES, "POST": CANDIDATES}),
    "candidates.claim": (
        lambda w: {"token": "x"},
        {"GET": everyone(), "POST": everyone()},
    ),
    "candidates.index": (None, {"GET": OFFICERS}),
    "candidates.create": (None, {"GET": OFFICERS, "POST": OFFICERS}),
    "candidates.detail": (_profile_a, {"GET": OFFICERS}),
    "candidates.edit_contact": (_profile_a, {"GET": OFFICERS, "POST": OFFICERS}),
    "candidates.edit_step": (
        lambda w: {"candidate_id": w["profile_a"].id, "step": 1},
        {"GET": OFFICERS, "POST": OFFICERS},
    ),
    "candidates.record_consent": (_profile_a, {"GET": OFFICERS, "POST": OFFICERS}),
    "candidates.officer_withdraw_consent": (_profile_a, {"POST": OFFICERS}),
    "candidates.add_event": (_profile_a, {"POST": OFFICERS}),
    "candidates.invite": (
        lambda w: {"candidate_id": w["walk_in"].id},
        {"POST": OFFICERS},
    ),
    "candidates.officer_confirm": (
        lambda w: {"candidate_id": w["walk_in"].id},
        {"POST": OFFICERS},
    ),
    "candidates.officer_export": (_profile_a, {"GET": OFFICERS}),
    "candidates.officer_erase": (_profile_a, {"GET": OFFICERS, "POST": OFFICERS}),
    "audit.candidate_trail": (_profile_a, {"GET": OFFICERS}),
    "introductions.posting_suggestions": (_posting, {"GET": OFFICERS}),
    "introductions.propose": (
        lambda w: {"posting_id": w["posting"].id, "candidate_id": w["profile_b"].id},
        {"POST": OFFICERS},
    ),
    "introductions.candidate_suggestions": (_profile_a, {"GET": OFFICERS}),
    "introductions.index": (None, {"GET": OFFICERS}),
    "introductions.detail": (_intro_a, {"GET": OFFICERS}),
    "introductions.act": (
        lambda w: {"introduction_id": w["intro_a"].id, "action": "retirer"},
        {"POST": OFFICERS},
    ),
    "introductions.candidate_list": (None, {"GET": CANDIDATES}),
    "introductions.candidate_detail": (_intro_a, {"GET": OWN_CANDIDATE}),
    "introductions.candidate_answer": (_intro_a, {"POST": OWN_CANDIDATE}),
    "introductions.employer_list": (None, {"GET": EMPLOYERS}),
    "introductions.employer_detail": (_intro_a, {"GET": EMPLOYER_A}),
    "introductions.interview": (_intro_a, {"POST": ORG_A_READERS}),
    "introductions.employer_not_retained": (_intro_a, {"POST": EMPLOYER_A}),
    "introductions.hire": (_intro_a, {"GET": ORG_A_READERS, "POST": ORG_A_READERS}),
    "introductions.placements": (
        None,
        {"GET": only("employer", "other_employer", "officer", "admin")},
    ),
    "introductions.placement": (_placement_a, {"GET": ORG_A_READERS}),
    "introductions.milestone_done": (
        lambda w: {
            "placement_id": w["placement_a"].id,
            "milestone_id": w["milestone_a"].id,
        },
        {"POST": ORG_A_READERS},
    ),
    "introductions.weights": (None, {"GET": ADMINS, "POST": ADMINS}),
    "dashboard.index": (None, {"GET": OFFICERS}),
    "dashboard.employer": (None, {"GET": EMPLOYERS}),
    "dashboard.annual_report": (lambda w: {"year": 2026}, {"GET": OFFICERS}),
    # The dashboard's tables: the territory's and the report's for officers, an
    # employer's own figures for employers (each gets their organisation's only).
    "dashboard.export_table": (
        lambda w: {"table": "financements", "fmt": "csv"},
        {"GET": OFFICERS},
    ),
    "dashboard.export_all": (None, {"GET": OFFICERS}),
    "dashboard.employer_export_table": (
        lambda w: {"table": "financements", "fmt": "xlsx"},
        {"GET": EMPLOYERS},
    ),
    "dashboard.employer_export_all": (None, {"GET": EMPLOYERS}),
    "dashboard.report_export_table": (
        lambda w: {"year": 2026, "table": "parcours", "fmt": "csv"},
        {"GET": OFFICERS},
    ),
    "dashboard.report_export_all": (lambda w: {"year": 2026}, {"GET": OFFICERS}),
    "offers.index": (None, {"GET": everyone()}),
    "offers.detail": (_posting, {"GET": everyone()}),
    "offers.express_interest": (_posting, {"POST": CANDIDATES}),
    "offers.withdraw_interest": (_posting, {"POST": CANDIDATES}),
    "offers.interests": (None, {"GET": OFFICERS}),
    "offers.acknowledge_interest": (
        lambda w: {"interest_id": w["interest"].id},
        {"POST": OFFICERS},
    ),
    "admin.retry_email": (lambda w: {"email_id": w["email"].id}, {"POST": ADMINS}),
    "admin.reminder_settings": (None, {"POST": ADMINS}),
    "reminders.preferences": (None, {"GET": LOGGED_IN, "POST": LOGGED_IN}),
    # Spreadsheet imports: an import (and its file) is its officer's only.
    "imports.index": (None, {"GET": OFFICERS}),
    "imports.new": (None, {"GET": OFFICERS, "POST": OFFICERS}),
    "imports.template": (
        lambda w: {"kind": "candidates", "fmt": "xlsx"},
        {"GET": OFFICERS},
    ),
    "imports.mapping": (IMPORT_A, {"GET": OWN_IMPORT, "POST": OWN_IMPORT}),
    "imports.detail": (IMPORT_A, {"GET": OWN_IMPORT}),
    "imports.check": (IMPORT_A, {"POST": OWN_IMPORT}),
    "imports.commit": (IMPORT_A, {"POST": OWN_IMPORT}),
    "imports.status": (IMPORT_A, {"GET": OWN_IMPORT}),
    "imports.errors": (
        lambda w: {"job_id": w["import_a"].id, "fmt": "csv"},
        {"GET": OWN_IMPORT},
    ),
    "imports.delete": (IMPORT_A, {"POST": OWN_IMPORT}),
    # Exports: employers get their own organisation's records only (the scopes).
    "exports.cases": (CSV, {"GET": OFFICERS_AND_EMPLOYERS}),
    "exports.funding": (CSV, {"GET": OFFICERS_AND_EMPLOYERS}),
    "exports.case_funding": (
        lambda w: {"case_id": w["case_a"].id, "fmt": "xlsx"},
        {"GET": ORG_A_READERS},
    ),
    "exports.postings": (CSV, {"GET": OFFICERS_AND_EMPLOYERS}),
    "exports.introductions": (CSV, {"GET": OFFICERS_AND_EMPLOYERS}),
    "exports.organisations": (CSV, {"GET": OFFICERS}),
    "exports.candidates": (CSV, {"GET": OFFICERS, "POST": OFFICERS}),
    "exports.survey_responses": (
        lambda w: {"campaign_id": w["campaign"].id, "fmt": "csv"},
        {"GET": OFFICERS, "POST": OFFICERS},
    ),
}


@pytest.fixture
def world(app):
    from matching.reminders.models import EmailMessage

    org_a, org_b = OrganisationFactory(name="A"), OrganisationFactory(name="B")
    users = {
        "candidate": UserFactory(role="candidate"),
        "other_candidate": UserFactory(role="candidate"),
        "employer": MembershipFactory(organisation=org_a).user,
        "other_employer": MembershipFactory(organisation=org_b).user,
        "officer": UserFactory(role="officer"),
        "admin": UserFactory(role="officer", is_admin=True),
    }
    pending = MembershipFactory(
        organisation=org_a, status="pending", is_org_admin=False
    )
    email = EmailMessage(key="tx:test", recipient_email="x@example.org", subject="Test")
    db.session.add(email)
    case_a = SupportCaseFactory(organisation=org_a, officer=users["officer"])
    funding_a = FundingLineFactory(case=case_a)
    activity_a = ActivityFactory(
        case=case_a, author=users["officer"], visibility="employer"
    )
    posting_a = JobPostingFactory(organisation=org_a, case=case_a)
    campaign = SurveyCampaignFactory(created_by=users["officer"])
    invitation_a = SurveyInvitationFactory(campaign=campaign, organisation=org_a)
    import_a = ImportJob(
        created_by=users["officer"],
        kind="candidates",
        file_format="csv",
        filename="candidats.csv",
        headers=["Nom"],
        mapping={"display_name": 0},
        row_count=1,
        status="associe",
    )
    db.session.add(import_a)
    db.session.commit()
    return {
        **users,
        "org_a": org_a,
        "org_b": org_b,
        "pending_a": pending,
        "email": email,
        "case_a": case_a,
        "funding_a": funding_a,
        "activity_a": activity_a,
        "posting_a": posting_a,
        **_candidates_world(users, org_a),
        "campaign": campaign,
        "invitation_a": invitation_a,
        "import_a": import_a,
    }


def _candidates_world(users, org_a):
    """Both candidates have a profile (A with consent and experience), a person met
    by an officer has one without an account, and A is interested in a posting."""
    from matching.offers.models import Interest

    profile_a = CandidateFactory(user=users["candidate"])
    db.session.add(
        ConsentRecord(
            candidate=profile_a,
            version="2026-11-v1",
            purposes=["equipe"],
            recorded_by=users["candidate"],
        )
    )
    profile_a.domains = [CandidateDomain(domain="addictions", sharing="prive")]
    posting = JobPostingFactory(organisation=org_a)
    interest = Interest(candidate=profile_a, posting=posting)
    db.session.add(interest)
    walk_in = CandidateFactory(user=None, email="rencontre@example.org")
    intro_a = Introduction(
        posting=posting, candidate=profile_a, status="transmise_employeur"
    )
    hired = Introduction(posting=posting, candidate=walk_in, status="embauche")
    placement_a = Placement(
        introduction=hired,
        posting=posting,
        candidate=walk_in,
        organisation=org_a,
        start_date=date(2026, 10, 1),
        contract_type="cdi",
        fte=Decimal("0.8"),
    )
    milestone_a = Milestone(
        placement=placement_a, kind="m1_point", due_on=date(2026, 11, 1)
    )
    db.session.add_all([intro_a, hired, placement_a, milestone_a])
    records = {
        "intro_a": intro_a,
        "placement_a": placement_a,
        "milestone_a": milestone_a,
        "profile_a": profile_a,
        "profile_b": CandidateFactory(user=users["other_candidate"]),
        "walk_in": walk_in,
        "posting": posting,
        "interest": interest,
    }
    db.session.commit()
    return records


def test_every_route_has_a_policy(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = rule.methods - {"HEAD", "OPTIONS"}
        declared = POLICY.get(rule.endpoint, (None, {}))[1]
        missing += [f"{rule.endpoint} {m}" for m in methods if m not in declared]
    assert missing == [], "routes without an access policy: " + ", ".join(missing)


class _OptionParents(HTMLParser):
    """Collects <option> elements outside a <select> or <datalist> (a list of
    checkboxes rendered with the wrong widget shows nothing anyone can tick)."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.stray: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "option" and not {"select", "datalist"} & set(self.stack):
            self.stray.append(dict(attrs).get("value", ""))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass


def stray_options(html: str) -> list[str]:
    parser = _OptionParents()
    parser.feed(html)
    return parser.stray


CASES = [
    (endpoint, method, role)
    for endpoint, (_, methods) in POLICY.items()
    for method in methods
    for role in ROLES
]


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES)
def test_route_policy(app, client, login, world, endpoint, method, role):
    from flask import url_for

    url_args, methods = POLICY[endpoint]
    expected = methods[method][role]
    with app.test_request_context():
        url = url_for(endpoint, **(url_args(world) if url_args else {}))
    if role != "anonymous":
        login(world[role])
    response = client.open(url, method=method)
    location = response.headers.get("Location", "")
    if expected == OK:
        assert response.status_code < 400 or response.status_code == 422, (
            response.status_code
        )
        assert not location.startswith("/connexion?next="), location
        if response.mimetype == "text/html":
            assert stray_options(response.get_data(as_text=True)) == []
    elif expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith("/connexion?next=")
    else:
        assert response.status_code == expected
