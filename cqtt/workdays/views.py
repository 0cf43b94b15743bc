from django.shortcuts import render

from cqtt.core.caching import free_of_personal_data

from . import rules
from .forms import DueDateForm
from .selectors import due_for, workday_unit_choices


@free_of_personal_data
def explain(request):
    """Public page: how the due date of a dossier is computed, day by day."""
    form = DueDateForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = due_for(data["received_at"], data["amount"] or 1, data["unit"], data["unit_code"])
        except rules.OutOfCalendar as exc:
            form.add_error("received_at", str(exc))
    context = {
        "form": form,
        "result": result,
        "due_text": rules.format_due(result.due_at) if result else "",
        "rows": [(rules.format_day(i.date), i.reason) for i in result.explanation] if result else [],
        "unit_choices": workday_unit_choices(),
        "chosen_unit": form.cleaned_data.get("unit_code") if result else None,
    }
    return render(request, "workdays/explain.html", context)
