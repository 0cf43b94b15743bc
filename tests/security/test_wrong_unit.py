"""Wrong-unit access (ADR 0006): a user of one commune sees nothing of another commune's data and cannot change
it, through any page, admin page or API endpoint; a provincial supervisor sees its own province only; the
Fatherland Front observer reads but never writes; anonymous users reach only the public pages and endpoints.

Ward A (25747) holds every dossier here. The outsiders are ward B's counter officer, ward B's specialist,
ward B's unit administrator and the provincial supervisor of another province (Hà Nội, 01).

A hole found in the code is first written down as a test marked `@LEAK(...)` (a strict xfail), which turns into
an error once the code is fixed; then the marker is dropped. The 22 admin holes of the first review are closed.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from cqtt.accounts.admin_scope import UnitScopedAdminMixin
from cqtt.accounts.models import Role, RoleAssignment, User
from cqtt.accounts.services import role_grant
from cqtt.dossiers import services as s
from cqtt.dossiers.apis import ACTIONS as API_ACTIONS
from cqtt.dossiers.forms import ACTION_FORMS
from cqtt.dossiers.models import Dossier
from cqtt.procedures.exporting import export_csv
from cqtt.procedures.models import Procedure, ProcedureField
from cqtt.procedures.selectors import procedure_records_for_export
from cqtt.units.models import Counter, Office, Unit
from cqtt.units.services import counter_save, office_save
from cqtt.workdays.models import CalendarOverride, WorkSchedule
from cqtt.workdays.services import override_save, schedule_save

try:  # automatic assignment rules (being added while this module was written)
    from cqtt.dossiers.models import AssignmentRule
    from cqtt.dossiers.services import assignment_rule_save
except ImportError:  # pragma: no cover
    AssignmentRule = None
from tests.dossiers.conftest import applicant, at, documents_for, receive, world  # noqa: F401
from tests.factories import make_province, make_user
from tests.procedures.conftest import make_procedure
from tests.security import (
    wrong_unit_complaints,
    wrong_unit_dialogues,
    wrong_unit_evaluation,
    wrong_unit_portal_units,
    wrong_unit_reception,
)

pytestmark = pytest.mark.django_db


def LEAK(reason: str):
    return pytest.mark.xfail(strict=True, reason=f"LEAK: {reason}")


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
APPLICANT = "Phạm Văn Bình"
APPLICANT_PHONE = "0912345678"
APPLICANT_ID = "079085001234"
NOVEMBER = {"from": "2026-11-01", "to": "2026-11-30"}
LOGIN = "/tai-khoan/dang-nhap/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sec(world):  # noqa: F811 (the fixture imported above)
    """`world` plus: ward A dossiers in every printable state and one with an uploaded file, ward B's unit
    administrator, office and counter, provincial supervisors of 79 (ward A's city) and of 01, a work schedule
    of ward A, a calendar override of province 01, a procedure offered by ward A only, an officer whose home
    unit is ward B but who also holds a role in ward A, and a superuser whose home unit is ward B."""
    w = world
    received = receive(w)
    supplement = s.dossier_intake(
        actor=w.counter_a,
        procedure_code=w.birth.code,
        applicant=applicant(),
        documents=documents_for(w.birth, missing=1),
        missing_items=["Bản sao CCCD của mẹ"],
        supplement_reason="Thiếu giấy tờ",
        at=at(2026, 11, 23, 9, 30),
    ).dossier
    refused = s.dossier_intake(
        actor=w.counter_a,
        procedure_code=w.birth.code,
        applicant=applicant(),
        documents=documents_for(w.birth),
        refusal_reason="Việc khai sinh đã được đăng ký tại nơi khác",
        at=at(2026, 11, 23, 10, 0),
    ).dossier
    uploads = [
        s.DocumentData(
            name=d.name,
            kind=d.kind,
            count=d.count,
            required_document_id=d.pk,
            upload=SimpleUploadedFile("to-khai.pdf", PDF_BYTES, content_type="application/pdf"),
            content_type="application/pdf",
        )
        for d in w.birth.documents.all()
    ]
    online = s.dossier_submit_online(
        procedure_code=w.birth.code, unit=w.a, applicant=applicant(), documents=uploads
    )
    consulting = s.dossier_assign(actor=w.leader, dossier=receive(w), assignee=w.specialist)
    consultation_step = None
    if hasattr(s, "dossier_consult"):
        consultation_step = s.dossier_consult(
            actor=w.specialist, dossier=consulting, unit=w.other_dept, question="Xin ý kiến Phòng Kinh tế"
        ).seq
    rule_a = None
    if AssignmentRule is not None:
        rule_a = assignment_rule_save(
            rule=AssignmentRule(unit=w.a, procedure_code="9.999999", department=w.dept)
        )
    far = make_province("01", "Thành phố Hà Nội")
    office_b = office_save(office=Office(unit=w.b, name="Bộ phận Một cửa phường Thuận An"))
    seconded = make_user("bietphai", unit=w.b, role=Role.SPECIALIST, full_name="Hồ Văn Biệt")
    role_grant(user=seconded, unit=w.a, role=Role.COUNTER_OFFICER)
    return SimpleNamespace(
        w=w,
        received=received,
        supplement=supplement,
        refused=refused,
        online=online,
        consulting=consulting,
        consultation_step=consultation_step,
        rule_a=rule_a,
        file_doc=online.documents.exclude(file="").first(),
        far=far,
        supervisor_01=make_user("giamsat01", unit=far, role=Role.PROVINCIAL_SUPERVISOR),
        supervisor_79=make_user("giamsat79", unit=w.city, role=Role.PROVINCIAL_SUPERVISOR),
        admin_b=make_user("quantri2", unit=w.b, role=Role.UNIT_ADMIN, full_name="Đỗ Quản Trị"),
        counter_b=w.counter_b,
        specialist_b=w.specialist_b,
        office_b=office_b,
        desk_b=counter_save(counter=Counter(office=office_b, number=1, name="Tổng hợp")),
        schedule_a=schedule_save(schedule=WorkSchedule(unit=w.a)),
        override_01=override_save(
            override=CalendarOverride(
                date=dt.date(2026, 12, 31), kind="holiday", province=far, name="Nghỉ bù Hà Nội"
            )
        ),
        only_a=make_procedure(
            code="9.000001", name="Thủ tục riêng phường Thủ Dầu Một", field=w.birth.field, units=[w.a]
        ),
        seconded=seconded,
        root_b=make_user("root2", unit=w.b, is_staff=True, is_superuser=True),
    )


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def _request(client, kind: str, method: str, url: str, data):
    if kind == "api" and method == "post":
        return client.post(url, data, format="json")
    return getattr(client, method)(url, data)


def _snapshot(dossier: Dossier) -> tuple:
    d = Dossier.objects.get(pk=dossier.pk)
    return (
        d.version,
        d.status,
        d.current_unit_id,
        d.assignee_id,
        d.due_at,
        d.events.count(),
        d.steps.count(),
        d.supplements.count(),
    )


def _body(response) -> str:
    """The text of a response: HTML/JSON/CSV, or every cell of an xlsx file."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw.startswith(b"PK"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    return raw.decode("utf-8-sig", errors="replace")


# =============================================================================================================
# 1. Every URL pattern, classified
# =============================================================================================================

DOSSIER_ACTIONS_PAGE = list(ACTION_FORMS)  # 15 actions of the dossier page
DOSSIER_ACTIONS_API = list(API_ACTIONS)  # 13 transition endpoints of the API

PUBLIC_PAGES = {
    "portal:home": lambda x: reverse("portal:home"),
    "portal:lookup": lambda x: reverse("portal:lookup"),
    "portal:lookup_token": lambda x: reverse("portal:lookup_token", args=[x.received.lookup_token]),
    "portal:submit_choose": lambda x: reverse("portal:submit_choose"),
    "portal:submit": lambda x: reverse("portal:submit", args=[x.w.birth.code]) + "?unit=25747",
    "portal:submitted": lambda x: reverse("portal:submitted", args=[x.online.code]),  # → lookup (no session)
    "procedures:catalogue": lambda x: reverse("procedures:catalogue"),
    "procedures:detail": lambda x: reverse("procedures:detail", args=[x.w.birth.code]),
    "procedures:blank_form": lambda x: reverse(
        "procedures:blank_form", args=[x.w.birth.code, 1]
    ),  # 404: no form
    "workdays:explain": lambda x: reverse("workdays:explain"),
    "accounts:login": lambda x: reverse("accounts:login"),
    "accounts:logout": lambda x: reverse("accounts:logout"),  # POST only
    "set_language": lambda x: reverse("set_language"),  # POST only
    "notifications:unsubscribe": lambda x: _unsubscribe_url(),
    "ratings:kiosk": lambda x: reverse("ratings:kiosk", args=[x.w.counter.pk]),  # the pairing form
    "ratings:kiosk_state": lambda x: reverse("ratings:kiosk_state", args=[x.w.counter.pk]),  # 401: no device
    "ratings:kiosk_rate": lambda x: reverse("ratings:kiosk_rate", args=[x.w.counter.pk]),  # POST only
    "ratings:kiosk_photo": lambda x: reverse("ratings:kiosk_photo", args=[x.w.counter.pk, 1]),  # 404
    "ratings:link": lambda x: reverse("ratings:link", args=[x.received.lookup_token]),
    "surveys:unit": lambda x: reverse("surveys:unit", args=["25747"]),
    "surveys:answer": lambda x: reverse("surveys:answer", args=[_survey(x).public_id]),
    "surveys:thanks": lambda x: reverse("surveys:thanks", args=[_survey(x).public_id]),
}


def _survey(x):
    """An open survey campaign of ward A (made once per test)."""
    if getattr(x, "survey", None) is None:
        from cqtt.surveys import rules as survey_rules
        from cqtt.surveys import services as surveys

        form = surveys.form_create(
            actor=x.w.leader,
            unit=x.w.a,
            code="KS01",
            title="Phiếu thử",
            questions=[
                survey_rules.Q(
                    key="a", type="likert", label="Hài lòng?", choices=survey_rules.likert_choices()
                )
            ],
        )
        campaign = surveys.campaign_create(
            actor=x.w.leader,
            form=form,
            unit=x.w.a,
            kind="other",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2036, 12, 31),
        )
        x.survey = surveys.campaign_open(actor=x.w.leader, campaign=campaign)
    return x.survey


