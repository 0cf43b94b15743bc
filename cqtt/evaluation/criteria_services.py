"""Writes of the model's criteria: criteria sets and their versions, cycles, a unit's self-assessment and the
inspection team's scores through one runner (row lock, scope, the transitions table of `criteria_rules`, the
event row, `audit_record` and `outbox.emit` on the stream "evaluation"), recognition with the decision, rewards
proposed, reviews (sơ kết, tổng kết), pilot units, roll-out targets and outreach sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in, user_scope
from cqtt.core import outbox
from cqtt.core.audit import audit_changes, audit_record, audit_snapshot
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.process import Refusal
from cqtt.core.text import nfc, nfc_text
from cqtt.dossiers.uploads import check_upload
from cqtt.feedback.selectors import staff_reaching
from cqtt.units.models import Unit, UnitLevel

from . import criteria_formulas as formulas
from . import criteria_rules as rules
from .criteria_models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    CriteriaSet,
    Criterion,
    CriterionKind,
    Cycle,
    Evidence,
    OutreachSession,
    PilotUnit,
    Review,
    ReviewKind,
    RewardProposal,
    RolloutTarget,
    Score,
)

STREAM = "evaluation"
MAX_EVIDENCE = 10  # files per criterion


@dataclass
class CriterionData:
    code: str
    text: str
    weight: str | Decimal
    kind: str = CriterionKind.SELF
    formula: str = ""


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _event(actor, action: str, obj, *, unit: Unit | None, summary: str, changes=None, payload=None) -> None:
    audit_record(
        actor=actor,
        action=f"evaluation.{action}",
        obj=obj,
        unit_code=unit.code if unit else "",
        summary=summary,
        changes=changes,
        data=payload or {},
    )
    outbox.emit(stream=STREAM, aggregate_id=obj.pk, action=action, payload=payload or {})


def _roles(actor, unit: Unit) -> set[str]:
    if actor is None:
        return set(Role.values)  # the system (demo loader, commands)
    return user_roles_in(actor, unit)


def _require_inspector(actor, province: Unit) -> None:
    if not (_roles(actor, province) & rules.INSPECTORS):
        raise PermissionDenied(_("Chỉ Ban Chỉ đạo cấp tỉnh (giám sát cấp tỉnh) làm được việc này."))


def _text(value, *, field: str, required: bool, limit: int, errors: dict, message: str = "") -> str:
    text = nfc_text(value or "") if limit > 300 else nfc(value or "")
    if required and not text:
        errors[field] = [message or _("Trường này không được để trống.")]
    elif len(text) > limit:
        errors[field] = [_("Tối đa %(n)s ký tự.") % {"n": limit}]
    return text


def _decimal(value, *, field: str, errors: dict) -> Decimal:
    try:
        d = Decimal(str(value).strip().replace(",", "."))
        if not d.is_finite():
            raise InvalidOperation
        return d.quantize(rules.CENT)
    except (InvalidOperation, ValueError):
        errors[field] = [_("Phải là một số, ví dụ 80 hoặc 7,5.")]
        return Decimal(0)


# --- criteria sets -----------------------------------------------------------------------------------------


def set_in_use(cs: CriteriaSet) -> bool:
    return cs.builtin or cs.cycles.exists()


def _clean_criteria(criteria: list[CriterionData], errors: dict) -> list[CriterionData]:
    out, seen = [], set()
    for n, c in enumerate(criteria, 1):
        code = nfc(c.code)[:20]
        text = nfc_text(c.text)
        weight = _decimal(c.weight, field=f"c{n}.weight", errors=errors)
        if not code:
            errors[f"c{n}.code"] = [_("Ghi mã tiêu chí.")]
        elif code in seen:
            errors[f"c{n}.code"] = [_("Mã tiêu chí «%(c)s» bị trùng.") % {"c": code}]
        seen.add(code)
        if not text:
            errors[f"c{n}.text"] = [_("Ghi nội dung tiêu chí.")]
        kind = c.kind if c.kind in CriterionKind.values else CriterionKind.SELF
        formula = c.formula if kind == CriterionKind.AUTOMATIC else ""
        if kind == CriterionKind.AUTOMATIC and formula not in formulas.FORMULAS:
            errors[f"c{n}.formula"] = [_("Tiêu chí tự động cần chọn một công thức có sẵn.")]
        out.append(CriterionData(code, text, weight, kind, formula))
    return out


def _weight_errors(errors: dict) -> bool:
    return any(k.startswith("c") and k.endswith(".weight") for k in errors)


def _write_criteria(cs: CriteriaSet, criteria: list[CriterionData]) -> None:
    cs.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=cs,
            position=i,
            code=c.code,
            text=c.text,
            weight=c.weight,
            kind=c.kind,
            formula=c.formula,
            formula_text=str(formulas.FORMULAS[c.formula].text) if c.formula else "",
        )
        for i, c in enumerate(criteria, 1)
    )


@transaction.atomic
def criteria_set_create(
    *,
    actor: User | None,
    province: Unit,
    code: str,
    name: str,
    pass_mark,
    criteria: list[CriterionData],
    description: str = "",
) -> CriteriaSet:
    """A province's own set (version 1), all checked first: errors keyed by field or `c<n>.<field>`."""
    _require_inspector(actor, province)
    errors: dict[str, list[str]] = {}
    code = _text(code, field="code", required=True, limit=40, errors=errors).upper()
    name = _text(name, field="name", required=True, limit=300, errors=errors)
    mark = _decimal(pass_mark, field="pass_mark", errors=errors)
    cleaned = _clean_criteria(criteria, errors)
    if "pass_mark" not in errors and not _weight_errors(errors):  # a weight not read is no total to check
        errors.update(rules.check_set(pass_mark=mark, weights=[c.weight for c in cleaned]))
    if code and CriteriaSet.objects.filter(province=province, code=code).exists():
        errors["code"] = [_("Tỉnh đã có bộ tiêu chí ký hiệu «%(c)s»: hãy lập phiên bản mới.") % {"c": code}]
    if errors:
        raise ServiceError(errors)
    cs = CriteriaSet.objects.create(
        province=province,
        code=code,
        version=1,
        name=name,
        pass_mark=mark,
        description=nfc_text(description)[:4000],
    )
    _write_criteria(cs, cleaned)
    _event(
        actor,
        "criteria_set_create",
        cs,
        unit=province,
        summary=_("Lập bộ tiêu chí %(c)s") % {"c": code},
        changes=audit_changes(cs, {}),
        payload={"set": cs.pk, "version": 1},
    )
    return cs


