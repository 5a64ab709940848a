"""Reminder fixtures: a real SMTP server, a Paris clock, a case with its officer."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from matching.core.timeutils import PARIS, paris_to_utc
from matching.extensions import db
from tests.factories import MembershipFactory, OrganisationFactory, SupportCaseFactory
from tests.reminders.smtp_server import SMTPServer


def paris(*args) -> datetime:
    """A Paris wall-clock time as naive UTC (the storage convention)."""
    return paris_to_utc(datetime(*args))


@pytest.fixture
def clock():
    """Freeze the clock at a Paris wall-clock time, ``clock(2027, 3, 10, 9)``, or at a
    naive UTC instant, ``clock(datetime(2027, 10, 31, 0, 30))``; return naive UTC."""
    travellers = []

    def move(*args) -> datetime:
        if travellers:
            travellers.pop().stop()
        if len(args) == 1 and isinstance(args[0], datetime):
            instant, utc = args[0].replace(tzinfo=UTC), args[0]
        else:
            instant, utc = datetime(*args, tzinfo=PARIS), paris(*args)
        traveller = time_machine.travel(instant, tick=False)
        traveller.start()
        travellers.append(traveller)
        return utc

    yield move
    for traveller in travellers:
        traveller.stop()


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
