"""Reminder fixtures: a real SMTP server, a case with its officer. The Paris clock
(``clock``, ``paris``) is in tests/conftest.py: the retention jobs use it too."""

from datetime import date

import pytest

from matching.extensions import db
from tests.conftest import paris  # noqa: F401  (re-exported for the reminder tests)
from tests.factories import MembershipFactory, OrganisationFactory, SupportCaseFactory
from tests.reminders.smtp_server import SMTPServer


def use_smtp(app, host: str, port: int) -> None:
    state = app.extensions["mail"]
    state.server, state.port, state.suppress = host, port, False
    state.use_tls = state.use_ssl = False
    app.config.update(MAIL_SERVER=host, MAIL_PORT=port, MAIL_SUPPRESS_SEND=False)


@pytest.fixture
def smtp_server(app):
    """aiosmtpd on 127.0.0.1 at a free port; the app sends to it for real."""
    state = app.extensions["mail"]
    saved = (state.server, state.port, state.suppress, state.use_tls, state.use_ssl)
    server = SMTPServer().start()
    use_smtp(app, "127.0.0.1", server.port)
    yield server
    server.stop()
    state.server, state.port, state.suppress, state.use_tls, state.use_ssl = saved


@pytest.fixture
def officer_case(make_user):
    """An officer who wants each reminder at once, and a case of theirs (next step
    due on 10 March 2027) with an employer contact."""

    def make(mode="immediate", due=date(2027, 3, 10), **case_values):
        officer = make_user(role="officer", reminder_mode=mode)
        organisation = OrganisationFactory(name="Foyer du Canal")
        contact = MembershipFactory(organisation=organisation).user
        case = SupportCaseFactory(
            organisation=organisation,
            officer=officer,
            next_step="Appeler Mme X. au sujet de son dossier",
            next_step_due=due,
            **case_values,
        )
        db.session.commit()
        return officer, case, contact

    return make