@transaction.atomic
def criteria_set_new_version(*, actor: User | None, source: CriteriaSet, province: Unit) -> CriteriaSet:
    """A new version of `source`'s code for `province`, copying the criteria of the latest version."""
    _require_inspector(actor, province)
    if source.province_id not in (None, province.pk):
        raise NotInScope(_("Không tìm thấy bộ tiêu chí."))
    same = CriteriaSet.objects.filter(code=source.code).filter(
        province__isnull=True
    ) | CriteriaSet.objects.filter(code=source.code, province=province)
    latest = same.order_by("-version", "-pk").first() or source
    number = (same.aggregate(v=Max("version"))["v"] or 0) + 1
    cs = CriteriaSet.objects.create(
        province=province,
        code=source.code,
        version=number,
        name=latest.name,
        description=latest.description,
        pass_mark=latest.pass_mark,
    )
    _write_criteria(
        cs,
        [
            CriterionData(c.code, c.text, c.weight, c.kind, c.formula)
            for c in latest.criteria.order_by("position")
        ],
    )
    _event(
        actor,
        "criteria_set_version",
        cs,
        unit=province,
        summary=_("Lập phiên bản %(v)s của bộ tiêu chí %(c)s") % {"v": number, "c": cs.code},
        payload={"set": cs.pk, "from": latest.pk, "version": number},
    )
    return cs