def _unsubscribe_url():
    from cqtt.notifications.models import Message
    from cqtt.notifications.services import unsubscribe_url

    return unsubscribe_url(Message(channel="sms", to="84900000001"))


PUBLIC_API = {
    "api:schema": lambda x: reverse("api:schema"),
    "api:docs": lambda x: reverse("api:docs"),
    "api:token": lambda x: reverse("api:token"),  # POST only
    "api:units": lambda x: reverse("api:units"),
    "api:procedures": lambda x: reverse("api:procedures"),
    "api:due-date": lambda x: (
        reverse("api:due-date") + "?received_at=2026-11-23T09:00:00%2B07:00&amount=3&unit=working_days"
    ),
    "api:public-dossier": lambda x: (
        reverse("api:public-dossier", args=[x.received.code]) + "?phone_last4=5678"
    ),
    # the providers' receipts and replies: nothing without the callback token (404)
    "api:notifications-receipt-http": lambda x: reverse("api:notifications-receipt-http"),
    "api:notifications-receipt-esms": lambda x: (
        reverse("api:notifications-receipt-esms") + "?SMSID=1&SendSuccess=1"
    ),
    "api:notifications-inbound-http": lambda x: reverse("api:notifications-inbound-http"),
    "api:notifications-inbound-esms": lambda x: (
        reverse("api:notifications-inbound-esms") + "?sender=84912345678&content=TC"
    ),
    "api:notifications-receipt-zalo": lambda x: reverse("api:notifications-receipt-zalo"),
    "api:public-ratings": lambda x: reverse("api:public-ratings"),  # POST only
    "api:public-surveys": lambda x: reverse("api:public-surveys") + "?unit=25747",
    "api:public-survey": lambda x: reverse("api:public-survey", args=[_survey(x).public_id]),
    "api:public-survey-responses": lambda x: reverse(
        "api:public-survey-responses", args=[_survey(x).public_id]
    ),
}
TOKEN_ONLY = {
    "api:notifications-receipt-http",
    "api:notifications-receipt-esms",
    "api:notifications-inbound-http",
    "api:notifications-inbound-esms",
    "api:notifications-receipt-zalo",
}


def _d(name, attr="received", *extra):
    return lambda x: reverse(name, args=[getattr(x, attr).code, *extra])


