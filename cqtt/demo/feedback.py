"""Demo feedback: items in every state and channel for the demo units, made through the feedback services (a
paper box with an opening, a mailbox, hotline calls, Zalo and Facebook messages, a commendation with its
thank-you letter, a complaint moved to its track, a duplicate, an anonymous report, a transfer)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.feedback import services
from cqtt.feedback.models import Channel, FeedbackItem, FeedbackSettings
from cqtt.feedback.services import SenderData
from cqtt.units.models import Unit

TEXTS = [
    ("report", "Đèn đường trên đường Yersin đoạn trước chợ bị hỏng gần hai tuần, buổi tối rất nguy hiểm."),
    ("recommendation", "Đề nghị phường bố trí thêm giờ tiếp nhận hồ sơ vào sáng thứ bảy cho người đi làm."),
    ("suggestion", "Nên có bảng hướng dẫn bằng hình ảnh ở sảnh Trung tâm phục vụ hành chính công."),
    ("official_conduct", "Cán bộ yêu cầu tôi nộp thêm bản sao sổ hộ khẩu dù thủ tục không đòi giấy này."),
    (
        "regulation",
        "Quy định phải xin xác nhận của tổ dân phố trước khi làm thủ tục là thừa, gây mất thời gian.",
    ),
    ("report", "Rác thải tập kết sai nơi ở đầu hẻm 27 Bạch Đằng, bốc mùi nhiều ngày."),
    ("suggestion", "Trang tra cứu hồ sơ nên cho xem bằng mã QR trên giấy hẹn."),
    ("report", "Cống thoát nước khu phố 3 bị tắc, mưa xuống là ngập cả đường."),
]
NAMES = ["Phạm Văn Bình", "Trần Thị Lan", "Lê Hoàng Nam", "Nguyễn Thị Mai", "Võ Văn Tâm", "Đỗ Thị Hoa"]


def _submit(unit, i, *, channel=Channel.WEB, kind=None, text=None, anonymous=False, at, **kw):
    k, t = TEXTS[i % len(TEXTS)]
    sender = (
        SenderData()
        if anonymous
        else SenderData(
            name=NAMES[i % len(NAMES)],
            phone=f"09{unit.code[-4:]}{i:04d}"[:10],
            email=f"nguoidan{i}@example.vn",
        )
    )
    if channel in (Channel.ZALO, Channel.FACEBOOK):
        sender = SenderData(external_id=f"demo-{channel}-{i}")
        kw.setdefault("external_id", f"demo-{unit.code}-{channel}-{i}")
    return services.feedback_submit(
        unit=unit,
        kind=kind or k,
        content=text or t,
        channel=channel,
        sender=sender,
        publish_consent=i % 2 == 0,
        at=at,
        **kw,
    )


@transaction.atomic
def load_demo_feedback(*, units: list[Unit], now: dt.datetime | None = None) -> int:
    if not units or FeedbackItem.objects.filter(unit__in=units).exists():
        return 0
    now = now or timezone.now()
    leader = User.objects.filter(username="lanhdao").first()
    counter = User.objects.filter(username="motcua").first()
    specialist = User.objects.filter(username="chuyenvien").first()
    home = units[0]
    week_ago = now - dt.timedelta(days=7)
    made = 0
    if leader and counter and specialist:
        FeedbackSettings.objects.get_or_create(
            unit=home, defaults={"zalo_oa_id": "demo-oa", "facebook_page_id": "demo-page"}
        )
        # received, on every channel
        for i, channel in enumerate([Channel.WEB, Channel.EMAIL, Channel.ZALO, Channel.FACEBOOK]):
            _submit(
                home,
                i,
                channel=channel,
                at=now - dt.timedelta(hours=i + 1),
                external_id=f"demo-{channel}-{i}",
            )
        _submit(home, 5, anonymous=True, at=now - dt.timedelta(hours=3))
        hotline = _submit(home, 7, channel=Channel.HOTLINE, actor=counter, at=week_ago)
        duplicate = _submit(home, 7, channel=Channel.WEB, at=week_ago + dt.timedelta(hours=2))
        # a paper box opened with two letters typed in
        box = services.box_save(
            actor=leader,
            unit=home,
            name="Hòm thư sảnh Trung tâm",
            place="Sảnh tầng 1, Trung tâm Phục vụ hành chính công",
        )
        opening = services.box_open(
            actor=counter,
            box=box,
            opened_at=week_ago,
            witnesses="Ông Nguyễn Văn An (MTTQ phường)",
            letter_count=2,
        )
        paper = [
            _submit(home, 10 + j, channel=Channel.PAPER_BOX, actor=counter, box_opening=opening, at=week_ago)
            for j in range(2)
        ]
        # in progress, supplement requested, answered, published, refused, moved, transferred, overdue
        services.feedback_assign(
            actor=leader, item=hotline, assignee=specialist, at=week_ago + dt.timedelta(hours=1)
        )
        services.feedback_request_supplement(
            actor=counter,
            item=paper[0],
            reason="Ghi rõ địa chỉ nơi xảy ra sự việc.",
            at=week_ago + dt.timedelta(hours=3),
        )
        answered = _submit(home, 1, at=week_ago, channel=Channel.EMAIL, external_id="demo-answered")
        services.feedback_answer(
            actor=specialist,
            item=answered,
            answer="Phường sẽ bố trí tiếp nhận sáng thứ bảy từ tháng sau.",
            at=week_ago + dt.timedelta(days=2),
        )
        published = _submit(home, 2, at=week_ago)
        published = services.feedback_answer(
            actor=leader,
            item=published,
            answer="Phường đã lắp bảng hướng dẫn ở sảnh.",
            publish=True,
            at=week_ago + dt.timedelta(days=3),
        )
        services.feedback_react(item=published, voter="demo-1", value=1, at=now)
        services.feedback_react(item=published, voter="demo-2", value=-1, at=now)
        refused = _submit(
            home, 9, text="Quảng cáo dịch vụ vay tiền nhanh, lãi suất thấp, gọi ngay.", at=week_ago
        )
        services.feedback_refuse(
            actor=counter,
            item=refused,
            reason="Nội dung quảng cáo, không phải phản ánh.",
            at=week_ago + dt.timedelta(hours=5),
        )
        complaint = _submit(
            home,
            11,
            text="Tôi khiếu nại quyết định xử phạt hành chính số 15/QĐ-XPHC của phường.",
            at=week_ago,
        )
        services.feedback_move_to_complaints(
            actor=counter, item=complaint, track="complaint", at=week_ago + dt.timedelta(hours=6)
        )
        if len(units) > 1:
            moved = _submit(
                home, 12, text="Đường liên xã qua phường Thuận An hư hỏng nặng, đề nghị sửa.", at=week_ago
            )
            services.feedback_transfer(
                actor=leader,
                item=moved,
                unit_code=units[1].code,
                reason="Thuộc địa bàn phường Thuận An",
                at=week_ago + dt.timedelta(hours=4),
            )
        old = now - dt.timedelta(days=30)
        _submit(
            home, 13, text="Vỉa hè đường Cách Mạng Tháng Tám bị lấn chiếm để bán hàng.", at=old
        )  # overdue
        praise = _submit(
            home,
            14,
            kind="commendation",
            text="Chị Hà ở quầy một cửa hướng dẫn rất tận tình, chu đáo.",
            at=week_ago,
        )
        services.feedback_link_official(actor=counter, item=praise, official=counter, at=week_ago)
        services.feedback_draft_thanks(actor=counter, item=praise, at=week_ago)
        services.feedback_answer(
            actor=leader,
            item=praise,
            answer="Cảm ơn ông/bà đã ghi nhận, phường đã biểu dương cán bộ.",
            at=week_ago + dt.timedelta(days=1),
        )
        reopened = _submit(
            home, 15, text="Cống trước nhà số 40 vẫn chưa được nạo vét như đã hứa.", at=week_ago
        )
        services.feedback_answer(
            actor=specialist, item=reopened, answer="Đã nạo vét.", at=week_ago + dt.timedelta(days=1)
        )
        services.feedback_reopen(
            actor=leader,
            item=reopened,
            reason="Người dân báo cống vẫn tắc.",
            at=week_ago + dt.timedelta(days=2),
        )
        del duplicate
    for j, unit in enumerate(units[1:], start=20):
        _submit(unit, j, at=now - dt.timedelta(days=j % 5))
    made = FeedbackItem.objects.filter(unit__in=units).count()
    return made