@transaction.atomic
def criteria_set_update(
    *, actor: User | None, criteria_set: CriteriaSet, name: str, pass_mark, criteria: list[CriterionData]
) -> CriteriaSet:
    cs = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if cs.province is None:
        raise PermissionDenied(_("Bộ tiêu chí có sẵn không sửa được: hãy lập phiên bản mới của tỉnh."))
    _require_inspector(actor, cs.province)
    if set_in_use(cs):
        raise TransitionNotAllowed(
            _("Phiên bản này đã dùng cho một đợt đánh giá nên không sửa được: hãy lập phiên bản mới.")
        )
    errors: dict[str, list[str]] = {}
    before = audit_snapshot(cs)
    cs.name = _text(name, field="name", required=True, limit=300, errors=errors)
    cs.pass_mark = _decimal(pass_mark, field="pass_mark", errors=errors)
    cleaned = _clean_criteria(criteria, errors)
    if "pass_mark" not in errors and not _weight_errors(errors):  # a weight not read is no total to check
        errors.update(rules.check_set(pass_mark=cs.pass_mark, weights=[c.weight for c in cleaned]))
    if errors:
        raise ServiceError(errors)
    cs.save(update_fields=["name", "pass_mark", "updated_at"])
    _write_criteria(cs, cleaned)
    _event(
        actor,
        "criteria_set_update",
        cs,
        unit=cs.province,
        summary=_("Sửa bộ tiêu chí %(c)s") % {"c": cs.code},
        changes=audit_changes(cs, before),
        payload={"set": cs.pk, "criteria": len(cleaned)},
    )
    return cs


# --- cycles --------------------------------------------------------------------------------------------------


@transaction.atomic
def cycle_create(
    *,
    actor: User | None,
    province: Unit,
    name: str,
    criteria_set: CriteriaSet,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    units: list[Unit],
) -> Cycle:
    """A cycle of the province with one draft assessment (and an empty score per criterion) per unit."""
    _require_inspector(actor, province)
    errors: dict[str, list[str]] = {}
    name = _text(name, field="name", required=True, limit=300, errors=errors)
    if criteria_set.province_id not in (None, province.pk):
        errors["criteria_set"] = [_("Chọn một bộ tiêu chí của tỉnh hoặc bộ có sẵn.")]
    if starts_on is None:
        errors["starts_on"] = [_("Ghi ngày bắt đầu (dd/mm/yyyy).")]
    if ends_on is None:
        errors["ends_on"] = [_("Ghi ngày kết thúc (dd/mm/yyyy).")]
    elif starts_on and ends_on < starts_on:
        errors["ends_on"] = [_("Ngày kết thúc không được trước ngày bắt đầu.")]
    units = list({u.pk: u for u in units}.values())
    if not units:
        errors["units"] = [_("Chọn ít nhất một xã, phường.")]
    elif any(not u.path.startswith(province.path) or u.level != UnitLevel.COMMUNE for u in units):
        errors["units"] = [_("Chỉ chọn được xã, phường của tỉnh.")]
    if errors:
        raise ServiceError(errors)
    cycle = Cycle.objects.create(
        province=province, name=name, criteria_set=criteria_set, starts_on=starts_on, ends_on=ends_on
    )
    criteria = list(criteria_set.criteria.all())
    for unit in units:
        a = Assessment.objects.create(cycle=cycle, unit=unit)
        Score.objects.bulk_create(Score(assessment=a, criterion=c) for c in criteria)
    _event(
        actor,
        "cycle_create",
        cycle,
        unit=province,
        summary=_("Lập đợt đánh giá %(n)s") % {"n": name},
        changes=audit_changes(cycle, {}),
        payload={"cycle": cycle.pk, "set": criteria_set.pk, "units": [u.code for u in units]},
    )
    return cycle


# --- the assessment's runner -------------------------------------------------------------------------------


def _begin(action: str, *, actor, assessment: Assessment, expected_version: int | None = None) -> Assessment:
    """Re-read under a row lock; 404 when the actor does not reach the unit or the province; the table."""
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit", "cycle", "cycle__province", "cycle__criteria_set")
        .filter(pk=assessment.pk)
        .first()
    )
    if locked is None or (actor is not None and not user_scope(actor).reaches(locked.unit)):
        raise NotInScope(_("Không tìm thấy kết quả đánh giá hoặc bạn không có quyền xem."))
    if expected_version is not None and locked.version != expected_version:
        raise TransitionNotAllowed(
            _("Kết quả đánh giá vừa được người khác cập nhật. Vui lòng tải lại trang.")
        )
    roles = _roles(actor, locked.unit) | (_roles(actor, locked.cycle.province) & rules.INSPECTORS)
    try:
        rules.ASSESSMENT.check(action, locked.status, roles)
    except Refusal as refusal:
        if refusal.conflict:
            t = rules.ASSESSMENT.transitions.get(action)
            raise TransitionNotAllowed(
                _("Không thể “%(a)s” khi đơn vị đang ở trạng thái “%(s)s”.")
                % {"a": t.label if t else action, "s": AssessmentStatus(locked.status).label}
            ) from None
        raise PermissionDenied(str(refusal)) from None
    locked._before = audit_snapshot(locked)
    return locked


