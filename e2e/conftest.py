"""`make e2e`: the app on a free local port with a fresh database (migrated, demo
data loaded), driven by Playwright through Debian's Chromium (never a downloaded
browser). Screenshots of each journey's key pages go to e2e-artifacts/ (git-ignored).

Settings: CHROMIUM (default /usr/bin/chromium), E2E_ARTIFACTS (default e2e-artifacts).
"""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", ROOT / "e2e-artifacts"))
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
DEMO_PASSWORD = "travail-pair-toulouse"  # noqa: S105  (fictional demo accounts)
OFFICER = "camille.durand@example.org"
EMPLOYER = "julie.fabre@example.org"
NEW_PASSWORD = "un pont solide entre deux rives"  # noqa: S105

# "Mot de passe * (obligatoire)", not "Mot de passe, une seconde fois"
PASSWORD_LABEL = re.compile(r"^Mot de passe(?!,)")

expect.set_options(timeout=10_000)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class App:
    """The running app: its address, its database, its command line."""

    def __init__(self, instance: Path, port: int):
        self.instance = instance
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "MATCHING_INSTANCE_PATH": str(instance),
            "MATCHING_BASE_URL": self.url,
            "FLASK_APP": "matching",
        }
        self.env.pop("MATCHING_DATABASE_URL", None)
        self.process = None

    def flask(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603  (our own command line)
            [sys.executable, "-m", "flask", "--app", "matching", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def start(self) -> None:
        self.log = open(self.instance / "server.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "flask", "--app", "matching", "run", "--no-reload"]
            + ["--host", "127.0.0.1", "--port", self.url.rsplit(":", 1)[1]],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{self.url}/sante", timeout=1):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the app did not start: see {self.instance}/server.log")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)
            self.log.close()

    def query(self, sql: str, *params):
        with sqlite3.connect(self.instance / "passerelle.sqlite3") as connection:
            return connection.execute(sql, params).fetchall()

    def last_link(self, address: str, path_part: str) -> str:
        """The link containing ``path_part`` in the latest e-mail to ``address``."""
        for (body,) in self.query(
            "SELECT body_text FROM email_messages WHERE recipient_email = ? "
            "ORDER BY id DESC",
            address,
        ):
            found = re.search(rf"https?://\S*{re.escape(path_part)}\S*", body or "")
            if found:
                return found.group(0)
        raise AssertionError(f"no e-mail to {address} with a link to {path_part}")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    server = App(instance, _free_port())
    server.flask("db", "upgrade")
    server.flask("demo-data")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=args
        )
        yield browser
        browser.close()


@pytest.fixture
def context(browser, app):
    context = browser.new_context(
        base_url=app.url, locale="fr-FR", viewport={"width": 1280, "height": 900}
    )
    yield context
    context.close()


@pytest.fixture
def page(context) -> Page:
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


class Shots:
    """Numbered full-page screenshots of one journey."""

    def __init__(self, name: str):
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def __call__(self, page: Page, label: str) -> None:
        page.wait_for_load_state()
        self.count += 1
        page.screenshot(
            path=self.folder / f"{self.count:02d}-{label}.png", full_page=True
        )


@pytest.fixture
def shots(request):
    return Shots(request.node.name.removeprefix("test_"))


def log_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).not_to_have_url(re.compile(r"/connexion"))


def log_out(page: Page) -> None:
    page.context.clear_cookies()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        folder = ARTIFACTS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{item.name}.png", full_page=True)
        (folder / f"{item.name}.html").write_text(page.content())
        print(f"\nFailed on {page.url}: screenshot in {folder}")
