"""Writes of the surveys: forms and their questions (builder, copy, XLSForm import), campaigns (create, open,
close) and answers (online, or a paper form typed in by staff). Every change leaves an audit event and an outbox
event of the stream "survey"; an answer's events name the campaign, never the answer row."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in
from cqtt.core import outbox
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.process import Refusal
from cqtt.core.text import nfc, nfc_text
from cqtt.units.models import Unit

from . import rules, xlsform
from .models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Channel,
    Question,
    Response,
    SurveyForm,
    new_response_id,
)
from .selectors import accepts_answers, as_rule, can_enter_paper, form_rules

STREAM = "survey"


def _event(actor, action: str, obj, *, unit: Unit | None, summary: str, changes=None, payload=None) -> None:
    audit_record(
        actor=actor,
        action=f"surveys.{action}",
        obj=obj,
        unit_code=unit.code if unit else "",
        summary=summary,
        changes=changes,
        data=payload or {},
    )
    outbox.emit(stream=STREAM, aggregate_id=obj.pk, action=action, payload=payload or {})


def _roles(actor, unit: Unit | None) -> set[str]:
    if actor is None:
        return set(Role.values)  # the system (loaders, commands)
    if unit is None:
        return set(Role.values) if getattr(actor, "is_superuser", False) else set()
    return user_roles_in(actor, unit)


def require_form_editor(actor, form: SurveyForm) -> None:
    if form.builtin or form.unit_id is None:
        raise PermissionDenied(_("Biểu mẫu có sẵn không sửa được: hãy sao chép thành biểu mẫu của đơn vị."))
    if not (_roles(actor, form.unit) & rules.CAMPAIGN_ROLES):
        raise PermissionDenied(_("Bạn không sửa được biểu mẫu của đơn vị này."))


def form_locked(form: SurveyForm) -> bool:
    """A built-in form, or one whose campaigns already have answers, is not changed (copy it instead)."""
    return form.builtin or Response.objects.filter(campaign__form=form).exists()


def _require_unlocked(form: SurveyForm) -> None:
    if form_locked(form):
        raise TransitionNotAllowed(
            _("Biểu mẫu đã có phiếu trả lời (hoặc là mẫu có sẵn) nên không sửa được: hãy sao chép để sửa.")
        )


def _bump(form: SurveyForm) -> None:
    SurveyForm.objects.filter(pk=form.pk).update(version=F("version") + 1, updated_at=timezone.now())
    form.refresh_from_db(fields=["version", "updated_at"])


def _form_fields(code: str, title: str) -> tuple[str, str]:
    code, title = nfc(code).upper(), nfc(title)
    errors = {}
    if not code or len(code) > 40 or not rules.CHOICE_VALUE.match(code):
        errors["code"] = [
            _("Ký hiệu gồm chữ không dấu, chữ số, dấu - hoặc _, tối đa 40 ký tự (ví dụ PKS08).")
        ]
    if not title:
        errors["title"] = [_("Ghi tên biểu mẫu.")]
    elif len(title) > 300:
        errors["title"] = [_("Tên biểu mẫu tối đa 300 ký tự.")]
    if errors:
        raise ServiceError(errors)
    return code, title


def _code_taken(unit: Unit | None, code: str, exclude: int | None = None) -> bool:
    qs = SurveyForm.objects.filter(unit=unit, code=code)
    return qs.exclude(pk=exclude).exists() if exclude else qs.exists()


@transaction.atomic
def form_create(
    *,
    actor: User | None,
    unit: Unit | None,
    code: str,
    title: str,
    description: str = "",
    questions: list[rules.Q] | None = None,
    builtin: bool = False,
) -> SurveyForm:
    """A new form of `unit` (None with `builtin`: the platform's catalogue), with its questions when given (all
    checked first: nothing is saved if one is bad — errors keyed `q<n>.<field>`, n from 1)."""
    if not builtin and (unit is None or not (_roles(actor, unit) & rules.CAMPAIGN_ROLES)):
        raise PermissionDenied(_("Bạn không lập được biểu mẫu cho đơn vị này."))
    code, title = _form_fields(code, title)
    if _code_taken(None if builtin else unit, code):
        raise ServiceError({"code": [_("Ký hiệu «%(c)s» đã có biểu mẫu khác.") % {"c": code}]})
    cleaned = check_questions(questions or [])
    form = SurveyForm.objects.create(
        unit=None if builtin else unit,
        builtin=builtin,
        code=code,
        title=title,
        description=nfc_text(description)[:4000],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Question.objects.bulk_create(_rows(form, cleaned))
    if builtin and actor is None:
        return form  # the platform's catalogue, loaded at install (`defaults`): reference data, not a change
    _event(
        actor,
        "form_create",
        form,
        unit=form.unit,
        summary=_("Lập biểu mẫu %(c)s") % {"c": code},
        changes=audit_changes(form, {}),
        payload={"form": form.pk, "questions": len(cleaned)},
    )
    return form


def _clean_q(q: rules.Q) -> rules.Q:
    def items(values):
        return [
            {"value": nfc(str(c.get("value", ""))), "label": nfc(str(c.get("label", "")))} for c in values
        ]

    return rules.Q(
        key=nfc(q.key).lower() if q.key else "",
        type=q.type,
        label=nfc_text(q.label),
        required=bool(q.required) and q.type not in (rules.T.NOTE, rules.T.SECTION),
        relevant=nfc(q.relevant),
        hint=nfc(q.hint)[:300],
        choices=items(q.choices) if q.type in rules.T.values and q.type != rules.T.INTEGER else [],
        rows=items(q.rows) if q.type == rules.T.LIKERT_MATRIX else [],
        min_value=q.min_value if q.type == rules.T.INTEGER else None,
        max_value=q.max_value if q.type == rules.T.INTEGER else None,
    )


def check_questions(questions: list[rules.Q]) -> list[rules.Q]:
    """The questions cleaned, or ServiceError with every bad one (`q<n>.<field>`)."""
    earlier: dict[str, rules.Q] = {}
    errors: dict[str, list[str]] = {}
    cleaned = []
    for n, raw in enumerate(questions, 1):
        q = _clean_q(raw)
        if q.type not in (rules.T.SELECT_ONE, rules.T.SELECT_MULTIPLE, rules.T.LIKERT, rules.T.LIKERT_MATRIX):
            q.choices = []
        for name, messages in rules.check_question(q, earlier=earlier).items():
            errors[f"q{n}.{name}"] = messages
        earlier.setdefault(q.key, q)
        cleaned.append(q)
    if errors:
        raise ServiceError(errors)
    return cleaned


def _rows(form: SurveyForm, questions: list[rules.Q], start: int = 1) -> list[Question]:
    return [
        Question(
            form=form,
            position=start + i,
            key=q.key,
            type=q.type,
            label=q.label,
            hint=q.hint,
            required=q.required,
            relevant=q.relevant,
            choices=q.choices,
            rows=q.rows,
            min_value=q.min_value,
            max_value=q.max_value,
        )
        for i, q in enumerate(questions)
    ]


@transaction.atomic
def form_update(*, actor: User, form: SurveyForm, code: str, title: str, description: str = "") -> SurveyForm:
    require_form_editor(actor, form)
    code, title = _form_fields(code, title)
    if _code_taken(form.unit, code, exclude=form.pk):
        raise ServiceError({"code": [_("Ký hiệu «%(c)s» đã có biểu mẫu khác.") % {"c": code}]})
    before = audit_snapshot(form)
    form.code, form.title, form.description = code, title, nfc_text(description)[:4000]
    form.version += 1
    form.save(update_fields=["code", "title", "description", "version", "updated_at"])
    _event(
        actor,
        "form_update",
        form,
        unit=form.unit,
        summary=_("Sửa biểu mẫu %(c)s") % {"c": code},
        changes=audit_changes(form, before),
        payload={"form": form.pk},
    )
    return form


@transaction.atomic
def form_copy(*, actor: User, form: SurveyForm, unit: Unit) -> SurveyForm:
    """The form with its questions as a new form of `unit` (code with a -2, -3… suffix when taken)."""
    code, n = form.code, 1
    while _code_taken(unit, code):
        n += 1
        code = f"{form.code}-{n}"[:40]
    return form_create(
        actor=actor,
        unit=unit,
        code=code,
        title=form.title,
        description=form.description,
        questions=form_rules(form),
    )


@transaction.atomic
def question_save(
    *, actor: User, form: SurveyForm, data: rules.Q, question: Question | None = None
) -> Question:
    """Add a question at the end (`question=None`) or change one; the form's other questions stay as they are."""
    require_form_editor(actor, form)
    _require_unlocked(form)
    SurveyForm.objects.select_for_update().filter(pk=form.pk).first()
    others = list(form.questions.order_by("position"))
    position = question.position if question else (max((q.position for q in others), default=0) + 1)
    earlier = {q.key: as_rule(q) for q in others if q.position < position and q != question}
    q = _clean_q(data)
    errors = rules.check_question(q, earlier=earlier)
    later = [x for x in others if x.position > position]
    if question is None and any(x.key == q.key for x in others) and "key" not in errors:
        errors["key"] = [_("Mã câu hỏi «%(k)s» đã dùng cho câu khác.") % {"k": q.key}]
    if question is not None and q.key != question.key and any(x.key == q.key for x in later):
        errors["key"] = [_("Mã câu hỏi «%(k)s» đã dùng cho câu khác.") % {"k": q.key}]
    if question is not None and q.key != question.key:
        users = [x for x in later if question.key in rules.relevant_keys(rules.parse_relevant(x.relevant))]
        if users:
            errors["key"] = [
                _("Câu «%(o)s» có điều kiện hiển thị dựa vào mã này: sửa câu đó trước.") % {"o": users[0].key}
            ]
    if errors:
        raise ServiceError(errors)
    before = audit_snapshot(question) if question else {}
    row = question or Question(form=form, position=position)
    for name, value in asdict(q).items():
        setattr(row, name, value)
    row.save()
    _bump(form)
    _event(
        actor,
        "question_save",
        form,
        unit=form.unit,
        summary=_("Sửa câu hỏi %(k)s của biểu mẫu %(c)s") % {"k": row.key, "c": form.code},
        changes=audit_changes(row, before),
        payload={"form": form.pk, "question": row.key},
    )
    return row


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    form = question.form
    require_form_editor(actor, form)
    _require_unlocked(form)
    users = [
        x.key
        for x in form.questions.filter(position__gt=question.position)
        if question.key in rules.relevant_keys(rules.parse_relevant(x.relevant))
    ]
    if users:
        raise ServiceError(
            {
                "question": [
                    _("Câu «%(o)s» có điều kiện hiển thị dựa vào câu này: sửa câu đó trước.")
                    % {"o": users[0]}
                ]
            }
        )
    key = question.key
    question.delete()
    _bump(form)
    _event(
        actor,
        "question_delete",
        form,
        unit=form.unit,
        summary=_("Xóa câu hỏi %(k)s của biểu mẫu %(c)s") % {"k": key, "c": form.code},
        payload={"form": form.pk, "question": key},
    )


