"""Public pages of the surveys: a campaign's answer page (opened by its QR code or link, on a phone, without an
account), the thank-you page, and the open campaigns of a unit. The address of the person answering counts
against a budget in the cache only; nothing about them is stored."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cqtt.core.caching import free_of_personal_data
from cqtt.core.errors import ServiceError, TransitionNotAllowed
from cqtt.core.ratelimit import rate_limited
from cqtt.units.models import Unit

from . import answer_form, selectors, services
from .apis import ANSWER_GROUP, answer_rate
from .models import Campaign, Channel


def _not_open(request, public_id: str):
    ended = Campaign.objects.filter(public_id=public_id).first() if len(public_id) <= 16 else None
    return render(request, "surveys/public/not_open.html", {"campaign": ended}, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, public_id: str):
    campaign = selectors.campaign_public(public_id=public_id)
    if campaign is None:
        return _not_open(request, public_id)
    questions = selectors.form_rules(campaign.form)
    values: dict = {}
    errors: dict = {}
    status = 200
    if request.method == "POST":
        if rate_limited(request, group=ANSWER_GROUP, rate=answer_rate()):
            response = render(request, "surveys/public/too_many.html", {"campaign": campaign}, status=429)
            response["Retry-After"] = "60"
            return response
        values = answer_form.answers_from_post(questions, request.POST)
        try:
            services.response_submit(campaign=campaign, answers=values, channel=Channel.ONLINE)
        except TransitionNotAllowed:
            return _not_open(request, public_id)
        except ServiceError as refused:
            errors = refused.message_dict
            status = 400
        else:
            return redirect("surveys:thanks", public_id=campaign.public_id)
    context = {
        "campaign": campaign,
        "sections": answer_form.layout(questions, values, errors),
        "errors": errors,
        "n_errors": len(errors),
        "action": reverse("surveys:answer", args=[campaign.public_id]),
    }
    return render(request, "surveys/public/answer.html", context, status=status)


@free_of_personal_data
def thanks(request, public_id: str):
    campaign = Campaign.objects.filter(public_id=public_id).select_related("unit").first()
    if campaign is None or len(public_id) > 16:
        raise Http404(_("Không tìm thấy đợt khảo sát."))
    return render(request, "surveys/public/thanks.html", {"campaign": campaign})


@free_of_personal_data
def unit_campaigns(request, unit_code: str):
    unit = Unit.objects.filter(code=unit_code).first() if len(unit_code) <= 32 else None
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị với mã này."))
    rows = selectors.campaigns_open_public(unit_code=unit.code)[:100]
    return render(request, "surveys/public/unit.html", {"unit": unit, "campaigns": rows})
