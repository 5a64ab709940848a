"""Print the messages of the English catalog that still lack a translation."""

import sys
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = (
    Path(__file__).resolve().parent.parent
    / "matching/translations/en/LC_MESSAGES/messages.po"
)


def untranslated(path: Path = CATALOG) -> list:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [
        message
        for message in catalog
        if message.id
        and not (
            all(message.string) if isinstance(message.string, tuple) else message.string
        )
    ]


if __name__ == "__main__":
    missing = untranslated()
    for message in missing:
        print(message.id if isinstance(message.id, str) else message.id[0])
    print(f"{len(missing)} untranslated", file=sys.stderr)
    sys.exit(1 if missing else 0)
