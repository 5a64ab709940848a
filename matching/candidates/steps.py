"""The steps of a profile, shared by the candidate's guided form and the officer's
edit pages: build the form of a step from the profile, and save it."""

from matching import access, vocab
from matching.candidates import services
from matching.candidates.forms import (
    ExperienceForm,
    TrainingsLanguagesForm,
    WhereWhenForm,
    WishesForm,
)
from matching.candidates.models import Candidate

EDITABLE_STEPS = (1, 2, 3, 4)
BLANK_TRAININGS = 2


def _fte(value) -> str:
    return f"{value:.1f}" if value is not None else ""


def step_form(
    step: int,
    candidate: Candidate | None,
    officer: bool = False,
    account_name: str | None = None,
):
    """The form of a step, filled from the profile (or empty for a new one, with
    the name the person gave when creating their account)."""
    if step == 1:
        form = _where_when_form(candidate, account_name)
        if officer:
            del form.status
        return form
    if step == 2:
        return WishesForm(obj=candidate)
    if step == 3:
        levels = {f"domain_{d.domain}": d.sharing for d in candidate.domains}
        form = ExperienceForm(obj=candidate, **levels)
        form.limit_sharing(access.allowed_sharing_levels(candidate.consent_purposes))
        return form
    return _trainings_form(candidate)


def _where_when_form(
    candidate: Candidate | None, account_name: str | None = None
) -> WhereWhenForm:
    if candidate is None:
        return WhereWhenForm(display_name=account_name)
    radius = candidate.mobility_radius_km
    return WhereWhenForm(
        obj=_Filled(
            candidate,
            commune=candidate.commune_insee,
            mobility_radius_km=20 if radius is None else radius,
            fte_min=_fte(candidate.fte_min),
            fte_max=_fte(candidate.fte_max),
        )
    )


class _Filled:
    """The record, with some values shown differently in the form. WTForms reads
    ``obj`` before keyword arguments, so the record's own Decimal("0.50") would
    otherwise miss the "0.5" choice: nothing selected, and the next save of the
    step would empty the working time."""

    def __init__(self, record, **shown):
        self._record, self._shown = record, shown

    def __getattr__(self, name):
        if name in self._shown:
            return self._shown[name]
        return getattr(self._record, name)


def _trainings_form(candidate: Candidate) -> TrainingsLanguagesForm:
    data = {
        "trainings": [
            {"name": t.name, "provider": t.provider or "", "status": t.status}
            for t in candidate.trainings
        ],
        "languages": ", ".join(vocab.LANGUAGES.label(c) for c in candidate.languages),
    }
    form = TrainingsLanguagesForm(data=data)
    if not form.is_submitted():
        for _ in range(BLANK_TRAININGS):
            if len(form.trainings) < form.trainings.max_entries:
                form.trainings.append_entry()
    return form


def apply_step(step: int, candidate: Candidate, form) -> None:
    """Save a validated step form (raises services.CandidateError)."""
    if step == 1:
        services.apply_where_when(candidate, form)
    elif step == 2:
        services.apply_wishes(candidate, form)
    elif step == 3:
        services.save_experience(
            candidate,
            form.chosen_domains(),
            form.background_text.data or None,
            form.background_sharing.data,
            form.peer_help_text.data or None,
            form.peer_help_sharing.data,
        )
    else:
        services.apply_trainings_languages(
            candidate,
            [
                (entry.form.name.data, entry.form.provider.data, entry.form.status.data)
                for entry in form.trainings
            ],
            getattr(form.languages, "codes", []),
        )
