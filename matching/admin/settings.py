"""Read and write admin settings; a missing setting falls back to its default."""

from matching.admin.models import Setting
from matching.extensions import db


def get_setting(key: str, default=None):
    setting = db.session.get(Setting, key)
    return setting.value if setting is not None else default


def set_setting(key: str, value, user=None) -> None:
    setting = db.session.get(Setting, key)
    if setting is None:
        setting = Setting(key=key, value=value)
        db.session.add(setting)
    setting.value = value
    setting.updated_by_id = getattr(user, "id", None)