# staff pages: name → (method, url builder)
STAFF_PAGES = {
    "accounts:home": ("get", lambda x: reverse("accounts:home")),
    "accounts:password_change": ("get", lambda x: reverse("accounts:password_change")),
    "accounts:password_change_done": ("get", lambda x: reverse("accounts:password_change_done")),
    "dossiers:worklists": ("get", lambda x: reverse("dossiers:worklists")),
    "dossiers:intake": ("get", lambda x: reverse("dossiers:intake")),
    "dossiers:overview": ("get", lambda x: reverse("dossiers:overview")),
    "dossiers:detail": ("get", _d("dossiers:detail")),
    "dossiers:action": ("post", _d("dossiers:action", "received", "assign")),
    "dossiers:document_file": (
        "get",
        lambda x: reverse("dossiers:document_file", args=[x.online.code, x.file_doc.pk]),
    ),
    "dossiers:print_receipt": ("get", _d("dossiers:print_receipt")),
    "dossiers:print_supplement": ("get", _d("dossiers:print_supplement", "supplement")),
    "dossiers:print_refusal": ("get", _d("dossiers:print_refusal", "refused")),
    "dossiers:print_control": ("get", _d("dossiers:print_control")),
    "dossiers:tracking_book_xlsx": ("get", lambda x: reverse("dossiers:tracking_book_xlsx")),
    "dossiers:tracking_book_pdf": ("get", lambda x: reverse("dossiers:tracking_book_pdf")),
    "dossiers:list_xlsx": ("get", lambda x: reverse("dossiers:list_xlsx")),
    "notifications:list": ("get", lambda x: reverse("notifications:list")),
    "notifications:alert": ("get", lambda x: reverse("notifications:alert")),
    "notifications:dossier": ("get", _d("notifications:dossier")),
    "notifications:retry": ("post", lambda x: reverse("notifications:retry", args=[uuid.uuid4()])),
    "notifications:templates": ("get", lambda x: reverse("notifications:templates")),
    "notifications:template_edit": (
        "get",
        lambda x: reverse("notifications:template_edit", args=["received", "sms"]),
    ),
    "notifications:template_preview": (
        "post",
        lambda x: reverse("notifications:template_preview", args=["received", "sms"]),
    ),
    "notifications:settings": ("get", lambda x: reverse("notifications:settings")),
    "letters:list": ("get", lambda x: reverse("letters:list")),
    "letters:sign_many": ("post", lambda x: reverse("letters:sign_many")),
    "letters:new": ("get", lambda x: reverse("letters:new")),
    "letters:register": ("get", lambda x: reverse("letters:register")),
    "letters:counts": ("get", lambda x: reverse("letters:counts")),
    "letters:templates": ("get", lambda x: reverse("letters:templates")),
    "letters:template_edit": ("get", lambda x: reverse("letters:template_edit", args=["thanks"])),
    "letters:template_preview": ("post", lambda x: reverse("letters:template_preview", args=["thanks"])),
    "letters:custom_kind": ("get", lambda x: reverse("letters:custom_kind", args=[1])),
    "letters:custom_kind_delete": ("post", lambda x: reverse("letters:custom_kind_delete", args=[1])),
    "letters:custom_kind_archive": ("post", lambda x: reverse("letters:custom_kind_archive", args=[1])),
    "letters:dossier": ("get", _d("letters:dossier")),
    "letters:detail": ("get", lambda x: reverse("letters:detail", args=["abc"])),
    "letters:pdf": ("get", lambda x: reverse("letters:pdf", args=["abc"])),
    "ratings:overview": ("get", lambda x: reverse("ratings:overview")),
    "ratings:list": ("get", lambda x: reverse("ratings:list")),
    "ratings:review": ("post", lambda x: reverse("ratings:review", args=[1])),
    "ratings:mine": ("get", lambda x: reverse("ratings:mine")),
    "ratings:officer": ("get", lambda x: reverse("ratings:officer", args=["motcua"])),
    "ratings:kiosks": ("get", lambda x: reverse("ratings:kiosks")),
    "ratings:settings": ("get", lambda x: reverse("ratings:settings")),
    "procedures:import": ("get", lambda x: reverse("procedures:import")),
    "procedures:export": ("get", lambda x: reverse("procedures:export")),
    "surveys:campaigns": ("get", lambda x: reverse("surveys:campaigns")),
    "surveys:campaign_new": ("get", lambda x: reverse("surveys:campaign_new")),
    "surveys:campaign": ("get", lambda x: reverse("surveys:campaign", args=["abc"])),
    "surveys:qr": ("get", lambda x: reverse("surveys:qr", args=["abc"])),
    "surveys:paper": ("get", lambda x: reverse("surveys:paper", args=["abc"])),
    "surveys:results": ("get", lambda x: reverse("surveys:results", args=["abc"])),
    "surveys:export": ("get", lambda x: reverse("surveys:export", args=["abc"])),
    "surveys:forms": ("get", lambda x: reverse("surveys:forms")),
    "surveys:form_import": ("post", lambda x: reverse("surveys:form_import")),
    "surveys:form": ("get", lambda x: reverse("surveys:form", args=[1])),
    "surveys:question": ("get", lambda x: reverse("surveys:question", args=[1, 1])),
    "surveys:form_export": ("get", lambda x: reverse("surveys:form_export", args=[1])),
}
# staff API endpoints: name → list of (method, url builder)
STAFF_API = {
    "api:dossiers": [("get", lambda x: reverse("api:dossiers")), ("post", lambda x: reverse("api:dossiers"))],
    "api:dossier": [("get", _d("api:dossier"))],
    **{f"api:dossier-{a}": [("post", _d(f"api:dossier-{a}"))] for a in DOSSIER_ACTIONS_API},
    "api:notifications": [("get", lambda x: reverse("api:notifications") + f"?dossier={x.received.code}")],
    "api:letters": [("get", lambda x: reverse("api:letters") + f"?dossier={x.received.code}")],
    "api:letter-sign": [("post", lambda x: reverse("api:letter-sign", args=["abc"]))],
    "api:letter-pdf": [("get", lambda x: reverse("api:letter-pdf", args=["abc"]))],
    "api:ratings-summary": [("get", lambda x: reverse("api:ratings-summary") + "?unit=25747&period=2026-11")],
    "api:survey-results": [("get", lambda x: reverse("api:survey-results", args=["abc"]))],
}


# the feedback inbox (ADR 0018): its public pages and endpoints, its staff pages and endpoints
def _feedback(x):
    """A ward A feedback item whose sender is the dossiers' applicant (made once per test)."""
    if getattr(x, "feedback", None) is None:
        from cqtt.feedback import services as feedback

        x.feedback = feedback.feedback_submit(
            unit=x.w.a,
            kind="report",
            content="Đèn đường trước số 12 Bạch Đằng bị hỏng hai tuần.",
            channel="web",
            sender=feedback.SenderData(name=APPLICANT, phone=APPLICANT_PHONE, email="binh@example.vn"),
            publish_consent=True,
        )
    return x.feedback


FEEDBACK_ACTIONS_API = [
    "assign",
    "answer",
    "transfer",
    "refuse",
    "request_supplement",
    "reopen",
    "move_to_complaints",
    "publish",
]
FEEDBACK_PUBLIC_SPECIAL = {  # name → status for an anonymous GET
    "feedback:sent": 302,  # only for the browser session that sent it
    "feedback:react": 405,  # POST only
    "api:public-feedback-reaction": 405,
    "api:feedback-webhook-zalo": 405,
    "api:feedback-webhook-facebook": 403,  # the handshake without the verify token
}
PUBLIC_PAGES.update(
    {
        "feedback:submit": lambda x: reverse("feedback:submit") + "?unit=25747",
        "feedback:sent": lambda x: reverse("feedback:sent", args=[_feedback(x).code]),
        "feedback:lookup": lambda x: reverse("feedback:lookup"),
        "feedback:status": lambda x: reverse("feedback:status", args=[_feedback(x).code]),
        "feedback:react": lambda x: reverse("feedback:react", args=[_feedback(x).code]),
        "feedback:published": lambda x: reverse("feedback:published") + "?unit=25747",
    }
)
PUBLIC_API.update(
    {
        "api:public-feedback": lambda x: reverse("api:public-feedback") + "?unit=25747",
        "api:public-feedback-detail": lambda x: reverse(
            "api:public-feedback-detail", args=[_feedback(x).code]
        ),
        "api:public-feedback-reaction": lambda x: reverse(
            "api:public-feedback-reaction", args=[_feedback(x).code]
        ),
        "api:feedback-webhook-zalo": lambda x: reverse("api:feedback-webhook-zalo"),
        "api:feedback-webhook-facebook": lambda x: reverse("api:feedback-webhook-facebook"),
    }
)
STAFF_PAGES.update(
    {
        "feedback:inbox": ("get", lambda x: reverse("feedback:inbox")),
        "feedback:hotline": ("get", lambda x: reverse("feedback:hotline")),
        "feedback:boxes": ("get", lambda x: reverse("feedback:boxes")),
        "feedback:box": ("get", lambda x: reverse("feedback:box", args=[1])),
        "feedback:opening": ("get", lambda x: reverse("feedback:opening", args=[1])),
        "feedback:mailboxes": ("get", lambda x: reverse("feedback:mailboxes")),
        "feedback:settings": ("get", lambda x: reverse("feedback:settings")),
        "feedback:official": ("get", lambda x: reverse("feedback:official", args=[x.w.counter_a.pk])),
        "feedback:detail": ("get", lambda x: reverse("feedback:detail", args=[_feedback(x).code])),
        "feedback:draft_thanks": (
            "post",
            lambda x: reverse("feedback:draft_thanks", args=[_feedback(x).code]),
        ),
        "feedback:act": ("post", lambda x: reverse("feedback:act", args=[_feedback(x).code, "refuse"])),
        "feedback:scan": ("get", lambda x: reverse("feedback:scan", args=[_feedback(x).code])),
    }
)
STAFF_API.update(
    {
        "api:feedback": [("get", lambda x: reverse("api:feedback"))],
        **{
            f"api:feedback-{a.replace('_', '-')}": [
                (
                    "post",
                    lambda x, a=a: reverse(f"api:feedback-{a.replace('_', '-')}", args=[_feedback(x).code]),
                )
            ]
            for a in FEEDBACK_ACTIONS_API
        },
    }
)


