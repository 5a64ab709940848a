"""Spreadsheets as officers' tools write them: a generated file of candidates with a
few broken rows, in CSV (Excel's French flavour) or XLSX."""

import csv
import io
from datetime import date

from openpyxl import Workbook

# Headers as a person would type them: synonyms, slugs, odd case and accents.
CANDIDATE_HEADERS = [
    "Nom et prénom",
    "Courriel",
    "Tél",
    "Ville",
    "Rayon de mobilité (km)",
    "Disponible à partir du",
    "ETP min",
    "ETP max",
    "Contrats acceptés",
    "Secteurs souhaités",
    "Postes souhaités",
    "Langues",
    "Formations",
    "rue_sans_abrisme",
    "Domaines d'expérience",
    "Date de l'accord",
    "Parcours",
]
COMMUNES = ["Toulouse", "Muret", "Colomiers (31770)", "31555", "albi"]
FIRST = ["Lou", "Sam", "Camille", "Noor", "Alex", "Yanis", "Inès", "Mathis", "Zoé"]

# line in the spreadsheet (the header is line 1) -> (column, broken value, message)
BROKEN = {
    12: ("Ville", "Gotham", "Commune introuvable : « Gotham »."),
    57: ("Courriel", "pas-une-adresse", "Adresse e-mail non valide."),
    300: (
        "ETP max",
        "0,2",
        "Le temps de travail maximum est plus petit que le minimum.",
    ),
    501: ("Date de l'accord", "", "sans l'accord de la personne"),
    777: ("Contrats acceptés", "CDI; Intérim", "Valeurs inconnues : Intérim."),
    900: ("Nom et prénom", "", "Ce champ est obligatoire."),
    950: ("Disponible à partir du", "31/02/2027", "Date non valide : « 31/02/2027 »"),
}


def candidate_row(n: int) -> dict:
    """Line n + 2 of the file; every third person shares an experience (consented)."""
    shares = n % 3 == 0
    return {
        "Nom et prénom": f"{FIRST[n % len(FIRST)]} {chr(65 + n % 26)}. n°{n:04d}",
        "Courriel": f"personne{n:04d}@exemple.org",
        "Tél": f"+33 6 {n // 10000:02d} {n % 10000 // 100:02d} {n % 100:02d} 00",
        "Ville": COMMUNES[n % len(COMMUNES)],
        "Rayon de mobilité (km)": str(10 + n % 40),
        "Disponible à partir du": "01/03/2027" if n % 2 else "2027-01-15",
        "ETP min": "0,5",
        "ETP max": "1",
        "Contrats acceptés": "CDI; cdd",
        "Secteurs souhaités": "Accueil, hébergement, insertion (AHI), "
        "sante_mentale_psychiatrie",
        "Postes souhaités": "Travailleur·euse pair",
        "Langues": "fr, Arabe" if n % 5 == 0 else "fr",
        "Formations": "DU pair-aidance : obtenue" if n % 4 == 0 else "",
        "rue_sans_abrisme": "Visible des employeurs dans mon profil anonyme"
        if shares
        else "",
        "Domaines d'expérience": "Addictions : privé" if shares and n % 2 else "",
        "Date de l'accord": "02/10/2026" if shares else "",
        # Texts that would be formulas in a spreadsheet, as people do write them.
        "Parcours": ("=Dix ans à la rue" if n % 6 == 0 else "- accueilli en CHRS")
        if shares
        else "",
    }


def candidate_rows(count: int = 1000, broken: bool = True) -> list[list[str]]:
    rows = []
    for n in range(count):
        row = candidate_row(n)
        line = n + 2
        if broken and line in BROKEN:
            column, value, _message = BROKEN[line]
            row[column] = value
            if line == 501:  # an experience without the consent's date
                row["rue_sans_abrisme"] = "oui"
        rows.append([row[header] for header in CANDIDATE_HEADERS])
    return rows


def to_csv(headers, rows, delimiter=";", encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def to_xlsx(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Candidats"
    sheet.append(headers)
    for line, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(line, column, _typed(value))
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as text, as a careful person would
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _typed(value: str):
    """What a spreadsheet stores: dates as dates, numbers as numbers."""
    if value.count("/") == 2 and value.replace("/", "").isdigit():
        day, month, year = (int(part) for part in value.split("/"))
        try:
            return date(year, month, day)
        except ValueError:
            return value
    if value.isdigit():
        return int(value)
    return value