@transaction.atomic
def question_move(*, actor: User, question: Question, up: bool) -> bool:
    """Swap the question with its neighbour; False at the end of the list or when a show-if would then name a
    question after it."""
    form = question.form
    require_form_editor(actor, form)
    _require_unlocked(form)
    rows = list(form.questions.order_by("position"))
    i = rows.index(question)
    j = i - 1 if up else i + 1
    if j < 0 or j >= len(rows):
        return False
    rows[i], rows[j] = rows[j], rows[i]
    earlier: dict[str, rules.Q] = {}
    for row in rows:
        if rules.check_question(as_rule(row), earlier=earlier).get("relevant"):
            raise ServiceError(
                {
                    "question": [
                        _("Không chuyển được: điều kiện hiển thị của câu «%(k)s» cần câu đứng trước nó.")
                        % {"k": row.key}
                    ]
                }
            )
        earlier[row.key] = as_rule(row)
    top = (form.questions.aggregate(m=Max("position"))["m"] or 0) + 1
    for n, row in enumerate(rows):  # move out of the way first: positions are not unique, but keep them tidy
        Question.objects.filter(pk=row.pk).update(position=top + n)
    for n, row in enumerate(rows, 1):
        Question.objects.filter(pk=row.pk).update(position=n)
    _bump(form)
    _event(
        actor,
        "question_move",
        form,
        unit=form.unit,
        summary=_("Đổi thứ tự câu %(k)s của biểu mẫu %(c)s") % {"k": question.key, "c": form.code},
        payload={"form": form.pk, "question": question.key, "up": up},
    )
    return True