for _module in (
    wrong_unit_complaints,
    wrong_unit_reception,
    wrong_unit_dialogues,
    wrong_unit_evaluation,
    wrong_unit_portal_units,
):
    _module.register(PUBLIC_PAGES, PUBLIC_API, STAFF_PAGES, STAFF_API)


def _all_url_patterns():
    def walk(patterns, prefix="", ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(
                    p.url_patterns, prefix + str(p.pattern), ns + (f"{p.namespace}:" if p.namespace else "")
                )
            else:
                yield prefix + str(p.pattern), ns + (p.name or "")

    return list(walk(get_resolver().url_patterns))


def test_every_url_pattern_is_classified_public_staff_or_admin():
    """A new URL fails here until it is added to one of the tables above (and so to the tests below)."""
    known = set(PUBLIC_PAGES) | set(PUBLIC_API) | set(STAFF_PAGES) | set(STAFF_API)
    unclassified = sorted(
        f"{route} ({name})"
        for route, name in _all_url_patterns()
        if not route.startswith("admin/") and name not in known
    )
    assert unclassified == []
    names = {name for _route, name in _all_url_patterns()}
    assert known <= names  # no stale rows


def test_every_dossier_action_is_covered_with_valid_input():
    """The action lists come from the code (ACTION_FORMS, apis.ACTIONS); each API action needs a body here."""
    assert len(DOSSIER_ACTIONS_PAGE) >= 15 and len(DOSSIER_ACTIONS_API) >= 13
    assert set(API_ACTIONS) <= set(API_ACTION_BODY)


# =============================================================================================================
# 2. Anonymous users
# =============================================================================================================


@pytest.mark.parametrize("name", sorted(STAFF_PAGES))
def test_anonymous_is_sent_to_the_login_page_from_every_staff_page(sec, name):
    method, build = STAFF_PAGES[name]
    response = getattr(_client(), method)(build(sec))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


@pytest.mark.parametrize(
    ("name", "method"), sorted((n, m) for n, cases in STAFF_API.items() for m, _b in cases)
)
def test_anonymous_gets_401_or_403_from_every_staff_api_endpoint(sec, name, method):
    build = dict(STAFF_API[name])[method]
    response = _request(_client(), "api", method, build(sec), {})
    assert response.status_code in (401, 403)
    assert APPLICANT not in _body(response)


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:index",
        "admin:units_unit_changelist",
        "admin:accounts_user_changelist",
        "admin:procedures_procedure_changelist",
        "admin:workdays_calendaroverride_changelist",
        "admin:core_auditevent_changelist",
    ],
)
def test_anonymous_is_sent_to_the_admin_login(sec, url_name):
    response = _client().get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


@pytest.mark.parametrize("name", sorted(PUBLIC_PAGES) + sorted(PUBLIC_API))
def test_public_urls_answer_anonymous_users_without_personal_data(sec, name):
    build = {**PUBLIC_PAGES, **PUBLIC_API}[name]
    response = _client().get(build(sec))
    if name in FEEDBACK_PUBLIC_SPECIAL:
        assert response.status_code == FEEDBACK_PUBLIC_SPECIAL[name], name
        return
    if name in (
        "accounts:logout",
        "api:token",
        "api:notifications-receipt-http",
        "api:notifications-inbound-http",
        "api:notifications-receipt-zalo",
        "api:public-ratings",
        "ratings:kiosk_rate",
        "api:public-survey-responses",
    ):
        assert response.status_code == 405  # POST only
        return
    if name == "set_language":  # GET only redirects back
        assert response.status_code == 302
        return
    if name == "portal:submitted":  # only for the browser session that submitted it
        assert response.status_code == 302 and response["Location"] == reverse("portal:lookup")
        return
    if name in ("procedures:blank_form", "ratings:kiosk_photo") or name in TOKEN_ONLY:
        assert response.status_code == 404
        return
    if name == "ratings:kiosk_state":  # only for a paired device
        assert response.status_code == 401 and response.json() == {"paired": False}
        return
    assert response.status_code == 200, name
    text = _body(response)
    for secret in (APPLICANT, APPLICANT_PHONE, APPLICANT_ID, "Bạch Đằng", "binh@example.vn"):
        assert secret not in text, (name, secret)


# =============================================================================================================
# 3. Outsiders against ward A's dossiers: every page and endpoint that takes a dossier code
# =============================================================================================================

PAGE_ACTION_DATA = {
    "assignee": None,  # the specialist's pk, filled in
    "department": "25747.KT",
    "unit_code": "25747.KT",
    "items": "Bản sao giấy kết hôn",
    "reason": "Lý do thử",
    "note": "",
    "collected_by": "Phạm Văn Bình",
    "id_checked": "on",
    "new_due_date": "2026-12-30",
    "new_due_time": "17:00",
    "question": "Xin ý kiến",
    "answer": "Đồng ý",
    "step": None,  # the consultation step, filled in
}
API_ACTION_BODY = {
    "assign": {"assignee": "chuyenvien"},
    "request-supplement": {"items": ["Bản sao giấy kết hôn"], "reason": "Thiếu"},
    "receive-supplement": {},
    "transfer": {"unit_code": "25747.KT"},
    "submit": {"note": ""},
    "approve": {"note": ""},
    "refuse": {"reason": "Lý do thử"},
    "mark-ready": {},
    "return-result": {"collected_by": "Phạm Văn Bình"},
    "withdraw": {"reason": "Lý do thử"},
    "extend": {"reason": "Lý do thử", "new_due_at": "2026-12-30T17:00:00+07:00"},
    "receive": {},
    "refuse-intake": {"reason": "Lý do thử"},
    "consult": {"unit_code": "25747.KT", "question": "Xin ý kiến"},
    "consultation-reply": {"step": None, "answer": "Đồng ý"},  # the consultation step, filled in
}

# the dossier each action is tried on: one in a state where the action is allowed
ACTION_TARGET = {
    "receive": "online",
    "request-intake-supplement": "online",
    "refuse-intake": "online",
    "withdraw": "online",
    "receive-supplement": "received",
    "consult": "consulting",
    "consultation-reply": "consulting",
}


