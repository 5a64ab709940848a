"""The simulated users of `make load`: officers, employers, candidates and anonymous
visitors browsing the pages they use every day, with a few seconds of reading between
two clicks. Every request is named by its page (ids replaced by [id]) so the report
gives one line per page.

Reads the accounts and ids written by benchmarks/load/prepare.py from LOAD_DATA.
At the end, prints p50/p95/p99 per page and the error rate, and sets the exit code
to 1 when a page's p95 is above LOAD_P95_MS (300) or when any request failed.
"""

import itertools
import json
import os
import random
import re
import time
from urllib.parse import urlsplit

from locust import HttpUser, between, events, task

DATA = json.load(open(os.environ["LOAD_DATA"]))  # noqa: SIM115
P95_GOAL_MS = float(os.environ.get("LOAD_P95_MS", "300"))
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
WORDS = ["toulouse", "addiction", "psychiatrie", "rue", "exil", "pair", "albi"]
_next_account = {
    role: itertools.cycle(emails) for role, emails in DATA["accounts"].items()
}


class Visitor(HttpUser):
    abstract = True
    # A person reads a page for a few seconds before the next click.
    wait_time = between(2, 6)

    def page(self, url: str, name: str | None = None):
        with self.client.get(url, name=name or url, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} on {url}")
            elif "/connexion" in response.url and "/connexion" not in url:
                response.failure(f"sent back to the login page from {url}")
        return response

    def log_in(self, role: str) -> None:
        email = next(_next_account[role])
        form = self.client.get("/connexion", name="/connexion")
        token = CSRF.search(form.text)
        with self.client.post(
            "/connexion",
            data={
                "email": email,
                "password": DATA["password"],
                "csrf_token": token.group(1) if token else "",
            },
            name="/connexion [POST]",
            # the answer to the form is the redirect: the page it leads to is measured
            # on its own line
            allow_redirects=False,
            catch_response=True,
        ) as response:
            target = response.headers.get("Location", "")
            if response.status_code != 302 or "/connexion" in target:
                response.failure(f"login refused for {email}")
            else:
                path = urlsplit(target).path
                self.page(path, re.sub(r"\d+", "[id]", path))


# Few officers (a territory's team), more employers, most of all candidates and visitors.
class Officer(Visitor):
    weight = 1

    def on_start(self):
        self.log_in("officer")

    @task(3)
    def home(self):
        self.page("/equipe")

    @task(3)
    def cases(self):
        self.page("/accompagnements?vue=tous", "/accompagnements")

    @task(1)
    def cases_filtered(self):
        self.page(
            f"/accompagnements?vue=tous&q={random.choice(WORDS)}",
            "/accompagnements?q=",
        )

    @task(1)
    def board(self):
        self.page("/accompagnements/tableau")

    @task(3)
    def case(self):
        self.page(
            f"/accompagnements/{random.choice(DATA['cases'])}", "/accompagnements/[id]"
        )

    @task(2)
    def candidates(self):
        self.page(f"/equipe/candidats?q={random.choice(WORDS)}", "/equipe/candidats?q=")

    @task(2)
    def candidate(self):
        self.page(
            f"/equipe/candidats/{random.choice(DATA['candidates'])}",
            "/equipe/candidats/[id]",
        )

    @task(3)
    def suggestions(self):
        self.page(
            f"/fiches-de-poste/{random.choice(DATA['postings'])}/suggestions",
            "/fiches-de-poste/[id]/suggestions",
        )

    @task(1)
    def organisations(self):
        self.page(f"/structures?q={random.choice(WORDS)}", "/structures?q=")

    @task(1)
    def organisation(self):
        self.page(
            f"/structures/{random.choice(DATA['organisations'])}", "/structures/[id]"
        )

    @task(1)
    def pipeline(self):
        self.page("/mises-en-relation")

    @task(1)
    def dashboard(self):
        self.page("/tableau-de-bord")


class Employer(Visitor):
    weight = 2

    def on_start(self):
        self.log_in("employer")

    @task(3)
    def home(self):
        self.page("/employeur")

    @task(2)
    def cases(self):
        self.page("/employeur/accompagnements")

    @task(2)
    def postings(self):
        self.page("/fiches-de-poste")

    @task(2)
    def applications(self):
        self.page("/employeur/candidatures")

    @task(1)
    def dashboard(self):
        self.page("/employeur/tableau-de-bord")


class Candidate(Visitor):
    weight = 4

    def on_start(self):
        self.log_in("candidate")

    @task(3)
    def home(self):
        self.page("/candidat")

    @task(3)
    def offers(self):
        self.page("/offres")

    @task(2)
    def offers_filtered(self):
        self.page("/offres?department=31", "/offres?department=")

    @task(3)
    def offer(self):
        self.page(f"/offres/{random.choice(DATA['postings'])}", "/offres/[id]")

    @task(1)
    def profile(self):
        self.page("/candidat/profil")

    @task(1)
    def preview(self):
        self.page("/candidat/profil/apercu")

    @task(1)
    def introductions(self):
        self.page("/candidat/mises-en-relation")


class Anonymous(Visitor):
    weight = 3

    @task(2)
    def home(self):
        self.page("/")

    @task(3)
    def offers(self):
        self.page("/offres")

    @task(3)
    def offer(self):
        self.page(f"/offres/{random.choice(DATA['postings'])}", "/offres/[id]")


TRACE = open(os.environ["LOAD_TRACE"], "w") if os.environ.get("LOAD_TRACE") else None  # noqa: SIM115


@events.request.add_listener
def trace(request_type, name, response_time, **_kwargs):
    """LOAD_TRACE=FILE writes one line per request (time, page, ms): when were the
    slow ones?"""
    if TRACE:
        TRACE.write(f"{time.time():.3f}\t{name}\t{response_time:.0f}\n")


@events.quitting.add_listener
def report(environment, **_kwargs):
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda entry: entry.name)
    print()
    print(f"{'page':<44} {'requests':>8} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    over = []
    for entry in rows:
        p50, p95, p99 = (
            entry.get_response_time_percentile(q) for q in (0.5, 0.95, 0.99)
        )
        flag = ""
        if p95 > P95_GOAL_MS:
            over.append(entry.name)
            flag = "  > goal"
        print(
            f"{entry.name:<44} {entry.num_requests:>8} {p50:>6.0f} {p95:>6.0f} {p99:>6.0f}{flag}"
        )
    total = stats.total
    rate = total.num_failures / total.num_requests if total.num_requests else 0.0
    print(
        f"{'all pages':<44} {total.num_requests:>8} "
        f"{total.get_response_time_percentile(0.5):>6.0f} "
        f"{total.get_response_time_percentile(0.95):>6.0f} "
        f"{total.get_response_time_percentile(0.99):>6.0f}"
    )
    print(
        f"errors: {total.num_failures} of {total.num_requests} ({rate:.2%}); "
        f"{total.total_rps:.1f} requests/s"
    )
    for error in stats.errors.values():
        print(f"  {error.occurrences} × {error.name}: {error.error}")
    if over or total.num_failures or not total.num_requests:
        print(
            f"GOAL MISSED: p95 ≤ {P95_GOAL_MS:g} ms on every page and no error "
            f"({', '.join(over) or 'errors'})"
        )
        environment.process_exit_code = 1
    else:
        print(f"goal met: p95 ≤ {P95_GOAL_MS:g} ms on every page and no error")
        environment.process_exit_code = 0