def _apply(
    a: Assessment, action: str, *, actor, fields: tuple[str, ...] = (), note: str = "", data=None
) -> Assessment:
    before = a.status
    t = rules.ASSESSMENT[action]
    a.status = t.target_from(before)
    a.version += 1
    a.save(update_fields=sorted({"status", "version", "updated_at", *fields}))
    AssessmentEvent.objects.create(
        assessment=a,
        at=timezone.now(),
        action=action,
        from_status=before,
        to_status=a.status,
        actor=_user(actor),
        note=note[:2000],
    )
    _event(
        actor,
        f"assessment_{action}",
        a,
        unit=a.unit,
        summary=f"{t.label}: {a.unit.full_name} — {a.cycle.name}",
        changes=audit_changes(a, a._before),
        payload={
            "assessment": a.pk,
            "cycle": a.cycle_id,
            "unit": a.unit.code,
            "from": before,
            "to": a.status,
            **(data or {}),
        },
    )
    return a


def _scores(a: Assessment) -> list[Score]:
    return list(a.scores.select_related("criterion").order_by("criterion__position"))


@transaction.atomic
def assessment_start(*, actor, assessment: Assessment) -> Assessment:
    a = _begin("start", actor=actor, assessment=assessment)
    return _apply(a, "start", actor=actor)


def _read_scores(scores: list[Score], values: dict, *, prefix: str, errors: dict, self_side: bool) -> None:
    for s in scores:
        if self_side and s.criterion.kind == CriterionKind.AUTOMATIC:
            pass  # computed from the data at submit; the comment is kept
        elif f"{prefix}{s.criterion_id}" in values:
            value, message = rules.parse_score(values[f"{prefix}{s.criterion_id}"], weight=s.criterion.weight)
            if message:
                errors[f"score_{s.criterion_id}"] = [message]
            elif self_side:
                s.self_score = value
            else:
                s.inspection_score = value
        comment = values.get(f"comment_{s.criterion_id}")
        if comment is not None:
            text = nfc_text(comment)
            if len(text) > 3000:
                errors[f"comment_{s.criterion_id}"] = [_("Tối đa %(n)s ký tự.") % {"n": 3000}]
            elif self_side:
                s.self_comment = text
            else:
                s.inspection_comment = text


@transaction.atomic
def assessment_self_score(*, actor, assessment: Assessment, values: dict) -> Assessment:
    """The unit's scores and comments (`score_<criterion id>`, `comment_<criterion id>`), all checked first."""
    a = _begin("self_score", actor=actor, assessment=assessment)
    scores = _scores(a)
    errors: dict[str, list[str]] = {}
    _read_scores(scores, values, prefix="score_", errors=errors, self_side=True)
    if errors:
        raise ServiceError(errors)
    Score.objects.bulk_update(scores, ["self_score", "self_comment"])
    a.self_total = rules.total(s.self_score for s in scores)
    return _apply(a, "self_score", actor=actor, fields=("self_total",))


def evidence_add(*, actor, assessment: Assessment, criterion_id: int, file) -> Evidence:
    """A file (PDF, JPEG, PNG; the dossiers' size limit) attached to the unit's score of one criterion."""
    with transaction.atomic():
        a = _begin("self_score", actor=actor, assessment=assessment)
        score = a.scores.filter(criterion_id=criterion_id).first()
        if score is None:
            raise ServiceError({"file": [_("Không tìm thấy tiêu chí này trong bộ tiêu chí của đợt.")]})
        if score.evidence.count() >= MAX_EVIDENCE:
            raise ServiceError(
                {"file": [_("Mỗi tiêu chí có tối đa %(n)s tệp minh chứng.") % {"n": MAX_EVIDENCE}]}
            )
        try:
            content_type = check_upload(file, label=getattr(file, "name", ""))
        except ValidationError as bad:
            raise ServiceError({"file": bad.messages}) from None
        ev = Evidence.objects.create(
            score=score,
            file=file,
            name=nfc(getattr(file, "name", "") or "minh-chung")[-200:],
            content_type=content_type,
            size=file.size,
            uploaded_at=timezone.now(),
            uploaded_by=_user(actor),
        )
        _apply(
            a,
            "self_score",
            actor=actor,
            note=_("Thêm minh chứng %(n)s") % {"n": ev.name},
            data={"evidence": ev.pk, "criterion": criterion_id},
        )
    return ev