def _page_action(action):
    def build(x):
        d = getattr(x, ACTION_TARGET.get(action, "received"))
        d.refresh_from_db()
        data = {**PAGE_ACTION_DATA, "assignee": str(x.w.specialist.pk), "version": str(d.version)}
        data["step"] = str(x.consultation_step or 1)
        return reverse("dossiers:action", args=[d.code, action]), data, d

    return build


def _api_action(action):
    def build(x):
        d = getattr(x, ACTION_TARGET.get(action, "received"))
        d.refresh_from_db()
        body = {**API_ACTION_BODY.get(action, {}), "version": None}
        if "step" in body:
            body["step"] = x.consultation_step or 1
        return reverse(f"api:dossier-{action}", args=[d.code]), body, d

    return build


def _get(name, attr="received", *extra):
    return lambda x: (reverse(name, args=[getattr(x, attr).code, *extra]), {}, getattr(x, attr))


DOSSIER_READS = [
    pytest.param("page", "get", _get("dossiers:detail"), id="page-detail"),
    pytest.param("page", "get", _get("dossiers:detail", "online"), id="page-detail-online"),
    pytest.param(
        "page",
        "get",
        lambda x: (reverse("dossiers:document_file", args=[x.online.code, x.file_doc.pk]), {}, x.online),
        id="page-document-file",
    ),
    pytest.param("page", "get", _get("dossiers:print_receipt"), id="print-receipt"),
    pytest.param("page", "get", _get("dossiers:print_supplement", "supplement"), id="print-supplement"),
    pytest.param("page", "get", _get("dossiers:print_refusal", "refused"), id="print-refusal"),
    pytest.param("page", "get", _get("dossiers:print_control"), id="print-control"),
    pytest.param("api", "get", _get("api:dossier"), id="api-detail"),
    pytest.param("api", "get", _get("api:dossier", "online"), id="api-detail-online"),
]
DOSSIER_WRITES = [
    *[pytest.param("page", "post", _page_action(a), id=f"page-action-{a}") for a in DOSSIER_ACTIONS_PAGE],
    *[pytest.param("api", "post", _api_action(a), id=f"api-action-{a}") for a in DOSSIER_ACTIONS_API],
]
OUTSIDERS = ["counter_b", "specialist_b", "admin_b", "supervisor_01"]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("kind", "method", "build"), DOSSIER_READS + DOSSIER_WRITES)
def test_outsider_gets_404_for_every_page_and_endpoint_of_a_ward_a_dossier(sec, who, kind, method, build):
    url, data, dossier = build(sec)
    before = _snapshot(dossier)
    response = _request(_client(getattr(sec, who)), kind, method, url, data)
    assert response.status_code == 404
    assert _snapshot(dossier) == before
    text = _body(response)
    assert APPLICANT not in text and dossier.applicant_phone not in text


@pytest.mark.parametrize(("kind", "method", "build"), DOSSIER_READS)
def test_control_the_same_reads_answer_ward_a_staff_and_its_provincial_supervisor(sec, kind, method, build):
    url, data, _dossier = build(sec)
    for user in (sec.w.leader, sec.supervisor_79):
        assert _request(_client(user), kind, method, url, data).status_code == 200, user


# =============================================================================================================
# 4. The observer (Fatherland Front) reads but never writes
# =============================================================================================================


@pytest.mark.parametrize(("kind", "method", "build"), DOSSIER_WRITES)
def test_observer_is_refused_every_dossier_action_page_and_api(sec, kind, method, build):
    url, data, dossier = build(sec)
    before = _snapshot(dossier)
    response = _request(_client(sec.w.observer), kind, method, url, data)
    assert response.status_code == 403, _body(response)[:300]
    assert _snapshot(dossier) == before


@pytest.mark.parametrize(("kind", "method", "build"), DOSSIER_READS)
def test_observer_reads_every_ward_a_dossier_page(sec, kind, method, build):
    url, data, _dossier = build(sec)
    assert _request(_client(sec.w.observer), kind, method, url, data).status_code == 200


def test_observer_page_offers_no_action_form(sec):
    html = _body(_client(sec.w.observer).get(reverse("dossiers:detail", args=[sec.received.code])))
    for action in DOSSIER_ACTIONS_PAGE:
        assert reverse("dossiers:action", args=[sec.received.code, action]) not in html


API_CREATE = {
    "procedure_code": "1.001193",
    "applicant": {"full_name": "Phạm Văn Bình", "phone": "0912345678", "id_number": "079085001234"},
    "documents": [],
}


def test_observer_cannot_receive_a_dossier_page_or_api(sec):
    client = _client(sec.w.observer)
    count = Dossier.objects.count()
    assert client.get(reverse("dossiers:intake")).status_code == 403
    assert (
        client.post(reverse("dossiers:intake"), {"procedure": "1.001193", "unit": "25747"}).status_code == 403
    )
    assert client.post(reverse("api:dossiers"), API_CREATE, format="json").status_code == 403
    assert (
        client.post(reverse("api:dossiers"), {**API_CREATE, "unit_code": "25747"}, format="json").status_code
        == 403
    )
    assert Dossier.objects.count() == count


def test_observer_cannot_import_procedures_nor_enter_the_admin(sec):
    client = _client(sec.w.observer)
    assert client.get(reverse("procedures:import")).status_code == 403
    upload = SimpleUploadedFile("thu-tuc.csv", export_csv(procedure_records_for_export(user=sec.root_b)))
    assert client.post(reverse("procedures:import"), {"file": upload}).status_code == 403
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN)


# =============================================================================================================
# 5. List endpoints: nothing of ward A leaks to outsiders (and the same lists show it to ward A's supervisor)
# =============================================================================================================


def _codes(x) -> list[str]:
    return [x.received.code, x.supplement.code, x.refused.code, x.online.code, x.consulting.code]


LISTS = [
    pytest.param("page", lambda x: (reverse("dossiers:worklists"), {}), True, id="worklists"),
    pytest.param("page", lambda x: (reverse("dossiers:worklists"), {"tab": "all"}), True, id="worklists-all"),
    pytest.param(
        "page",
        lambda x: (reverse("dossiers:worklists"), {"tab": "all", "status": "received"}),
        True,
        id="worklists-all-received",
    ),
    pytest.param(
        "page",
        lambda x: (reverse("dossiers:worklists"), {"tab": "counter.awaiting_reception"}),
        False,
        id="worklists-counter-awaiting",
    ),
    pytest.param("page", lambda x: (reverse("dossiers:list_xlsx"), {}), True, id="list-xlsx"),
    pytest.param(
        "page", lambda x: (reverse("dossiers:list_xlsx"), {"unit": "25747"}), True, id="list-xlsx-unit-a"
    ),
    pytest.param("page", lambda x: (reverse("dossiers:tracking_book_xlsx"), NOVEMBER), True, id="book-xlsx"),
    pytest.param("api", lambda x: (reverse("api:dossiers"), {}), True, id="api-list"),
    pytest.param("api", lambda x: (reverse("api:dossiers"), {"unit": "25747"}), True, id="api-list-unit-a"),
    pytest.param(
        "api", lambda x: (reverse("api:dossiers"), {"status": "submitted_online"}), True, id="api-list-status"
    ),
    pytest.param(
        "api", lambda x: (reverse("api:dossiers"), {"overdue": "false"}), True, id="api-list-overdue"
    ),
]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize(("kind", "build", "_control"), LISTS)
def test_outsider_lists_show_nothing_of_ward_a(sec, who, kind, build, _control):
    url, params = build(sec)
    response = _client(getattr(sec, who)).get(url, params)
    assert response.status_code == 200
    text = _body(response)
    for marker in [*_codes(sec), APPLICANT, APPLICANT_PHONE]:
        assert marker not in text, marker
    if kind == "api":
        assert response.json()["count"] == 0


