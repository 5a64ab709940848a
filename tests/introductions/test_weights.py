"""Admins change the weights of the criteria after previewing their effect."""

from matching.admin.settings import get_setting
from matching.extensions import db
from matching.introductions.suggestions import WEIGHTS_KEY, current_weights
from matching.scoring import DEFAULT_WEIGHTS

WEIGHTS = {name: str(int(value)) for name, value in DEFAULT_WEIGHTS.items()}


def test_preview_shows_new_and_old_ranks_without_saving(
    client, login, admin, posting_of, street_candidate, make_candidate
):
    posting, _ = posting_of
    make_candidate(display_name="Sans Expérience")
    login(admin)
    response = client.post(
        "/admin/ponderation",
        data={
            **WEIGHTS,
            "experience": "0",
            "posting_id": str(posting.id),
            "action": "apercu",
        },
    )
    page = response.get_data(as_text=True)
    assert "Rang actuel" in page
    assert street_candidate.display_name in page
    assert get_setting(WEIGHTS_KEY) is None


def test_save_and_restore_defaults(client, login, admin):
    login(admin)
    client.post(
        "/admin/ponderation",
        data={**WEIGHTS, "location": "40", "action": "enregistrer"},
    )
    assert current_weights()["location"] == 40
    client.post("/admin/ponderation", data={**WEIGHTS, "action": "defaut"})
    db.session.expire_all()
    assert current_weights() == DEFAULT_WEIGHTS


def test_weights_outside_0_100_are_refused(client, login, admin):
    login(admin)
    response = client.post(
        "/admin/ponderation", data={**WEIGHTS, "sector": "250", "action": "enregistrer"}
    )
    assert "Un nombre entre 0 et 100." in response.get_data(as_text=True)
    assert get_setting(WEIGHTS_KEY) is None