@transaction.atomic
def assessment_submit(*, actor, assessment: Assessment, today: dt.date | None = None) -> Assessment:
    """The leader sends the self-assessment: the automatic criteria are computed from the data of the cycle's
    period and the total kept. Every self-assessed criterion needs a score."""
    a = _begin("submit", actor=actor, assessment=assessment)
    scores = _scores(a)
    missing = [
        s.criterion.code for s in scores if s.criterion.kind == CriterionKind.SELF and s.self_score is None
    ]
    if missing:
        raise ServiceError(
            {"__all__": [_("Còn tiêu chí chưa chấm điểm: %(c)s.") % {"c": ", ".join(missing)}]}
        )
    end = min(a.cycle.ends_on, today or timezone.localdate())
    for s in scores:
        if s.criterion.kind == CriterionKind.AUTOMATIC:
            s.auto_value = formulas.evaluate(
                s.criterion.formula,
                unit=a.unit,
                start=a.cycle.starts_on,
                end=end,
                user=actor or _any_reader(a),
            )
            s.self_score = rules.points_from_rate(s.auto_value, weight=s.criterion.weight)
    Score.objects.bulk_update(scores, ["self_score", "auto_value"])
    a.self_total = rules.total(s.self_score for s in scores)
    return _apply(a, "submit", actor=actor, fields=("self_total",))


def _any_reader(a: Assessment):
    """Whose eyes the system (no actor: the demo loader, a command) reads the dossiers' rate with: a member of
    staff the unit's roles reach (that selector reads as a user); None leaves the rate without data."""
    return staff_reaching(unit=a.unit, roles=Role.values).first()


@transaction.atomic
def assessment_return(*, actor, assessment: Assessment, note: str) -> Assessment:
    a = _begin("return", actor=actor, assessment=assessment)
    note = nfc_text(note)
    if not note:
        raise ServiceError({"note": [_("Ghi rõ nội dung đơn vị cần bổ sung, chỉnh sửa.")]})
    a.inspection_note = note[:4000]
    return _apply(a, "return", actor=actor, fields=("inspection_note",), note=note)


@transaction.atomic
def assessment_inspect(
    *, actor, assessment: Assessment, values: dict, inspected_on: dt.date | None, note: str = ""
) -> Assessment:
    """The inspection team's visit: a score per criterion (`score_<id>`, the unit's when left empty), comments,
    the day of the visit and the team's conclusion."""
    a = _begin("inspect", actor=actor, assessment=assessment)
    scores = _scores(a)
    errors: dict[str, list[str]] = {}
    _read_scores(scores, values, prefix="score_", errors=errors, self_side=False)
    if inspected_on is None:
        errors["inspected_on"] = [_("Ghi ngày kiểm tra (dd/mm/yyyy).")]
    elif inspected_on > timezone.localdate():
        errors["inspected_on"] = [_("Ngày kiểm tra không được sau hôm nay.")]
    if errors:
        raise ServiceError(errors)
    for s in scores:
        if s.inspection_score is None:
            s.inspection_score = s.self_score
    Score.objects.bulk_update(scores, ["inspection_score", "inspection_comment"])
    a.inspection_total = rules.total(s.inspection_score for s in scores)
    a.inspected_on = inspected_on
    a.inspection_note = nfc_text(note)[:4000]
    return _apply(
        a,
        "inspect",
        actor=actor,
        fields=("inspection_total", "inspected_on", "inspection_note"),
        data={"total": str(a.inspection_total)},
    )