@pytest.mark.parametrize(("kind", "build", "control"), LISTS)
def test_control_ward_a_provincial_supervisor_sees_ward_a_in_the_same_lists(sec, kind, build, control):
    if not control:
        pytest.skip("tab of another role")
    url, params = build(sec)
    text = _body(_client(sec.supervisor_79).get(url, params))
    assert any(code in text for code in _codes(sec))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsider_overview_counts_nothing_of_ward_a(sec, who):
    data = _client(getattr(sec, who)).get(reverse("dossiers:overview")).context["data"]
    assert sum(row["count"] for row in data["by_status"]) == 0
    own = _client(sec.supervisor_79).get(reverse("dossiers:overview")).context["data"]
    assert sum(row["count"] for row in own["by_status"]) == Dossier.objects.count() == len(_codes(sec))


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("name", ["dossiers:tracking_book_xlsx", "dossiers:tracking_book_pdf"])
def test_outsider_asking_the_tracking_book_of_ward_a_gets_404(sec, who, name):
    response = _client(getattr(sec, who)).get(reverse(name), {**NOVEMBER, "unit": "25747"})
    assert response.status_code == 404


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsider_procedure_export_lists_neither_ward_a_nor_its_own_procedures(sec, who):
    text = _body(_client(getattr(sec, who)).get(reverse("procedures:export"), {"format": "csv"}))
    assert sec.only_a.code not in text
    assert "25747" not in text


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsider_home_lists_only_its_own_units(sec, who):
    html = _body(_client(getattr(sec, who)).get(reverse("accounts:home")))
    assert "Thủ Dầu Một" not in html


def test_a_ward_a_document_id_under_a_ward_b_dossier_code_is_404(sec):
    own = s.dossier_intake(
        actor=sec.counter_b,
        procedure_code=sec.w.birth.code,
        applicant=applicant(full_name="Lý Thị Bê"),
        documents=documents_for(sec.w.birth),
        at=at(2026, 11, 23, 9, 0),
    ).dossier
    client = _client(sec.counter_b)
    assert client.get(reverse("dossiers:detail", args=[own.code])).status_code == 200
    response = client.get(reverse("dossiers:document_file", args=[own.code, sec.file_doc.pk]))
    assert response.status_code == 404


def test_counter_officer_of_ward_b_cannot_receive_for_ward_a_page_or_api(sec):
    client = _client(sec.counter_b)
    in_a = Dossier.objects.filter(receiving_unit=sec.w.a).count()
    page = client.get(reverse("dossiers:intake"), {"unit": "25747", "procedure": "1.001193"})
    assert page.status_code == 200 and page.context["unit"] == sec.w.b
    client.post(reverse("dossiers:intake"), {"procedure": "1.001193", "unit": "25747", "outcome": "receive"})
    response = client.post(reverse("api:dossiers"), {**API_CREATE, "unit_code": "25747"}, format="json")
    assert response.status_code == 403
    assert Dossier.objects.filter(receiving_unit=sec.w.a).count() == in_a


# =============================================================================================================
# 6. Procedure import: unit codes of another commune are refused
# =============================================================================================================


@pytest.mark.parametrize("who", ["admin_b", "supervisor_01"])
def test_import_naming_a_ward_a_unit_is_refused_whole(sec, who):
    before = sorted(Procedure.objects.values_list("code", "name", "updated_at"))
    links = sorted(Procedure.units.through.objects.values_list("procedure_id", "unit_id"))
    csv = export_csv(procedure_records_for_export(user=sec.root_b))  # every procedure, units 25747 and 25978
    response = _client(getattr(sec, who)).post(
        reverse("procedures:import"), {"file": SimpleUploadedFile("thu-tuc.csv", csv)}
    )
    assert response.status_code == 400
    assert "25747" in _body(response)
    assert sorted(Procedure.objects.values_list("code", "name", "updated_at")) == before
    assert sorted(Procedure.units.through.objects.values_list("procedure_id", "unit_id")) == links


def test_import_cannot_change_the_content_of_a_version_shared_with_ward_a(sec):
    client = _client(sec.admin_b)
    csv = _body(client.get(reverse("procedures:export"), {"format": "csv"}))
    assert "25978" in csv and "Đăng ký khai sinh" in csv
    changed = csv.replace("Đăng ký khai sinh", "Đăng ký khai sinh (sửa)").encode("utf-8")
    response = client.post(reverse("procedures:import"), {"file": SimpleUploadedFile("thu-tuc.csv", changed)})
    assert response.status_code == 400
    assert Procedure.objects.get(pk=sec.w.birth.pk).name == "Đăng ký khai sinh"


# =============================================================================================================
# 7. The admin, as ward B's unit administrator
# =============================================================================================================


def _ward_a_rows(x) -> dict[str, list]:
    w = x.w
    rows = {
        "units.unit": [w.a, w.dept, w.other_dept],
        "units.office": [w.office],
        "units.counter": [w.counter],
        "accounts.user": [w.counter_a, w.specialist, w.leader, w.observer],
        "accounts.roleassignment": list(RoleAssignment.objects.filter(unit__path__startswith=w.a.path)),
        "workdays.workschedule": [x.schedule_a],
        "procedures.procedure": [x.only_a],
        "dossiers.dossier": list(Dossier.objects.filter(receiving_unit=w.a)),
    }
    if x.rule_a is not None:
        rows["dossiers.assignmentrule"] = [x.rule_a]
    return rows


REGISTRY = {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}
# rows belong to a unit: scoped to the unit administrator's units
ADMIN_MODELS = sorted(
    label
    for label, model_admin in REGISTRY.items()
    if isinstance(model_admin, UnitScopedAdminMixin) or label == "procedures.procedure"
)
# shared reference data (national or per province) that a unit administrator nevertheless may edit
GLOBAL_ADMIN_MODELS = ["procedures.procedurefield", "workdays.calendaroverride"]
# system tables a unit administrator has no permission on
SYSTEM_ADMIN_MODELS = [
    "auth.group",
    "authtoken.tokenproxy",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "django_tasks_database.dbtaskresult",
    "core.auditevent",
]


def test_every_admin_model_is_classified_and_has_ward_a_rows_here():
    assert sorted(REGISTRY) == sorted(ADMIN_MODELS + GLOBAL_ADMIN_MODELS + SYSTEM_ADMIN_MODELS)
    assert {"units.unit", "accounts.user", "procedures.procedure"} <= set(ADMIN_MODELS)


