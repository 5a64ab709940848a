"""Set English translations from a small JSON or Python dict file of {msgid: msgstr}:
python scripts/translate.py FILE.json (plural entries take a list of two strings)."""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = (
    Path(__file__).resolve().parent.parent
    / "matching/translations/en/LC_MESSAGES/messages.po"
)


def main(path: str) -> int:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    done = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            done += 1
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=76)
    print(f"{done} translations set")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
