"""Helpers to walk through the import's steps as an officer would."""

import io

import pytest
from sqlalchemy import select

from matching.extensions import db
from matching.imports.models import ImportJob


class Importer:
    def __init__(self, client):
        self.client = client

    def upload(self, data: bytes, name: str, kind: str = "candidates"):
        return self.client.post(
            "/imports/nouveau",
            data={"kind": kind, "upload": (io.BytesIO(data), name)},
            content_type="multipart/form-data",
        )

    @staticmethod
    def last_job() -> ImportJob:
        return db.session.scalar(select(ImportJob).order_by(ImportJob.id.desc()))

    def map_columns(self, job: ImportJob, **changes):
        """Confirm the guessed mapping, with ``changes`` (field -> index or "")."""
        mapping = {**job.mapping, **changes}
        data = {
            "col_" + name.replace(":", "_"): str(index)
            for name, index in mapping.items()
        }
        return self.client.post(f"/imports/{job.id}/colonnes", data=data)

    def check(self, job: ImportJob, **headers):
        return self.client.post(
            f"/imports/{job.id}/verifier", data={"debut": "1"}, headers=headers
        )

    def commit(self, job: ImportJob, duplicates="ignorer", **headers):
        return self.client.post(
            f"/imports/{job.id}/importer",
            data={"duplicates": duplicates},
            headers=headers,
        )

    def through_check(self, data: bytes, name: str, kind: str = "candidates"):
        """Upload, accept the guessed columns, run the dry run; the job, refreshed."""
        response = self.upload(data, name, kind)
        assert response.status_code == 302, response.get_data(as_text=True)
        job = self.last_job()
        assert self.map_columns(job).status_code == 302
        assert self.check(job).status_code == 302
        db.session.refresh(job)
        return job


@pytest.fixture(autouse=True)
def import_folder(app, tmp_path):
    """Uploads go to a folder of the test's own (the app's config is restored)."""
    app.config["IMPORT_FOLDER"] = str(tmp_path / "imports")
    return tmp_path / "imports"


@pytest.fixture
def importer(client, login, officer):
    login(officer)
    return Importer(client)
