"""send_email(): queue an e-mail in the outbox; it is delivered once the request commits.

Views and services call ``send_email`` inside their unit of work. The row is committed
with everything else, then delivered right after the request (``register_outbox_flush``)
or by the scheduler's next tick if delivery failed. Nothing is sent for a request that
rolled back.
"""

import secrets
from contextlib import contextmanager

from flask import Flask, current_app, g, has_request_context, render_template

from matching.accounts.models import User
from matching.extensions import db
from matching.reminders.models import EmailMessage


def render_email(template: str, **context) -> tuple[str, str]:
    """Render ``email/<template>.txt`` and ``.html`` with the common context.

    Commands and jobs have no request: one is made up from BASE_URL so templates can
    build links with url_for.
    """
    context.setdefault("base_url", current_app.config["BASE_URL"])
    with outside_request_context():
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    return text, html


@contextmanager
def outside_request_context():
    """A request context on BASE_URL when there is none (commands, jobs)."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context("/", base_url=current_app.config["BASE_URL"]):
        yield


def send_email(
    recipient: User | str,
    subject: str,
    template: str,
    *,
    sensitive: bool = False,
    **context,
) -> EmailMessage:
    """Queue a transactional e-mail to a user (or a bare address) and return its row."""
    user = recipient if isinstance(recipient, User) else None
    address = user.email if user else str(recipient)
    context.setdefault("recipient", user)
    text, html = render_email(template, **context)
    message = EmailMessage(
        key=f"tx:{secrets.token_hex(12)}",
        kind="transactional",
        recipient_user_id=user.id if user else None,
        recipient_email=address,
        subject=subject,
        body_text=text,
        body_html=html,
        is_sensitive=sensitive,
    )
    db.session.add(message)
    db.session.flush()
    g.setdefault("outbox_ids", []).append(message.id)
    return message


def deliver_queued() -> None:
    """Deliver the messages queued by this request or command (after its commit)."""
    ids = g.pop("outbox_ids", None)
    if ids:
        from matching.reminders.outbox import dispatch

        dispatch(ids=ids)


def register_outbox_flush(app: Flask) -> None:
    @app.after_request
    def _deliver(response):
        if g.get("outbox_ids"):
            db.session.rollback()  # anything not committed by the view is not sent
            deliver_queued()
        return response
