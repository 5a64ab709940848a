"""One line of a reminder or a digest: what it says and where it links."""

from dataclasses import dataclass

from flask import current_app


@dataclass
class Item:
    """One line of a reminder or a digest."""

    headline: str
    sentence: str
    action: str
    url: str


def absolute_url(endpoint: str, anchor: str | None = None, **values) -> str:
    """A link for an e-mail, built from BASE_URL (no request needed)."""
    adapter = current_app.url_map.bind("passerelle.invalid")
    path = adapter.build(endpoint, values)
    return current_app.config["BASE_URL"] + path + (f"#{anchor}" if anchor else "")
