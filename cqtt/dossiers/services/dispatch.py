"""One dispatch for every interface (pages, API): an action's name to its service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from cqtt.accounts.models import User
from cqtt.core.errors import TransitionNotAllowed

from .. import rules
from ..models import (
    Dossier,
    DossierStep,
)
from ..selectors import DossierReference
from .intake import dossier_receive, dossier_refuse_intake, dossier_request_intake_supplement
from .processing import (
    dossier_approve,
    dossier_assign,
    dossier_consult,
    dossier_consultation_reply,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit,
    dossier_transfer,
)
from .result import (
    dossier_extend,
    dossier_mark_ready,
    dossier_return_result,
    dossier_return_same_day,
    dossier_withdraw,
)


def _consultation_reply_action(*, actor, dossier, expected_version=None, **data):
    # an answer does not race with the dossier's own transitions: no version check
    return dossier_consultation_reply(actor=actor, dossier=dossier, **data)


ACTION_SERVICES: dict[str, Callable[..., Any]] = {
    "receive": dossier_receive,
    "request-intake-supplement": dossier_request_intake_supplement,
    "refuse-intake": dossier_refuse_intake,
    "assign": dossier_assign,
    "request-supplement": dossier_request_supplement,
    "receive-supplement": dossier_receive_supplement,
    "transfer": dossier_transfer,
    "consult": dossier_consult,
    "consultation-reply": _consultation_reply_action,
    "submit": dossier_submit,
    "approve": dossier_approve,
    "refuse": dossier_refuse,
    "mark-ready": dossier_mark_ready,
    "return-result": dossier_return_result,
    "return-same-day": dossier_return_same_day,
    "withdraw": dossier_withdraw,
    "extend": dossier_extend,
}


assert set(ACTION_SERVICES) == set(rules.TRANSITIONS), "every action of the table has its service"


def dossier_act(
    action: str,
    *,
    actor: User,
    dossier: Dossier | DossierReference,
    expected_version: int | None = None,
    **data: Any,
) -> Dossier:
    """Run the transition `action` with the service's own arguments (`data`); returns the updated dossier.
    The counter pages and the API call this one dispatch."""
    service = ACTION_SERVICES.get(action)
    if service is None:
        raise TransitionNotAllowed(_("Thao tác không tồn tại."))
    result = service(actor=actor, dossier=dossier, expected_version=expected_version, **data)
    if isinstance(result, tuple):  # (dossier, supplement request)
        result = result[0]
    if isinstance(result, DossierStep) or not isinstance(result, Dossier):  # a step, or a consultation result
        result = result.dossier
    return result