# --- campaigns ---------------------------------------------------------------------------------------------


def campaign_roles_needed(kind: str) -> frozenset[str]:
    """Who runs a campaign of `kind`: the unit's staff, and for the Fatherland Front's also its observer."""
    return rules.FRONT_ROLES if kind == CampaignKind.FATHERLAND_FRONT else rules.CAMPAIGN_ROLES


@transaction.atomic
def campaign_create(
    *,
    actor: User | None,
    form: SurveyForm,
    unit: Unit,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    title: str = "",
    paired_with: Campaign | None = None,
) -> Campaign:
    if kind not in CampaignKind.values:
        raise ServiceError({"kind": [_("Loại đợt khảo sát không hợp lệ.")]})
    if actor is not None and not (_roles(actor, unit) & campaign_roles_needed(kind)):
        raise PermissionDenied(_("Vai trò của bạn không lập được đợt khảo sát loại này tại đơn vị này."))
    if form.unit_id is not None and not unit.path.startswith(form.unit.path):
        raise ServiceError({"form": [_("Biểu mẫu này thuộc đơn vị khác.")]})
    errors = {}
    if ends_on < starts_on:
        errors["ends_on"] = [_("Ngày kết thúc không được trước ngày bắt đầu.")]
    if paired_with is not None:
        if paired_with.form_id != form.pk or paired_with.unit_id != unit.pk:
            errors["paired_with"] = [_("Chỉ so sánh được với một đợt trước của cùng biểu mẫu, cùng đơn vị.")]
        elif paired_with.starts_on >= starts_on:
            errors["paired_with"] = [_("Đợt để so sánh phải bắt đầu trước đợt này.")]
    title = nfc(title) or f"{form.title} ({starts_on:%d/%m/%Y}–{ends_on:%d/%m/%Y})"
    if len(title) > 300:
        errors["title"] = [_("Tên đợt khảo sát tối đa 300 ký tự.")]
    if errors:
        raise ServiceError(errors)
    campaign = Campaign.objects.create(
        form=form,
        unit=unit,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        paired_with=paired_with,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _event(
        actor,
        "campaign_create",
        campaign,
        unit=unit,
        summary=_("Lập đợt khảo sát %(t)s") % {"t": title},
        changes=audit_changes(campaign, {}),
        payload={"campaign": campaign.public_id, "kind": kind, "form": form.code},
    )
    return campaign


def _campaign_act(actor, campaign: Campaign, action: str, at: dt.datetime | None) -> Campaign:
    at = at or timezone.now()
    campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
    roles = _roles(actor, campaign.unit) & campaign_roles_needed(campaign.kind)
    try:
        t = rules.CAMPAIGN.check(action, campaign.status, roles)
    except Refusal as refused:
        if refused.conflict:
            raise TransitionNotAllowed(
                _("Đợt khảo sát đang ở trạng thái “%(s)s”: không thực hiện được.")
                % {"s": campaign.get_status_display()}
            ) from None
        raise PermissionDenied(str(refused)) from None
    before = audit_snapshot(campaign)
    campaign.status = t.target_from(campaign.status)
    fields = ["status", "updated_at"]
    if action == "open":
        campaign.opened_at, campaign.closed_at = at, None
        fields += ["opened_at", "closed_at"]
    else:
        campaign.closed_at = at
        fields.append("closed_at")
    campaign.save(update_fields=fields)
    _event(
        actor,
        f"campaign_{action}",
        campaign,
        unit=campaign.unit,
        summary=f"{t.label}: {campaign.title}",
        changes=audit_changes(campaign, before),
        payload={"campaign": campaign.public_id, "kind": campaign.kind},
    )
    return campaign


@transaction.atomic
def campaign_open(*, actor: User | None, campaign: Campaign, at: dt.datetime | None = None) -> Campaign:
    return _campaign_act(actor, campaign, "open", at)


@transaction.atomic
def campaign_close(*, actor: User | None, campaign: Campaign, at: dt.datetime | None = None) -> Campaign:
    return _campaign_act(actor, campaign, "close", at)


@transaction.atomic
def response_submit(
    *,
    campaign: Campaign,
    answers: dict,
    channel: str = Channel.ONLINE,
    entered_by: User | None = None,
    today: dt.date | None = None,
) -> Response:
    """Check and store one filled-in form. Online: only while the campaign is open and in its period. Paper
    (typed in by staff): also after the period, not after the campaign is closed."""
    today = today or timezone.localdate()
    if channel == Channel.PAPER:
        if entered_by is None or not can_enter_paper(entered_by, campaign):
            raise PermissionDenied(_("Bạn không nhập được phiếu của đợt khảo sát này."))
        if campaign.status != CampaignStatus.OPEN:
            raise TransitionNotAllowed(_("Đợt khảo sát không còn nhận phiếu."))
    elif channel == Channel.ONLINE:
        entered_by = None
        if not accepts_answers(campaign, today):
            raise TransitionNotAllowed(_("Đợt khảo sát không còn nhận ý kiến."))
    else:
        raise ServiceError({"channel": [_("Hình thức không hợp lệ.")]})
    if not isinstance(answers, dict):
        raise ServiceError({"answers": [_("Gửi các câu trả lời dạng {mã câu hỏi: giá trị}.")]})
    clean, errors = rules.check_answers(form_rules(campaign.form), answers)
    if errors:
        raise ServiceError(errors)
    if not clean:
        raise ServiceError({"answers": [_("Phiếu chưa có câu trả lời nào.")]})
    row = {
        "campaign": campaign,
        "channel": channel,
        "submitted_on": today,
        "answers": clean,
        "entered_by": entered_by,
    }
    try:
        # a savepoint: on PostgreSQL a failed INSERT aborts the whole transaction, and the retry with it
        with transaction.atomic():
            response = Response.objects.create(id=new_response_id(), **row)
    except IntegrityError:  # a random id met another (vanishingly rare): one more try
        response = Response.objects.create(id=new_response_id(), **row)
    # the events name the campaign, not the answer (their clock would otherwise date it to the second)
    _event(
        entered_by,
        "response_add",
        campaign,
        unit=campaign.unit,
        summary=_("Nhận một phiếu (%(c)s)") % {"c": Channel(channel).label},
        payload={"campaign": campaign.public_id, "channel": channel},
    )
    return response


@transaction.atomic
def form_import_xlsform(*, actor: User, unit: Unit, content: bytes) -> SurveyForm:
    """A new form of `unit` from an XLSForm workbook: every bad row is reported (ServiceError on `file`) and
    nothing is imported if one is bad."""
    parsed = xlsform.parse(content)
    if parsed.errors:
        raise ServiceError({"file": parsed.errors})
    try:
        return form_create(
            actor=actor,
            unit=unit,
            code=parsed.code,
            title=parsed.title,
            description=parsed.description,
            questions=parsed.questions,
        )
    except ServiceError as refused:
        raise ServiceError({"file": xlsform.row_errors(parsed, refused.message_dict)}) from None
