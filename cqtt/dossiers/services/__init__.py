"""Every write to a dossier, by stage. Each transition goes through one runner (`engine`): it locks the row,
checks the transitions table and the user's roles, saves, and writes a `DossierEvent` and an outbox row in the
same transaction. `dossier_act` (`dispatch`) is the one entry for the pages and the API."""

from .assignment import (
    assignment_rule_problems,
    assignment_rule_save,
)
from .dispatch import (
    ACTION_SERVICES,
    dossier_act,
)
from .engine import (
    DOCUMENT_KINDS,
    dossier_tally_rebuild,
)
from .intake import (
    ApplicantData,
    DocumentData,
    IntakeAnswer,
    IntakeResult,
    dossier_intake,
    dossier_intake_once,
    dossier_receive,
    dossier_refuse_intake,
    dossier_request_intake_supplement,
    dossier_submit_online,
    idempotency_keys_purge,
)
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

__all__ = [
    "ACTION_SERVICES",
    "ApplicantData",
    "DOCUMENT_KINDS",
    "DocumentData",
    "IntakeAnswer",
    "IntakeResult",
    "assignment_rule_problems",
    "assignment_rule_save",
    "dossier_act",
    "dossier_approve",
    "dossier_assign",
    "dossier_consult",
    "dossier_consultation_reply",
    "dossier_extend",
    "dossier_intake",
    "dossier_intake_once",
    "dossier_mark_ready",
    "dossier_receive",
    "dossier_receive_supplement",
    "dossier_refuse",
    "dossier_refuse_intake",
    "dossier_request_intake_supplement",
    "dossier_request_supplement",
    "dossier_return_result",
    "dossier_return_same_day",
    "dossier_submit",
    "dossier_submit_online",
    "dossier_tally_rebuild",
    "dossier_transfer",
    "dossier_withdraw",
    "idempotency_keys_purge",
]
