"""Demo dialogues: for the first demo commune, one dialogue in every state (planned, announced, held, minutes
published, cancelled), questions from the public form, from the feedback inbox and from the floor (accepted,
merged, rejected with a reason, answered), and commitments open, done on time, done late, overdue and dropped with
a reason — all made through the dialogues services."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.dialogues import selectors, services
from cqtt.dialogues.models import Dialogue
from cqtt.feedback.models import FeedbackItem
from cqtt.units.models import Unit

FRONT = "Ủy ban Mặt trận Tổ quốc Việt Nam phường"
QUESTIONS = [
    "Khi nào phường dẹp chợ tạm lấn chiếm lòng đường Yersin vào buổi sáng?",
    "Bao giờ chợ tạm trên đường Yersin được sắp xếp lại để xe qua được?",
    "Đề nghị lắp thêm đèn chiếu sáng trong hẻm 27 Bạch Đằng.",
    "Bán hàng online giá rẻ, liên hệ trang của tôi.",
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _plan(unit, leader, *, kind, topic, starts, co_organiser=FRONT, chair="Chủ tịch UBND phường"):
    return services.dialogue_plan(
        actor=leader,
        unit=unit,
        kind=kind,
        topic=topic,
        starts_at=starts,
        place="Hội trường UBND phường",
        chair=chair,
        co_organiser=co_organiser,
        at=starts - dt.timedelta(days=30),
    )


@transaction.atomic
def load_demo_dialogues(*, units: list[Unit], now: dt.datetime | None = None) -> bool:
    """Create the demo dialogues data once; True when something was created."""
    if not units or Dialogue.objects.filter(unit__in=units).exists():
        return False
    leader = User.objects.filter(username="lanhdao").first()
    specialist = User.objects.filter(username="chuyenvien").first()
    if leader is None or specialist is None:
        return False
    unit = units[0]
    owners = list(selectors.owners_for(unit=unit)[:3]) or [specialist]
    now = now or timezone.now()
    today = timezone.localtime(now).date()

    # the annual dialogue with the Fatherland Front, two months ago: minutes published, every kind of commitment
    annual = _plan(
        unit,
        leader,
        kind="annual_front",
        topic="Trật tự đô thị, chợ tạm và chiếu sáng khu dân cư",
        starts=_at(today - dt.timedelta(days=60), 8),
    )
    annual = services.dialogue_announce(
        actor=leader, dialogue=annual, at=annual.starts_at - dt.timedelta(days=14)
    )
    ask_at = annual.starts_at - dt.timedelta(days=5)
    asked = [services.question_ask(dialogue=annual, text=text, at=ask_at) for text in QUESTIONS]
    first, repeat, light, spam = asked
    services.question_accept(actor=specialist, question=first, at=ask_at)
    services.question_merge(actor=specialist, question=repeat, into=first, at=ask_at)
    services.question_accept(actor=specialist, question=light, at=ask_at)
    services.question_reject(actor=specialist, question=spam, reason="Quảng cáo, không liên quan", at=ask_at)
    item = FeedbackItem.objects.filter(unit=unit).order_by("received_at").first()
    pulled = None
    if item is not None:
        pulled = services.question_from_feedback(
            actor=specialist, dialogue=annual, feedback_code=item.code, at=ask_at
        )
        services.question_accept(actor=specialist, question=pulled, at=ask_at)
    after = annual.starts_at + dt.timedelta(hours=3)
    annual = services.dialogue_hold(actor=leader, dialogue=annual, attendees=146, at=after)
    floor = services.question_ask(
        dialogue=annual,
        text="Phường có kế hoạch làm lại vỉa hè đường Quang Trung không?",
        actor=specialist,
        at=after,
    )
    services.question_accept(
        actor=specialist, question=floor, at=after
    )  # taken in, answered in writing later
    for q, answer in (
        (first, "Phường ra quân sắp xếp lại chợ tạm, bố trí điểm bán mới ở bãi đất trống cạnh chợ."),
        (light, "Phường lắp 6 đèn chiếu sáng trong hẻm 27 bằng kinh phí sự nghiệp năm nay."),
        (pulled, "Phường giao Văn phòng trả lời trực tiếp cho người gửi và công khai trên cổng."),
    ):
        if q is not None:
            services.question_answer(
                actor=leader, question=q, answer=answer, answered_by="Chủ tịch UBND phường", at=after
            )

    def add(text, days, owner=0):
        return services.commitment_add(
            actor=leader,
            dialogue=annual,
            text=text,
            owner=owners[owner % len(owners)],
            days=days,
            question=first,
            at=after,
        )

    on_time = add("Sắp xếp lại chợ tạm đường Yersin", 10)
    services.commitment_complete(
        actor=specialist,
        commitment=on_time,
        done_on=on_time.due_date,
        evidence="Biên bản ra quân ngày dẹp chợ tạm.",
        at=now,
    )
    late = add("Lắp 6 đèn chiếu sáng hẻm 27 Bạch Đằng", 5, owner=1)
    services.commitment_complete(
        actor=specialist,
        commitment=late,
        done_on=min(late.due_date + dt.timedelta(days=6), today),
        evidence="Đèn đã lắp, nghiệm thu cùng tổ dân phố.",
        at=now,
    )
    add("Nạo vét cống thoát nước khu phố 3", 15, owner=2)  # still open after its due date: overdue
    dropped = add("Làm lại vỉa hè đường Quang Trung", 20)
    services.commitment_drop(
        actor=leader,
        commitment=dropped,
        reason="Công trình do thành phố làm chủ đầu tư, đã chuyển kiến nghị.",
        at=now,
    )
    services.dialogue_publish_minutes(
        actor=leader,
        dialogue=annual,
        attendees=146,
        summary="Có 146 người tham dự; 11 ý kiến về trật tự đô thị, chợ tạm, chiếu sáng và thoát nước; "
        "Chủ tịch UBND phường trả lời trực tiếp và giao việc cho các bộ phận.",
        at=after + dt.timedelta(days=2),
    )

    # a thematic dialogue held two days ago: minutes not yet published, a commitment still open
    thematic = _plan(
        unit,
        leader,
        kind="thematic",
        topic="Giải phóng mặt bằng mở rộng đường Bạch Đằng",
        starts=_at(today - dt.timedelta(days=2), 14),
    )
    thematic = services.dialogue_hold(
        actor=leader, dialogue=thematic, attendees=58, at=thematic.starts_at + dt.timedelta(hours=2)
    )
    services.commitment_add(
        actor=leader,
        dialogue=thematic,
        text="Gửi phương án bồi thường cho từng hộ bị ảnh hưởng",
        owner=owners[0],
        days=20,
        at=thematic.starts_at + dt.timedelta(hours=2),
    )

    # the youth dialogue, announced (open for questions), and a periodic one only planned
    youth_day = today + dt.timedelta(days=10)
    youth = _plan(
        unit,
        leader,
        kind="youth",
        topic="Việc làm và học nghề cho thanh niên",
        starts=_at(youth_day, 8),
        co_organiser="Đoàn Thanh niên phường",
    )
    youth = services.dialogue_announce(actor=leader, dialogue=youth, at=now)
    services.question_ask(
        dialogue=youth, text="Phường có lớp học nghề miễn phí cho thanh niên không?", at=now
    )
    _plan(
        unit,
        leader,
        kind="periodic",
        topic="Đối thoại quý: thủ tục hành chính",
        starts=_at(today + dt.timedelta(days=30), 8),
        co_organiser="",
    )
    cancelled = _plan(
        unit,
        leader,
        kind="thematic",
        topic="Đối thoại về giá nước sạch",
        starts=_at(today + dt.timedelta(days=5), 8),
        co_organiser="",
    )
    services.dialogue_cancel(actor=leader, dialogue=cancelled, reason="Gộp vào buổi đối thoại quý.", at=now)
    return True
