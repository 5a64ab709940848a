"""The territory dashboard (officers), an employer's own figures, the annual report."""

from datetime import date

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from matching import access
from matching.access import employer_required, officer_required
from matching.cases.services import list_officers
from matching.core.forms import valid_filters
from matching.core.timeutils import paris_today
from matching.dashboard import figures
from matching.dashboard.forms import DashboardFilterForm
from matching.dashboard.queries import Filters

bp = Blueprint("dashboard", __name__)


def _filters_from_request() -> tuple[DashboardFilterForm, Filters]:
    form = DashboardFilterForm(request.args)
    form.officer_id.choices = [SelectChoice(None, _("Tous"))] + [
        SelectChoice(officer.id, officer.display_name) for officer in list_officers()
    ]
    return form, Filters(**valid_filters(form))


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
    )


@bp.get("/employeur/tableau-de-bord")
@employer_required
def employer():
    """An employer's own figures: their cases, readiness, barriers, funding, hires."""
    filters = Filters(organisation_id=access.active_organisation_id(current_user))
    return render_template(
        "dashboard/employer.html", data=figures.organisation(filters)
    )


@bp.get("/tableau-de-bord/rapport/<int:year>")
@officer_required
def annual_report(year: int):
    """The printable yearly report for funders (small counts shown as "< 5")."""
    if not 2000 <= year <= paris_today().year + 1:
        abort(404)
    form, filters = _filters_from_request()
    filters = Filters(
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        sector=filters.sector,
        department=filters.department,
    )
    return render_template(
        "dashboard/report.html",
        year=year,
        data=figures.territory(filters, for_funders=True),
    )
