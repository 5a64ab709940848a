"""Redirect targets: only paths on this site are followed."""

from urllib.parse import urlsplit


def is_safe_redirect(target: str | None) -> bool:
    """True for a local path such as ``/compte``; False for anything that leaves."""
    if not target or not isinstance(target, str):
        return False
    if any(c in target for c in "\\\r\n\t\x00") or not target.startswith("/"):
        return False
    if target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc
