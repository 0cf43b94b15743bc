"""Demo data of the model's criteria (called by `cqtt.demo.evaluation.load_demo_evaluation`): for the first
province of the demo units, the pilot units, the roll-out targets, outreach sessions, a province version of a
built-in set, last year's cycle closed (recognised, not recognised, a reward, the final review) and this
year's cycle with a unit in every other state (draft, self-assessing, submitted, inspected) and a preliminary
review."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from cqtt.accounts.models import Role, User
from cqtt.units.models import Unit, UnitLevel

from . import criteria_services as services
from .criteria_models import CriteriaSet, Cycle

# a one-page PDF: the scanned minutes of a meeting, as evidence
EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _self_values(a, share: float) -> dict:
    values = {}
    for s in a.scores.select_related("criterion"):
        if s.criterion.kind == "self":
            values[f"score_{s.criterion_id}"] = f"{float(s.criterion.weight) * share:.1f}"
            values[f"comment_{s.criterion_id}"] = "Đã thực hiện, có biên bản và hình ảnh kèm theo."
    return values


def _to(a, state: str, *, leader, team, share: float, on: dt.date) -> None:
    """Walk the assessment `a` to `state` through the services (the unit's leader or the system for the unit)."""
    if state == "draft":
        return
    services.assessment_start(actor=leader, assessment=a)
    services.assessment_self_score(actor=leader, assessment=a, values=_self_values(a, share))
    crit = a.scores.filter(criterion__kind="self").order_by("criterion__position").first().criterion_id
    services.evidence_add(
        actor=leader,
        assessment=a,
        criterion_id=crit,
        file=SimpleUploadedFile("bien-ban-hop-dan.pdf", EVIDENCE_PDF),
    )
    if state == "self_assessing":
        return
    services.assessment_submit(actor=leader, assessment=a)
    if state == "submitted":
        return
    # the team scores every criterion at the unit's share of its weight (automatic ones too: the demo's
    # dossiers may not reach this unit)
    team_values = {
        f"score_{s.criterion_id}": f"{float(s.criterion.weight) * share:.2f}"
        for s in a.scores.select_related("criterion")
    }
    services.assessment_inspect(
        actor=team,
        assessment=a,
        values=team_values,
        inspected_on=on,
        note="Đoàn kiểm tra thực tế tại trụ sở và bộ phận một cửa.",
    )
    if state == "inspected":
        return
    if state == "recognised":
        services.assessment_recognise(
            actor=team, assessment=a, decision_number="2468/QĐ-UBND", decision_date=on + dt.timedelta(days=10)
        )
        services.reward_propose(
            actor=team,
            assessment=a,
            form="Bằng khen của Chủ tịch UBND tỉnh",
            reason="Đơn vị thí điểm đầu tiên đạt mô hình, tỷ lệ hài lòng cao.",
        )
    else:
        services.assessment_not_recognise(
            actor=team,
            assessment=a,
            note="Chưa bố trí nơi tiếp dân riêng; còn hồ sơ trễ hẹn chưa có thư xin lỗi.",
        )


@transaction.atomic
def load_demo_criteria(units: list[Unit]) -> bool:
    """Create the demo data once; True when something was created."""
    provinces = [u.parent for u in units if u.parent_id and u.parent.level == UnitLevel.PROVINCE]
    if not provinces or Cycle.objects.filter(province=provinces[0]).exists():
        return False
    province = provinces[0]
    communes = [u for u in units if u.parent_id == province.pk][:4]
    team = User.objects.filter(roles__unit=province, roles__role=Role.PROVINCIAL_SUPERVISOR).first()
    if len(communes) < 2 or team is None:
        return False
    today = timezone.localdate()
    year = today.year

    def leader_of(unit):
        return User.objects.filter(roles__unit=unit, roles__role=Role.LEADER).first()  # None: the system

    for i, unit in enumerate(communes[:2]):
        services.pilot_add(actor=team, province=province, unit=unit, chosen_on=dt.date(year - 2, 3, 1 + i))
    for name, due, percent, count in (
        ("Các đơn vị thí điểm đạt mô hình", dt.date(year - 1, 12, 31), None, 2),
        ("50 % xã, phường đạt mô hình", dt.date(2025, 12, 31), 50, None),
        ("100 % xã, phường đạt mô hình", dt.date(2030, 12, 31), 100, None),
    ):
        services.target_save(
            actor=team, province=province, name=name, due_on=due, percent=percent, count=count
        )
    for i, (topic, place, attendees) in enumerate(
        (
            ("Quy tắc ứng xử của cán bộ một cửa", "Hội trường UBND", 120),
            ("Nộp hồ sơ trực tuyến trên Cổng dịch vụ công", "Nhà văn hóa khu phố 1", 85),
            ("Thư xin lỗi, thư cảm ơn và hòm thư góp ý", "Trường tiểu học", 60),
        )
    ):
        for unit in communes[:2]:
            services.outreach_record(
                actor=team,
                unit=unit,
                held_on=min(today, dt.date(year, 2 + 2 * i, 10)),
                place=place,
                topic=topic,
                attendees=attendees,
            )

    builtin = CriteriaSet.objects.get(province__isnull=True, code="BD-TIEU-CHI", version=1)
    own = services.criteria_set_new_version(actor=team, source=builtin, province=province)

    last = services.cycle_create(
        actor=team,
        province=province,
        name=f"Thí điểm mô hình năm {year - 1}",
        criteria_set=builtin,
        starts_on=dt.date(year - 1, 1, 1),
        ends_on=dt.date(year - 1, 12, 31),
        units=communes[:2],
    )
    on = dt.date(year - 1, 11, 20)
    for a, state, share in zip(
        last.assessments.order_by("unit__path"), ("recognised", "not_recognised"), (0.95, 0.6), strict=True
    ):
        _to(a, state, leader=leader_of(a.unit), team=team, share=share, on=on)
    services.review_record(
        actor=team,
        cycle=last,
        kind="final",
        held_on=dt.date(year - 1, 12, 28),
        summary="Một đơn vị đạt mô hình, một đơn vị cần khắc phục về nơi tiếp dân và thư xin lỗi.",
        lessons="Nhân rộng cách gửi thư cảm ơn và đối thoại định kỳ ra các xã, phường còn lại.",
    )

    current = services.cycle_create(
        actor=team,
        province=province,
        name=f"Đánh giá mô hình năm {year}",
        criteria_set=own,
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
        units=communes,
    )
    states = ("self_assessing", "submitted", "inspected", "draft")
    for a, state in zip(current.assessments.order_by("unit__path"), states[: len(communes)], strict=True):
        _to(a, state, leader=leader_of(a.unit), team=team, share=0.85, on=today)
    services.review_record(
        actor=team,
        cycle=current,
        kind="preliminary",
        held_on=min(today, dt.date(year, 6, 30)),
        summary="Sơ kết 6 tháng: các đơn vị đã niêm yết bộ tiêu chí và bắt đầu tự đánh giá.",
    )
    return True