@transaction.atomic
def assessment_recognise(
    *, actor, assessment: Assessment, decision_number: str, decision_date: dt.date | None
) -> Assessment:
    """ "Đạt mô hình": the inspection total reaches the pass mark, with the decision's number and date."""
    a = _begin("recognise", actor=actor, assessment=assessment)
    errors: dict[str, list[str]] = {}
    number = _text(
        decision_number,
        field="decision_number",
        required=True,
        limit=60,
        errors=errors,
        message=_("Ghi số quyết định công nhận, ví dụ 123/QĐ-UBND."),
    )
    if decision_date is None:
        errors["decision_date"] = [_("Ghi ngày ký quyết định (dd/mm/yyyy).")]
    elif a.inspected_on and decision_date < a.inspected_on:
        errors["decision_date"] = [_("Ngày quyết định không được trước ngày kiểm tra.")]
    if not rules.passes(a.inspection_total, a.cycle.criteria_set.pass_mark):
        errors["__all__"] = [
            _("Điểm kiểm tra %(t)s chưa đạt điểm chuẩn %(p)s nên không công nhận được.")
            % {
                "t": rules.fmt_points(a.inspection_total),
                "p": rules.fmt_points(a.cycle.criteria_set.pass_mark),
            }
        ]
    if errors:
        raise ServiceError(errors)
    a.decision_number, a.decision_date = number, decision_date
    return _apply(
        a,
        "recognise",
        actor=actor,
        fields=("decision_number", "decision_date"),
        data={"decision": number, "decision_date": decision_date.isoformat()},
    )


@transaction.atomic
def assessment_not_recognise(*, actor, assessment: Assessment, note: str) -> Assessment:
    a = _begin("not_recognise", actor=actor, assessment=assessment)
    note = nfc_text(note)
    if not note:
        raise ServiceError({"note": [_("Ghi lý do chưa công nhận.")]})
    a.inspection_note = note[:4000]
    return _apply(a, "not_recognise", actor=actor, fields=("inspection_note",), note=note)


@transaction.atomic
def reward_propose(*, actor, assessment: Assessment, form: str, reason: str) -> RewardProposal:
    a = _begin("propose_reward", actor=actor, assessment=assessment)
    errors: dict[str, list[str]] = {}
    form = _text(
        form,
        field="form",
        required=True,
        limit=200,
        errors=errors,
        message=_("Ghi hình thức khen thưởng, ví dụ Bằng khen của Chủ tịch UBND tỉnh."),
    )
    reason = _text(
        reason,
        field="reason",
        required=True,
        limit=4000,
        errors=errors,
        message=_("Ghi lý do đề nghị khen thưởng."),
    )
    if errors:
        raise ServiceError(errors)
    proposal = RewardProposal.objects.create(assessment=a, form=form, reason=reason, proposed_by=_user(actor))
    _apply(a, "propose_reward", actor=actor, note=form, data={"reward": proposal.pk})
    return proposal


# --- reviews, pilots, targets, outreach --------------------------------------------------------------------


@transaction.atomic
def review_record(
    *, actor, cycle: Cycle, kind: str, held_on: dt.date | None, summary: str, lessons: str = ""
) -> Review:
    _require_inspector(actor, cycle.province)
    errors: dict[str, list[str]] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = [_("Chọn sơ kết hoặc tổng kết.")]
    if held_on is None:
        errors["held_on"] = [_("Ghi ngày sơ kết, tổng kết (dd/mm/yyyy).")]
    summary = _text(
        summary,
        field="summary",
        required=True,
        limit=8000,
        errors=errors,
        message=_("Ghi nội dung đánh giá."),
    )
    lessons = _text(lessons, field="lessons", required=False, limit=8000, errors=errors)
    if kind == ReviewKind.FINAL and cycle.reviews.filter(kind=ReviewKind.FINAL).exists():
        errors["kind"] = [_("Đợt đánh giá đã có báo cáo tổng kết.")]
    if errors:
        raise ServiceError(errors)
    review = Review.objects.create(
        cycle=cycle, kind=kind, held_on=held_on, summary=summary, lessons=lessons, created_by=_user(actor)
    )
    _event(
        actor,
        "review_record",
        review,
        unit=cycle.province,
        summary=_("%(k)s đợt %(n)s") % {"k": review.get_kind_display(), "n": cycle.name},
        payload={"review": review.pk, "cycle": cycle.pk, "kind": kind},
    )
    return review


