"""Demo citizen reception, made through the reception services: sessions in every state (draft, published,
postponed with its new date, held, cancelled), a register with visits answered on time and late, open and
overdue, a refusal with its Mẫu 01/TCD notice, a group visit with its representatives, documents received against
Mẫu 02/TCD, a visit made a feedback item and one made a case, and a leader's conclusion with its tasks."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cqtt.accounts.models import Role, User
from cqtt.accounts.permissions import user_roles_in
from cqtt.reception import services
from cqtt.reception.models import Session
from cqtt.units.models import Unit
from cqtt.workdays.selectors import calendar_for

PLACE = "Phòng tiếp công dân, trụ sở UBND"


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=timezone.get_current_timezone())


def _person(i: int, **over) -> services.VisitData:
    names = ["Phạm Văn Bình", "Trần Thị Lan", "Lê Hoàng Nam", "Nguyễn Thị Mai", "Võ Văn Tâm", "Đỗ Thị Hoa"]
    data = {
        "person_name": names[i % len(names)],
        "address": f"{10 + i} Đường Bạch Đằng, khu phố {1 + i % 4}",
        "id_number": f"07908{5 + i % 4}00{1000 + i:04d}",
        "phone": f"09123{i:05d}",
        "content": "Đề nghị sửa đường hẻm bị ngập mỗi khi mưa lớn.",
        "kind": "petition",
    }
    data.update(over)
    return services.VisitData(**data)


@transaction.atomic
def load_demo_reception(*, units: list[Unit], now: dt.datetime | None = None) -> bool:
    """Create the demo reception data once; True when something was created."""
    if not units or Session.objects.filter(unit__in=units).exists():
        return False
    home = units[0]
    leader = User.objects.filter(username="lanhdao").first()
    counter = User.objects.filter(username="motcua").first()
    if leader is None or counter is None or Role.LEADER not in user_roles_in(leader, home):
        return False
    if Role.COUNTER_OFFICER not in user_roles_in(counter, home):
        return False
    now = now or timezone.now()
    cal = calendar_for(home.province_code)
    today = timezone.localtime(now).date()

    def working_ago(n: int) -> dt.date:
        return cal.add_working_days(today, -n)

    # the schedule: a session held 20 working days ago, a published one, a postponed one, a draft, a cancelled one
    held_day = working_ago(20)
    held = services.session_create(
        actor=counter,
        unit=home,
        leader=leader,
        starts_at=_at(held_day, 8),
        place=PLACE,
        content="Chủ tịch UBND tiếp công dân định kỳ: đất đai, xây dựng, trật tự đô thị",
        participants="Văn phòng HĐND và UBND, Phòng Kinh tế, công chức địa chính",
        publish=True,
        at=_at(cal.add_working_days(held_day, -10), 8),
    )
    services.session_hold(actor=leader, session=held, at=_at(held_day, 11))
    services.session_create(
        actor=counter,
        unit=home,
        leader=leader,
        starts_at=_at(cal.add_working_days(today, 8), 8),
        place=PLACE,
        content="Tiếp công dân định kỳ tháng này",
        publish=True,
        at=now,
    )
    postponed = services.session_create(
        actor=counter,
        unit=home,
        leader=leader,
        starts_at=_at(cal.add_working_days(today, 6), 14),
        place=PLACE,
        content="Tiếp công dân về bồi thường, giải phóng mặt bằng dự án đường Yersin",
        online=True,
        publish=True,
        at=now - dt.timedelta(days=1),
    )
    services.session_postpone(
        actor=leader,
        session=postponed,
        new_starts_at=_at(cal.add_working_days(today, 12), 14),
        reason="Chủ tịch dự họp đột xuất của Thành phố",
        at=now,
    )
    services.session_create(
        actor=counter,
        unit=home,
        leader=leader,
        starts_at=_at(cal.add_working_days(today, 20), 8),
        place=PLACE,
        content="Dự kiến: tiếp công dân về cấp giấy chứng nhận quyền sử dụng đất",
        at=now,
    )
    cancelled = services.session_create(
        actor=counter,
        unit=home,
        leader=leader,
        starts_at=_at(cal.add_working_days(today, 10), 8),
        place=PLACE,
        at=now,
    )
    services.session_cancel(actor=leader, session=cancelled, reason="Trùng lịch tiếp của Thành phố", at=now)

    # the register: visits at the held session, answered on time and late
    def record(i, day, **kw):
        session = kw.pop("session", None)
        ground = kw.pop("refusal_ground", "")
        return services.visit_record(
            actor=counter,
            unit=home,
            data=_person(i, **kw),
            session=session,
            refusal_ground=ground,
            at=min(_at(day, 9 + i % 3), now),
        )

    on_time = record(0, held_day, session=held)
    services.visit_answer(
        actor=counter,
        visit=on_time,
        kind="accepted",
        answer="UBND phường thụ lý, giao Phòng Kinh tế kiểm tra hiện trường.",
        at=_at(cal.add_working_days(held_day, 3), 15),
    )
    late = record(1, held_day, session=held, kind="report", content="Quán karaoke hát khuya gây ồn.")
    services.visit_answer(
        actor=counter,
        visit=late,
        kind="forwarded",
        answer="Đã chuyển Công an phường xử lý theo thẩm quyền.",
        at=_at(cal.add_working_days(held_day, 12), 10),
    )
    group = record(
        2,
        held_day,
        session=held,
        people=14,
        is_group=True,
        representatives="Ông Trần Văn Cường; Bà Lê Thị Dung",
        content="Các hộ khu phố 3 đề nghị làm rõ ranh giới giải tỏa đường Yersin.",
    )
    services.visit_receive_documents(
        actor=counter,
        visit=group,
        documents=[
            services.DocumentData("Đơn kiến nghị có chữ ký của 14 hộ", 3, "Bản chính"),
            services.DocumentData("Sơ đồ thửa đất", 1, "Bản sao"),
        ],
        at=_at(held_day, 10),
    )
    services.visit_to_case(actor=counter, visit=group, at=_at(held_day, 10))
    conclusion = services.conclusion_issue(
        actor=leader,
        session=held,
        text="Giao các đơn vị kiểm tra, trả lời công dân theo đúng thời hạn; báo cáo kết quả về Văn phòng.",
        tasks=[
            services.TaskData("Kiểm tra hiện trường hẻm ngập, đề xuất nạo vét cống", "Phòng Kinh tế", 5),
            services.TaskData("Rà soát ranh giới giải tỏa, làm việc với các hộ", "Công chức địa chính", 10),
        ],
        number="15/TB-UBND",
        at=_at(held_day, 16),
    )
    first = conclusion.tasks.order_by("pk").first()
    services.task_complete(
        actor=counter,
        task=first,
        result="Đã nạo vét cống hẻm 12",
        at=_at(cal.add_working_days(held_day, 4), 10),
    )

    # regular reception at the desk: open and overdue, open in time, a refusal with its notice, a feedback item
    record(3, working_ago(14), kind="complaint", content="Khiếu nại việc chậm cấp giấy phép xây dựng.")
    refused = record(
        4, working_ago(6), refusal_ground="persistent", content="Tiếp tục khiếu nại vụ đất đã giải quyết."
    )
    services.visit_refusal_notice(actor=counter, visit=refused, at=_at(working_ago(4), 10))
    record(5, working_ago(2), refusal_ground="threatening", content="Có lời lẽ đe dọa cán bộ tiếp dân.")
    petition = record(0, working_ago(1), content="Đề nghị lắp thêm đèn đường hẻm 27 Bạch Đằng.")
    services.visit_to_feedback(actor=counter, visit=petition, at=_at(working_ago(1), 11))
    record(
        1,
        today if cal.is_working_day(today) else working_ago(1),
        kind="report",
        content="Rác tồn đọng ở chợ.",
    )
    return True