def _admin_url(label: str, view: str, *args) -> str:
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def _refused(response) -> bool:
    """Django's admin answers a row outside the queryset with a redirect to the admin index."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == reverse("admin:index")
    )


def _row(obj) -> dict:
    return type(obj).objects.filter(pk=obj.pk).values().first()


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_unit_admin_changelists_show_no_ward_a_row(sec, label):
    client = _client(sec.admin_b)
    response = client.get(_admin_url(label, "changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].queryset.values_list("pk", flat=True))
    rows = _ward_a_rows(sec)[label]
    assert rows, f"add a ward A row of {label} to the fixture"
    assert shown.isdisjoint({r.pk for r in rows})
    html = _body(response)
    for r in rows:
        assert _admin_url(label, "change", r.pk) not in html
    # searching does not widen the scope
    searched = client.get(_admin_url(label, "changelist"), {"q": "25747"})
    assert set(searched.context["cl"].queryset.values_list("pk", flat=True)).isdisjoint({r.pk for r in rows})


def _admin_cases():
    for label in ADMIN_MODELS:
        for view in ("change", "history", "delete"):
            yield pytest.param(label, view, id=f"{label}-{view}")


@pytest.mark.parametrize(("label", "view"), list(_admin_cases()))
def test_unit_admin_cannot_open_ward_a_rows(sec, label, view):
    client = _client(sec.admin_b)
    for row in _ward_a_rows(sec)[label]:
        assert _refused(client.get(_admin_url(label, view, row.pk))), row


@pytest.mark.parametrize("label", ADMIN_MODELS)
def test_unit_admin_cannot_change_or_delete_ward_a_rows(sec, label):
    client = _client(sec.admin_b)
    for row in _ward_a_rows(sec)[label]:
        before = _row(row)
        data = {"name": "Đổi tên", "full_name": "Đổi tên", "unit": sec.w.b.pk, "role": Role.LEADER}
        assert _refused(client.post(_admin_url(label, "change", row.pk), data)), row
        assert _refused(client.post(_admin_url(label, "delete", row.pk), {"post": "yes"})), row
        client.post(
            _admin_url(label, "changelist"),
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        )
        assert _row(row) == before, row


@pytest.mark.parametrize("who", ["counter_a", "specialist", "leader", "observer"])
def test_unit_admin_cannot_set_the_password_of_ward_a_staff(sec, who):
    user = getattr(sec.w, who)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    client = _client(sec.admin_b)
    assert client.get(url).status_code in (403, 404)
    client.post(
        url, {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026", "usable_password": "true"}
    )
    user.refresh_from_db()
    assert user.check_password("pw-12345-test")


@pytest.mark.parametrize("label", SYSTEM_ADMIN_MODELS)
def test_unit_admin_has_no_access_to_unscoped_system_models(sec, label):
    assert _client(sec.admin_b).get(_admin_url(label, "changelist")).status_code == 403


@pytest.mark.parametrize(
    ("app", "model", "field"),
    [
        ("accounts", "roleassignment", "unit"),
        ("accounts", "roleassignment", "user"),
        ("accounts", "user", "unit"),
        ("units", "unit", "parent"),
        ("units", "office", "unit"),
        ("workdays", "workschedule", "unit"),
        ("workdays", "calendaroverride", "province"),
        ("procedures", "procedure", "units"),
    ],
)
def test_unit_admin_autocomplete_offers_nothing_of_ward_a(sec, app, model, field):
    response = _client(sec.admin_b).get(
        reverse("admin:autocomplete"),
        {"app_label": app, "model_name": model, "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    ids = {int(r["id"]) for r in response.json()["results"]}
    forbidden = {u.pk for u in Unit.objects.filter(path__startswith=sec.w.a.path)} | {sec.w.city.pk}
    if field == "user":
        forbidden = {u.pk for u in User.objects.filter(unit__path__startswith=sec.w.a.path)}
    assert ids.isdisjoint(forbidden)


def test_control_unit_admin_manages_its_own_ward(sec):
    client = _client(sec.admin_b)
    assert client.get(_admin_url("units.unit", "change", sec.w.b.pk)).status_code == 200
    assert client.get(_admin_url("units.office", "change", sec.office_b.pk)).status_code == 200
    assert client.get(_admin_url("accounts.user", "change", sec.counter_b.pk)).status_code == 200


# --- writes that name a ward A row in a form field -----------------------------------------------------------


class _FormFields(HTMLParser):
    """The fields a browser would post from the admin change form (`<form id="…_form">`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def _form(client, url: str, **changes) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = {k: v for k, v in parser.data.items() if v and "__prefix__" not in k}
    for key, value in changes.items():
        data[key] = value
    return data


def test_unit_admin_cannot_grant_itself_a_role_in_ward_a(sec):
    client = _client(sec.admin_b)
    url = _admin_url("accounts.roleassignment", "add")
    client.post(
        url, _form(client, url, user=str(sec.admin_b.pk), unit=str(sec.w.a.pk), role="counter_officer")
    )
    assert not RoleAssignment.objects.filter(unit=sec.w.a, user=sec.admin_b).exists()


def test_unit_admin_cannot_grant_provincial_supervisor_of_its_city(sec):
    client = _client(sec.admin_b)
    url = _admin_url("accounts.roleassignment", "add")
    data = _form(
        client, url, user=str(sec.counter_b.pk), unit=str(sec.w.city.pk), role="provincial_supervisor"
    )
    client.post(url, data)
    assert not RoleAssignment.objects.filter(unit=sec.w.city, user=sec.counter_b).exists()


def test_unit_admin_cannot_move_a_role_of_its_ward_to_ward_a(sec):
    client = _client(sec.admin_b)
    ra = RoleAssignment.objects.get(user=sec.counter_b, unit=sec.w.b)
    url = _admin_url("accounts.roleassignment", "change", ra.pk)
    client.post(url, _form(client, url, unit=str(sec.w.a.pk)))
    ra.refresh_from_db()
    assert ra.unit == sec.w.b


def test_unit_admin_cannot_move_a_user_of_its_ward_into_ward_a(sec):
    client = _client(sec.admin_b)
    url = _admin_url("accounts.user", "change", sec.counter_b.pk)
    client.post(url, _form(client, url, unit=str(sec.w.a.pk)))
    sec.counter_b.refresh_from_db()
    assert sec.counter_b.unit == sec.w.b


def test_unit_admin_cannot_create_a_user_in_ward_a(sec):
    client = _client(sec.admin_b)
    url = _admin_url("accounts.user", "add")
    data = _form(
        client,
        url,
        username="cbmoi",
        password1="Mat-khau-moi-2026",
        password2="Mat-khau-moi-2026",
        full_name="Cán bộ mới",
        unit=str(sec.w.a.pk),
    )
    client.post(url, data)
    assert not User.objects.filter(username="cbmoi", unit=sec.w.a).exists()


def test_unit_admin_cannot_create_a_unit_under_ward_a(sec):
    client = _client(sec.admin_b)
    url = _admin_url("units.unit", "add")
    data = _form(
        client,
        url,
        code="25747.XX",
        name="Phòng mới",
        full_name="Phòng mới",
        level="department",
        kind="department",
        parent=str(sec.w.a.pk),
    )
    client.post(url, data)
    assert not Unit.objects.filter(code="25747.XX").exists()


def test_unit_admin_cannot_open_an_office_for_a_ward_a_department(sec):
    client = _client(sec.admin_b)
    url = _admin_url("units.office", "add")
    client.post(url, _form(client, url, unit=str(sec.w.dept.pk), name="Một cửa lạ", kind="one_stop"))
    assert not Office.objects.filter(unit=sec.w.dept).exists()


def test_unit_admin_cannot_add_a_counter_to_ward_a_office(sec):
    client = _client(sec.admin_b)
    url = _admin_url("units.counter", "add")
    client.post(url, _form(client, url, office=str(sec.w.office.pk), number="9", name="Quầy lạ"))
    assert not Counter.objects.filter(office=sec.w.office, number=9).exists()


def test_unit_admin_counter_pages_do_not_list_ward_a_staff_or_offices(sec):
    client = _client(sec.admin_b)
    for url in (
        _admin_url("units.counter", "add"),
        _admin_url("units.counter", "change", sec.desk_b.pk),
        _admin_url("units.office", "change", sec.office_b.pk),
    ):
        html = _body(client.get(url))
        for name in ("Nguyễn Thị Hà", "Trần Minh Đức", "Lê Văn Thành", sec.w.office.name):
            assert name not in html, (url, name)


def test_unit_admin_cannot_make_ward_a_staff_officers_of_its_counter(sec):
    client = _client(sec.admin_b)
    url = _admin_url("units.counter", "change", sec.desk_b.pk)
    client.post(url, _form(client, url, officers=[str(sec.w.counter_a.pk)]))
    assert not sec.desk_b.officers.filter(pk=sec.w.counter_a.pk).exists()


@pytest.mark.skipif(AssignmentRule is None, reason="no automatic assignment rules")
def test_unit_admin_cannot_write_an_assignment_rule_for_ward_a(sec):
    client = _client(sec.admin_b)
    url = _admin_url("dossiers.assignmentrule", "add")
    data = _form(client, url, unit=str(sec.w.a.pk), procedure_code="1.001193", department=str(sec.w.dept.pk))
    client.post(url, data)
    assert not AssignmentRule.objects.filter(unit=sec.w.a, procedure_code="1.001193").exists()


def test_unit_admin_cannot_set_office_hours_of_a_ward_a_department(sec):
    client = _client(sec.admin_b)
    url = _admin_url("workdays.workschedule", "add")
    client.post(url, _form(client, url, unit=str(sec.w.other_dept.pk)))
    assert not WorkSchedule.objects.filter(unit=sec.w.other_dept).exists()


def test_unit_admin_cannot_change_or_delete_calendar_overrides_of_another_province(sec):
    client = _client(sec.admin_b)
    before = _row(sec.override_01)
    url = _admin_url("workdays.calendaroverride", "change", sec.override_01.pk)
    assert client.get(url).status_code == 403  # national calendar data is for superusers only
    o = sec.override_01
    client.post(
        url,
        {
            "date": o.date.isoformat(),
            "kind": "workday",
            "province": o.province_id or "",
            "name": "Đổi bởi phường B",
            "reference": "",
            "note": "",
        },
    )
    client.post(_admin_url("workdays.calendaroverride", "delete", o.pk), {"post": "yes"})
    assert _row(sec.override_01) == before


def test_unit_admin_cannot_add_a_national_day_off(sec):
    client = _client(sec.admin_b)
    client.post(
        _admin_url("workdays.calendaroverride", "add"),
        {
            "date": "2026-11-24",
            "kind": "holiday",
            "province": "",
            "name": "Nghỉ lạ",
            "reference": "",
            "note": "",
        },
    )
    assert not CalendarOverride.objects.filter(date=dt.date(2026, 11, 24)).exists()


def test_unit_admin_cannot_change_a_procedure_version_ward_a_also_offers(sec):
    client = _client(sec.admin_b)
    url = _admin_url("procedures.procedure", "change", sec.w.birth.pk)
    client.post(url, _form(client, url, name="Đăng ký khai sinh (sửa bởi phường B)"))
    sec.w.birth.refresh_from_db()
    assert sec.w.birth.name == "Đăng ký khai sinh"
    assert set(sec.w.birth.units.all()) == {sec.w.a, sec.w.b}


def test_unit_admin_cannot_close_a_procedure_version_ward_a_also_offers(sec):
    client = _client(sec.admin_b)
    client.post(
        _admin_url("procedures.procedure", "changelist"),
        {"action": "open_new_version", "_selected_action": [sec.w.copy.pk]},
    )
    sec.w.copy.refresh_from_db()
    assert sec.w.copy.valid_to is None
    assert Procedure.objects.filter(code=sec.w.copy.code).count() == 1


def test_unit_admin_cannot_delete_a_procedure_version_ward_a_also_offers(sec):
    client = _client(sec.admin_b)
    client.post(_admin_url("procedures.procedure", "delete", sec.w.copy.pk), {"post": "yes"})
    assert Procedure.objects.filter(pk=sec.w.copy.pk).exists()


def test_unit_admin_cannot_rename_a_procedure_field_used_by_ward_a(sec):
    client = _client(sec.admin_b)
    field = sec.w.birth.field
    url = _admin_url("procedures.procedurefield", "change", field.pk)
    client.post(url, {"code": field.code, "name": "Lĩnh vực bị đổi tên"})
    assert ProcedureField.objects.get(pk=field.pk).name == "Hộ tịch"


def test_unit_admin_cannot_take_over_a_superuser_whose_home_unit_is_its_ward(sec):
    client = _client(sec.admin_b)
    assert _refused(client.get(_admin_url("accounts.user", "change", sec.root_b.pk)))
    url = reverse("admin:auth_user_password_change", args=[sec.root_b.pk])
    client.post(
        url, {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026", "usable_password": "true"}
    )
    sec.root_b.refresh_from_db()
    assert sec.root_b.check_password("pw-12345-test")


def test_unit_admin_cannot_take_over_an_officer_who_also_holds_a_ward_a_role(sec):
    client = _client(sec.admin_b)
    url = reverse("admin:auth_user_password_change", args=[sec.seconded.pk])
    client.post(
        url, {"password1": "Mat-khau-moi-2026", "password2": "Mat-khau-moi-2026", "usable_password": "true"}
    )
    sec.seconded.refresh_from_db()
    assert sec.seconded.check_password("pw-12345-test")


def test_unit_admin_user_page_does_not_show_roles_held_in_ward_a(sec):
    html = _body(_client(sec.admin_b).get(_admin_url("accounts.user", "change", sec.seconded.pk)))
    assert "Thủ Dầu Một" not in html


def test_unit_admin_cannot_revoke_roles_held_in_ward_a(sec):
    client = _client(sec.admin_b)
    ra = RoleAssignment.objects.get(user=sec.seconded, unit=sec.w.a)
    # the officer who also serves ward A is out of ward B's administrator's reach …
    assert client.get(_admin_url("accounts.user", "change", sec.seconded.pk)).status_code == 302
    # … and so is the ward A role itself
    client.post(_admin_url("accounts.roleassignment", "delete", ra.pk), {"post": "yes"})
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


# =============================================================================================================
# 8. A provincial supervisor reaches its own province only
# =============================================================================================================


def test_provincial_supervisor_of_another_province_reaches_nothing_of_ward_a(sec):
    client = _client(sec.supervisor_01)
    assert client.get(reverse("dossiers:detail", args=[sec.received.code])).status_code == 404
    assert client.get(reverse("api:dossiers")).json()["count"] == 0
    assert client.get(reverse("dossiers:tracking_book_xlsx"), {**NOVEMBER, "unit": "79"}).status_code == 404
    assert _client(sec.supervisor_79).get(reverse("api:dossiers")).json()["count"] == len(_codes(sec))
