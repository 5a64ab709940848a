"""Fill untranslated entries of the English catalog from another catalog (used when
merging branches that both added strings): python scripts/merge_translations.py OTHER.po
"""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = (
    Path(__file__).resolve().parent.parent
    / "matching/translations/en/LC_MESSAGES/messages.po"
)


def main(other_path: str) -> int:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    with open(other_path, "rb") as handle:
        other = read_po(handle)
    filled = 0
    for message in catalog:
        if not message.id:
            continue
        empty = not (
            all(message.string) if isinstance(message.string, tuple) else message.string
        )
        source = other.get(message.id)
        if empty and source is not None and source.string and not source.fuzzy:
            message.string = source.string
            filled += 1
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=76)
    print(f"{filled} translations filled from {other_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
