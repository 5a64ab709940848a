"""gunicorn settings for the load test: 4 workers on 127.0.0.1, each warmed up
before it takes traffic, as a production start script would do: the matching pool
and the candidate directory built, every template compiled, the communes and
translations read."""

import os
from pathlib import Path

bind = os.environ.get("LOAD_BIND", "127.0.0.1:0")
workers = 4
worker_class = "sync"
timeout = 60
accesslog = None
errorlog = "-"
loglevel = "warning"


def post_worker_init(worker):
    from matching.candidates.search import directory
    from matching.introductions.profiles import candidate_pool

    app = worker.wsgi
    with app.app_context():
        candidate_pool()
        directory()
    # Jinja compiles a template the first time it is used: compile them all now
    for name in app.jinja_env.list_templates(extensions=["html", "txt"]):
        app.jinja_env.get_template(name)
    client = app.test_client()
    for path in ("/", "/offres", "/connexion", "/offres?department=31"):
        client.get(path)
    ready = os.environ.get("LOAD_READY_DIR")
    if ready:
        Path(ready, str(os.getpid())).touch()