@transaction.atomic
def pilot_add(*, actor, province: Unit, unit: Unit, chosen_on: dt.date | None, note: str = "") -> PilotUnit:
    _require_inspector(actor, province)
    errors: dict[str, list[str]] = {}
    if not unit.path.startswith(province.path) or unit.level != UnitLevel.COMMUNE:
        errors["unit"] = [_("Chỉ chọn được xã, phường của tỉnh.")]
    elif PilotUnit.objects.filter(province=province, unit=unit).exists():
        errors["unit"] = [_("Đơn vị này đã là đơn vị thí điểm.")]
    if chosen_on is None:
        errors["chosen_on"] = [_("Ghi ngày chọn thí điểm (dd/mm/yyyy).")]
    note = _text(note, field="note", required=False, limit=300, errors=errors)
    if errors:
        raise ServiceError(errors)
    pilot = PilotUnit.objects.create(province=province, unit=unit, chosen_on=chosen_on, note=note)
    _event(
        actor,
        "pilot_add",
        pilot,
        unit=province,
        summary=_("Chọn thí điểm %(u)s") % {"u": unit.full_name},
        payload={"pilot": pilot.pk, "unit": unit.code},
    )
    return pilot


@transaction.atomic
def target_save(
    *, actor, province: Unit, name: str, due_on: dt.date | None, percent=None, count=None
) -> RolloutTarget:
    """A roll-out target: `count` communes, or `percent` of the province's communes, recognised by `due_on`."""
    _require_inspector(actor, province)
    errors: dict[str, list[str]] = {}
    name = _text(name, field="name", required=True, limit=300, errors=errors)
    if due_on is None:
        errors["due_on"] = [_("Ghi thời hạn (dd/mm/yyyy).")]

    def number(raw, field, top):
        if raw in (None, ""):
            return None
        try:
            n = int(str(raw).strip().rstrip("%"))
        except ValueError:
            n = -1
        if not 1 <= n <= top:
            errors[field] = [_("Ghi một số nguyên từ 1 đến %(n)s.") % {"n": top}]
        return n

    percent, count = number(percent, "percent", 100), number(count, "count", 100000)
    if (percent is None) == (count is None) and not ({"percent", "count"} & errors.keys()):
        errors["percent"] = [_("Ghi tỷ lệ (%) hoặc số xã, phường — một trong hai.")]
    if errors:
        raise ServiceError(errors)
    target = RolloutTarget.objects.create(
        province=province, name=name, due_on=due_on, percent=percent, count=count
    )
    _event(
        actor,
        "target_save",
        target,
        unit=province,
        summary=_("Chỉ tiêu %(n)s") % {"n": name},
        changes=audit_changes(target, {}),
        payload={"target": target.pk},
    )
    return target


@transaction.atomic
def outreach_record(
    *, actor, unit: Unit, held_on: dt.date | None, place: str, topic: str, attendees
) -> OutreachSession:
    """An outreach session (buổi tuyên truyền) of a unit: its staff or the province's team record it."""
    if not (_roles(actor, unit) & (rules.UNIT_WRITERS | rules.INSPECTORS)):
        raise PermissionDenied(_("Bạn không ghi được buổi tuyên truyền của đơn vị này."))
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("Ghi ngày tổ chức (dd/mm/yyyy).")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("Ngày tổ chức không được sau hôm nay.")]
    place = _text(place, field="place", required=True, limit=300, errors=errors, message=_("Ghi địa điểm."))
    topic = _text(topic, field="topic", required=True, limit=300, errors=errors, message=_("Ghi chủ đề."))
    try:
        n = int(str(attendees).strip())
    except ValueError:
        n = -1
    if not 0 <= n <= 100000:
        errors["attendees"] = [_("Số người tham dự là số nguyên từ 0 đến 100000.")]
    if errors:
        raise ServiceError(errors)
    session = OutreachSession.objects.create(
        unit=unit, held_on=held_on, place=place, topic=topic, attendees=n
    )
    _event(
        actor,
        "outreach_record",
        session,
        unit=unit,
        summary=_("Tuyên truyền: %(t)s") % {"t": topic},
        payload={"session": session.pk, "attendees": n},
    )
    return session
