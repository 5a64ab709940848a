"""The territory dashboard (officers), an employer's own figures, the annual report,
and each of their tables as CSV or XLSX (one table, or all of them in one workbook).

An export reads the same filters as its page and the same ``figures``: the officer's
period, sector, department and officer; the employer's own organisation and nothing
else; the report's year, with small counts masked for funders. Every export writes an
audit row before the file is sent.
"""

from dataclasses import asdict
from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from matching import access
from matching.access import employer_required, officer_required
from matching.audit.services import record_audit
from matching.cases.services import list_officers
from matching.core.forms import valid_filters
from matching.core.timeutils import paris_today
from matching.dashboard import figures, tables
from matching.dashboard.forms import DashboardFilterForm
from matching.dashboard.queries import Filters
from matching.exports.writer import download, download_workbook
from matching.extensions import db

bp = Blueprint("dashboard", __name__)

ONE_TABLE = "tableaux/<table>.<any(csv, xlsx):fmt>"
ALL_TABLES = "tableaux.xlsx"


def _filters_from_request() -> tuple[DashboardFilterForm, Filters]:
    form = DashboardFilterForm(request.args)
    form.officer_id.choices = [SelectChoice(None, _("Tous"))] + [
        SelectChoice(officer.id, officer.display_name) for officer in list_officers()
    ]
    values = valid_filters(form)
    if form.start.data and form.end.data and form.end.data < form.start.data:
        # A reversed period is not a period: neither date is used (the form says why).
        values.pop("start", None)
    return form, Filters(**values)


def _filter_args(form: DashboardFilterForm) -> dict:
    """The page's filters as they came, for its export links."""
    return {name: request.args[name] for name in form._fields if request.args.get(name)}


def _report_filters(year: int) -> Filters:
    """The report's year, with the dashboard's sector and department."""
    if not 2000 <= year <= paris_today().year + 1:
        abort(404)
    _form, filters = _filters_from_request()
    return Filters(
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        sector=filters.sector,
        department=filters.department,
    )


def _employer_filters() -> Filters:
    organisation_id = access.active_organisation_id(current_user)
    access.require(organisation_id is not None)  # never the whole territory
    return Filters(organisation_id=organisation_id)


@bp.get("/tableau-de-bord")
@officer_required
def index():
    """Every block of the territory's figures, with charts and their tables."""
    form, filters = _filters_from_request()
    return render_template(
        "dashboard/index.html",
        form=form,
        data=figures.territory(filters),
        today=paris_today(),
        exports={
            "table": "dashboard.export_table",
            "all": "dashboard.export_all",
            "args": _filter_args(form),
        },
    )


@bp.get("/employeur/tableau-de-bord")
@employer_required
def employer():
    """An employer's own figures: their cases, readiness, barriers, funding, hires."""
    return render_template(
        "dashboard/employer.html",
        data=figures.organisation(_employer_filters()),
        exports={
            "table": "dashboard.employer_export_table",
            "all": "dashboard.employer_export_all",
            "args": {},
        },
    )


@bp.get("/tableau-de-bord/rapport/<int:year>")
@officer_required
def annual_report(year: int):
    """The printable yearly report for funders (small counts shown as "< 5")."""
    filters = _report_filters(year)
    args = {"year": year}
    args.update(
        (name, request.args[name])
        for name in ("sector", "department")
        if request.args.get(name)
    )
    return render_template(
        "dashboard/report.html",
        year=year,
        data=figures.territory(filters, for_funders=True),
        exports={
            "table": "dashboard.report_export_table",
            "all": "dashboard.report_export_all",
            "args": args,
        },
    )


# ---------------------------------------------------------------- exports


def _audited(filters: Filters) -> dict:
    """The filters in the audit row: ids, slugs and ISO dates, never text."""
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in asdict(filters).items()
        if value is not None
    }


def _audit(chosen, fmt: str, subject: str, filters: Filters) -> None:
    """Which tables, with which filters, how many rows; committed before sending."""
    record_audit(
        current_user,
        "data.export",
        subject,
        None,
        format=fmt,
        fields=[table.slug for table in chosen],
        filters=_audited(filters),
        count=sum(len(table.rows) for table in chosen),
    )
    db.session.commit()


def _send_table(name, data, slugs, table, fmt, subject, filters):
    if table not in slugs:
        abort(404)
    (chosen,) = tables.build(data, [table])
    _audit([chosen], fmt, subject, filters)
    filename = f"passerelle-{name}-{table}-{paris_today().isoformat()}"
    return download(filename, chosen.headers, chosen.rows, fmt, str(chosen.title))


def _send_workbook(name, data, slugs, subject, filters):
    chosen = tables.build(data, slugs)
    _audit(chosen, "xlsx", subject, filters)
    sheets = [(str(table.title), table.headers, table.rows) for table in chosen]
    return download_workbook(f"passerelle-{name}-{paris_today().isoformat()}", sheets)


@bp.get(f"/tableau-de-bord/{ONE_TABLE}")
@officer_required
def export_table(table: str, fmt: str):
    """Download one table of the dashboard, with the page's filters."""
    _form, filters = _filters_from_request()
    data = figures.territory(filters)
    return _send_table(
        "tableau-de-bord", data, tables.TERRITORY, table, fmt, "dashboard", filters
    )


@bp.get(f"/tableau-de-bord/{ALL_TABLES}")
@officer_required
def export_all():
    """Download every table of the dashboard in one workbook, one sheet each."""
    _form, filters = _filters_from_request()
    data = figures.territory(filters)
    return _send_workbook(
        "tableau-de-bord", data, tables.TERRITORY, "dashboard", filters
    )


@bp.get(f"/employeur/tableau-de-bord/{ONE_TABLE}")
@employer_required
def employer_export_table(table: str, fmt: str):
    """Download one table of the employer's own figures."""
    filters = _employer_filters()
    data = figures.organisation(filters)
    return _send_table(
        "nos-chiffres", data, tables.EMPLOYER, table, fmt, "employer_dashboard", filters
    )


@bp.get(f"/employeur/tableau-de-bord/{ALL_TABLES}")
@employer_required
def employer_export_all():
    """Download every table of the employer's own figures in one workbook."""
    filters = _employer_filters()
    data = figures.organisation(filters)
    return _send_workbook(
        "nos-chiffres", data, tables.EMPLOYER, "employer_dashboard", filters
    )


@bp.get(f"/tableau-de-bord/rapport/<int:year>/{ONE_TABLE}")
@officer_required
def report_export_table(year: int, table: str, fmt: str):
    """Download one table of the annual report, small counts shown as "< 5"."""
    filters = _report_filters(year)
    data = figures.territory(filters, for_funders=True)
    return _send_table(
        f"rapport-{year}", data, tables.REPORT, table, fmt, "annual_report", filters
    )


@bp.get(f"/tableau-de-bord/rapport/<int:year>/{ALL_TABLES}")
@officer_required
def report_export_all(year: int):
    """Download every table of the annual report in one workbook, masked."""
    filters = _report_filters(year)
    data = figures.territory(filters, for_funders=True)
    return _send_workbook(
        f"rapport-{year}", data, tables.REPORT, "annual_report", filters
    )
