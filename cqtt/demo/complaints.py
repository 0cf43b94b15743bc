"""Demo complaints, denunciations and petitions of the first demo ward, in every state, made through the complaints
services: received (one overdue), accepted (one in a remote area, one extended), suspended, anonymous handled as
information, concluded on time and late, refused, transferred, withdrawn, a mixed letter split in three, and a
denouncer's identity opened once by the handler (so the access log has a row)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.complaints import services
from cqtt.complaints.models import Case
from cqtt.units.models import Unit

PEOPLE = [
    {
        "full_name": "Nguyễn Văn Hùng",
        "id_number": "079080001234",
        "address": "Tổ 4, khu phố 2",
        "phone": "0903123456",
    },
    {
        "full_name": "Trần Thị Mỹ",
        "id_number": "079185004321",
        "address": "Số 8 hẻm 27 Bạch Đằng",
        "phone": "0918765432",
    },
    {"full_name": "Lê Văn Tài", "id_number": "", "address": "Khu phố 5", "phone": ""},
    {
        "full_name": "Phạm Thị Nga",
        "id_number": "079190007777",
        "address": "Số 3 đường Yersin",
        "phone": "0987001122",
    },
]
TEXTS = {
    "complaint": "Khiếu nại Quyết định số 45/QĐ-XPHC ngày 10/10/2026 xử phạt việc sửa nhà, vì công trình đã có giấy phép.",
    "denunciation": "Tố cáo cán bộ địa chính phường nhận tiền của hộ dân để xác nhận sai nguồn gốc đất ở khu phố 3.",
    "petition": "Kiến nghị phường sửa tuyến cống thoát nước đường Bạch Đằng, mưa xuống là ngập cả đoạn trước chợ.",
}


def _days_ago(now: dt.datetime, n: int) -> dt.datetime:
    return now - dt.timedelta(days=n)  # demo timestamps only; deadlines come from the services


@transaction.atomic
def load_demo_complaints(*, units: list[Unit], now: dt.datetime | None = None) -> bool:
    if not units or Case.objects.filter(unit__in=units).exists():
        return False
    leader = User.objects.filter(username="lanhdao").first()
    counter = User.objects.filter(username="motcua").first()
    specialist = User.objects.filter(username="chuyenvien").first()
    if not (leader and counter and specialist):
        return False
    now = now or timezone.now()
    home = units[0]

    def receive(kind, days, person=0, *, actor=leader, **kw):
        at = _days_ago(now, days)
        return services.case_receive(
            actor=actor,
            unit=home,
            kind=kind,
            received_on=timezone.localtime(at).date(),
            channel=kw.pop("channel", "in_person"),
            person=PEOPLE[person % len(PEOPLE)] if person is not None else {},
            content=kw.pop("content", TEXTS[kind]),
            at=at,
            **kw,
        )

    def accept(case, days):
        return services.case_accept(actor=leader, case=case, at=_days_ago(now, days))

    # received: fresh at the desk (no handler yet), and one past its acceptance deadline
    receive("complaint", 1, 0, actor=counter)
    receive("denunciation", 20, 1, channel="post")
    # accepted: a complaint in a remote area, a denunciation extended once with its decision
    accept(receive("complaint", 12, 2, remote_area=True), 10)
    extended = accept(receive("denunciation", 40, 3), 38)
    extended = services.case_extend(
        actor=leader,
        case=extended,
        reason="Phải xác minh tại hai xã lân cận và chờ trích lục hồ sơ địa chính.",
        decision_number="12/QĐ-UBND",
        at=_days_ago(now, 5),
    )
    services.case_assign(actor=leader, case=extended, assignee=specialist.username, at=_days_ago(now, 5))
    services.identity_reveal(
        actor=leader,
        case=extended,
        reason="Mời người tố cáo đến cung cấp thêm chứng cứ (biên lai nộp tiền).",
        at=_days_ago(now, 4),
    )
    # suspended
    suspended = accept(receive("denunciation", 25, 0), 24)
    services.case_suspend(
        actor=leader,
        case=suspended,
        reason="Chờ kết luận giám định chữ ký của cơ quan chuyên môn.",
        at=_days_ago(now, 10),
    )
    # anonymous: information, not a denunciation
    info = receive(
        "denunciation",
        6,
        None,
        content="Có người xây nhà trái phép trên đất công ở tổ 5, khu phố 2, vào ban đêm.",
    )
    services.case_treat_as_information(
        actor=leader,
        case=info,
        reason="Đơn giấu tên nhưng có địa điểm cụ thể: giao kiểm tra.",
        at=_days_ago(now, 5),
    )
    # concluded on time, and late
    done = accept(receive("complaint", 50, 1), 48)
    services.case_note(
        actor=specialist,
        case=done,
        action="dialogue",
        note="Đối thoại với người khiếu nại: đã đối chiếu giấy phép, hai bên thống nhất sửa phần mái che.",
        at=_days_ago(now, 40),
    )
    services.case_conclude(
        actor=leader,
        case=done,
        outcome="Giữ nguyên một phần quyết định xử phạt, hủy phần phạt về mái che.",
        decision_number="30/QĐ-UBND",
        at=_days_ago(now, 30),
    )
    late = accept(receive("petition", 70, 3), 68)
    services.case_conclude(
        actor=leader,
        case=late,
        outcome="Đã nạo vét cống và trả lời bằng văn bản.",
        at=_days_ago(now, 20),
    )
    # refused, transferred, withdrawn
    services.case_refuse(
        actor=leader,
        case=receive("complaint", 9, 2),
        reason="Quyết định bị khiếu nại đã được giải quyết lần hai và có hiệu lực pháp luật.",
        at=_days_ago(now, 7),
    )
    services.case_transfer(
        actor=leader,
        case=receive("denunciation", 8, 1),
        target_body="Thanh tra tỉnh",
        reason="Người bị tố cáo là cán bộ do tỉnh quản lý.",
        at=_days_ago(now, 6),
    )
    services.case_withdraw(
        actor=leader,
        case=accept(receive("complaint", 15, 0), 14),
        reason="Người khiếu nại nộp đơn rút ngày hôm qua, có chữ ký.",
        at=_days_ago(now, 2),
    )
    # a mixed letter, split into its three contents
    mixed = receive(
        "complaint",
        3,
        3,
        content=(
            "Khiếu nại việc phường không cấp giấy xác nhận; tố cáo cán bộ đòi tiền; kiến nghị sửa đường hẻm 27."
        ),
    )
    services.case_split(
        actor=leader,
        case=mixed,
        parts=[
            {
                "kind": "complaint",
                "content": "Khiếu nại việc phường không cấp giấy xác nhận tình trạng nhà ở.",
            },
            {"kind": "denunciation", "content": "Tố cáo cán bộ một cửa đòi tiền để làm nhanh giấy xác nhận."},
            {"kind": "petition", "content": "Kiến nghị sửa mặt đường hẻm 27 bị sụt lún."},
        ],
        at=_days_ago(now, 2),
    )
    return True
