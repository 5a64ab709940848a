"""A dispatcher in a process of its own, for the tests that run two at once.

python -m tests.reminders.dispatcher_process DATABASE_URL SMTP_PORT
    [--start EPOCH] [--batch N] [--crash-after-claim]

Waits until ``--start`` (so two processes begin together), dispatches batches until
none is left, and prints the ids it sent as JSON. ``--crash-after-claim`` exits hard
right after the first claim is committed, before talking to SMTP.
"""

import argparse
import json
import os
import sys
import time

CRASH_EXIT_CODE = 3


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("smtp_port", type=int)
    parser.add_argument("--start", type=float, default=0.0)
    parser.add_argument("--batch", type=int, default=5)
    parser.add_argument("--crash-after-claim", action="store_true")
    args = parser.parse_args(argv)

    from matching import create_app
    from matching.reminders import outbox

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": args.database_url,
            "BASE_URL": "http://passerelle.test",
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": args.smtp_port,
            "MAIL_SUPPRESS_SEND": False,
        }
    )
    if args.crash_after_claim:

        def crash(row, now, **kwargs):
            os._exit(CRASH_EXIT_CODE)

        outbox.deliver = crash
    sent: list[int] = []
    with app.app_context():
        while time.time() < args.start:
            time.sleep(0.005)
        while True:
            result = outbox.dispatch(limit=args.batch)
            sent += result.sent
            if not result.claimed:
                break
    print(json.dumps(sent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
