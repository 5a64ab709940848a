"""Forms of the spreadsheet import: upload, column mapping, the import itself."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectChoice, SelectField
from wtforms.validators import InputRequired, Optional

from matching.core.forms import BaseForm
from matching.imports.columns import KIND_LABELS, columns_for


class UploadForm(BaseForm):
    kind = RadioField(
        _l("Le fichier contient"),
        choices=[SelectChoice(kind, label) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired(_l("Choisissez ce que contient le fichier."))],
    )
    upload = FileField(
        _l("Fichier CSV ou XLSX"),
        validators=[FileRequired(_l("Choisissez un fichier."))],
        description=_l(
            "Un tableau enregistré par votre tableur : la première ligne donne le nom "
            "des colonnes, chaque ligne suivante un enregistrement. Seule la première "
            "feuille d'un classeur est lue."
        ),
    )


class CheckForm(BaseForm):
    """Starts the dry run (``debut`` is sent) or continues it, step by step."""

    debut = HiddenField()


class CommitForm(BaseForm):
    duplicates = RadioField(
        _l("Les lignes qui ressemblent à un enregistrement existant"),
        choices=[
            SelectChoice("ignorer", _l("Ne pas les importer")),
            SelectChoice("importer", _l("Les importer quand même")),
        ],
        default="ignorer",
        validators=[Optional()],
    )


def field_name(column_name: str) -> str:
    """ "domain:addictions" -> "col_domain_addictions" (a form field's name)."""
    return "col_" + column_name.replace(":", "_")


def mapping_form_class(kind: str, headers: list[str]):
    """One select per expected field, listing the file's columns."""

    class MappingForm(BaseForm):
        def validate(self, extra_validators=None) -> bool:
            valid = super().validate(extra_validators)
            chosen: dict[str, str] = {}
            for column in columns_for(kind):
                select = self[field_name(column.name)]
                if select.data in (None, ""):
                    continue
                if select.data in chosen:
                    select.errors = [
                        *select.errors,
                        _l(
                            "Cette colonne est déjà choisie pour « %(other)s ».",
                            other=chosen[select.data],
                        ),
                    ]
                    valid = False
                chosen.setdefault(select.data, str(column.label))
            return valid

        def mapping(self) -> dict[str, int]:
            return {
                column.name: int(self[field_name(column.name)].data)
                for column in columns_for(kind)
                if self[field_name(column.name)].data not in (None, "")
            }

    choices = [SelectChoice("", _l("— Aucune colonne —"))] + [
        SelectChoice(str(index), header) for index, header in enumerate(headers)
    ]
    for column in columns_for(kind):
        validators = (
            [InputRequired(_l("Choisissez la colonne qui contient ce champ."))]
            if column.required
            else [Optional()]
        )
        setattr(
            MappingForm,
            field_name(column.name),
            SelectField(column.label, choices=choices, validators=validators),
        )
    return MappingForm
