"""Unbound Flask extensions; ``create_app`` binds them to the application."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


def _client_ip() -> str:
    from flask import request

    return request.remote_addr or "unknown"


# Far beyond any list of the app; larger numbers overflow the databases' integers.
MAX_PAGE = 100_000


class Database(SQLAlchemy):
    def paginate(self, select, *, page=None, **kwargs):
        """Flask-SQLAlchemy's pages, with the page number kept within what the
        databases can count: ``?page=99999999999999999999`` is an empty last page,
        not an OverflowError."""
        if page is None:
            from flask import request

            page = request.args.get("page", 1, type=int)
        return super().paginate(select, page=min(max(page or 1, 1), MAX_PAGE), **kwargs)


db = Database(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
babel = Babel()
limiter = Limiter(key_func=_client_ip)
