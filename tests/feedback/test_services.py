"""The feedback inbox's services: clocks in working days, the workflow through the transitions table, an event,
an audit row and an outbox event per change, notices to the sender, duplicates, anonymous feedback."""

import pytest
from django.db.models import QuerySet

from cqtt.accounts.models import Role
from cqtt.core.errors import PermissionDenied, ServiceError, TransitionNotAllowed
from cqtt.core.models import AuditEvent, OutboxEvent
from cqtt.feedback import rules, services
from cqtt.feedback.models import (
    Channel,
    FeedbackEvent,
    FeedbackItem,
    FeedbackSettings,
    Kind,
    Reaction,
    Status,
)
from cqtt.letters.models import Letter
from cqtt.notifications.models import Message
from cqtt.workdays.models import CalendarOverride
from tests.dossiers.conftest import at

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_a_submission_gets_the_dvcqg_clocks_in_working_days(world):
    # given a Tuesday 24/11/2026 10:00
    item = submit(world)
    # then refuse within 2, supplement within 5, transfer within 5, handled within 15 working days
    assert item.status == Status.RECEIVED
    assert item.refuse_by == at(2026, 11, 26, 17, 0)
    assert item.supplement_by == at(2026, 12, 1, 17, 0)
    assert item.transfer_by == at(2026, 12, 1, 17, 0)
    assert item.due_at == at(2026, 12, 15, 17, 0)
    assert item.code.startswith("GY-") and len(item.code) == 14


def test_a_holiday_in_the_calendar_moves_the_deadline(world):
    CalendarOverride.objects.create(date=at(2026, 11, 25, 0, 0).date(), kind="holiday", name="Nghỉ bù thử")
    item = submit(world)
    assert item.refuse_by == at(2026, 11, 27, 17, 0)


def test_the_unit_sets_its_own_deadlines(world):
    services.settings_save(actor=world.leader, unit=world.a, handle_days=10)
    assert submit(world).due_at == at(2026, 12, 8, 17, 0)


def test_a_zalo_oa_or_facebook_page_id_belongs_to_one_unit(world, admin_a):
    from tests.factories import make_user

    admin_b = make_user("quantri2", unit=world.b, role=Role.UNIT_ADMIN)
    services.settings_save(
        actor=admin_a, unit=world.a, zalo_oa_id="579745863508352884", facebook_page_id="102938"
    )
    with pytest.raises(ServiceError) as taken:
        services.settings_save(
            actor=admin_b, unit=world.b, zalo_oa_id=" 579745863508352884 ", facebook_page_id="102938"
        )
    errors = taken.value.message_dict
    assert set(errors) == {"zalo_oa_id", "facebook_page_id"}
    assert "đã được một đơn vị khác khai báo" in errors["zalo_oa_id"][0]
    assert services.unit_settings(world.b).zalo_oa_id == ""
    # saving its own ids again, or clearing them, is fine; several units may leave them empty
    services.settings_save(actor=admin_a, unit=world.a, zalo_oa_id="579745863508352884", handle_days=10)
    services.settings_save(actor=admin_b, unit=world.b, zalo_oa_id="", facebook_page_id="")
    services.settings_save(actor=admin_a, unit=world.a, facebook_page_id="")
    assert FeedbackSettings.objects.filter(facebook_page_id="").count() == 2


def test_the_database_refuses_a_second_unit_with_the_same_channel_id(world):
    from django.db import IntegrityError, transaction

    FeedbackSettings.objects.create(unit=world.a, zalo_oa_id="oa-1", facebook_page_id="page-1")
    for field, value in (("zalo_oa_id", "oa-1"), ("facebook_page_id", "page-1")):
        with pytest.raises(IntegrityError), transaction.atomic():
            FeedbackSettings.objects.create(unit=world.b, **{field: value})


def test_only_the_unit_administrator_sets_the_channel_ids(world, admin_a):
    with pytest.raises(PermissionDenied):
        services.settings_save(actor=world.leader, unit=world.a, zalo_oa_id="579745863508352884")
    services.settings_save(actor=admin_a, unit=world.a, zalo_oa_id="579745863508352884")
    # the leader still sets the deadlines; the ids it sends back unchanged are no change
    services.settings_save(
        actor=world.leader, unit=world.a, handle_days=10, zalo_oa_id="579745863508352884", facebook_page_id=""
    )
    with pytest.raises(PermissionDenied):
        services.settings_save(actor=world.leader, unit=world.a, zalo_oa_id="")
    config = services.unit_settings(world.a)
    assert (config.handle_days, config.zalo_oa_id) == (10, "579745863508352884")


MAILBOX = {
    "host": "imap.example.vn",
    "username": "gopy@example.vn",
    "password_env": "FEEDBACK_IMAP_PASSWORD_25747",
}


def test_only_the_unit_administrator_declares_a_mailbox(world, admin_a):
    for who in (world.leader, world.counter_a, world.specialist):
        with pytest.raises(PermissionDenied):
            services.mailbox_save(actor=who, unit=world.a, **MAILBOX)
    box = services.mailbox_save(actor=admin_a, unit=world.a, **MAILBOX)
    assert (box.use_ssl, box.port, box.folder) == (True, 993, "INBOX")


@pytest.mark.parametrize(
    "name",
    [
        "FEEDBACK_IMAP_PASSWORD",
        "DATABASE_URL",
        "SECRET_KEY",
        "FEEDBACK_ZALO_OA_SECRET",
        "feedback_imap_password_25747",
        "FEEDBACK_IMAP_PASSWORD_A-B",
        "FEEDBACK_IMAP_PASSWORD_" + "X" * 61,
        "XFEEDBACK_IMAP_PASSWORD_A",
    ],
)
def test_a_mailbox_may_name_only_a_feedback_imap_password_variable(world, admin_a, name):
    with pytest.raises(ServiceError) as refused:
        services.mailbox_save(actor=admin_a, unit=world.a, **{**MAILBOX, "password_env": name})
    message = refused.value.message_dict["password_env"][0]
    assert "FEEDBACK_IMAP_PASSWORD_" in message and "FEEDBACK_IMAP_PASSWORD_25747" in message


def test_tls_is_required_except_on_this_machine(world, admin_a):
    with pytest.raises(ServiceError) as refused:
        services.mailbox_save(actor=admin_a, unit=world.a, **MAILBOX, use_ssl=False, port=143)
    assert "SSL/TLS" in refused.value.message_dict["use_ssl"][0]
    for n, host in enumerate(["localhost", "127.0.0.1", "::1", "LocalHost.", "[::1]"]):
        box = services.mailbox_save(
            actor=admin_a,
            unit=world.a,
            **{**MAILBOX, "host": host, "username": f"u{n}"},
            use_ssl=False,
            port=143,
        )
        assert box.use_ssl is False
    with pytest.raises(ServiceError) as refused:
        services.mailbox_save(actor=admin_a, unit=world.a, **{**MAILBOX, "host": "https://imap.example.vn/"})
    assert "host" in refused.value.message_dict


def test_host_and_folder_are_compared_as_imap_does(world, admin_a):
    box = services.mailbox_save(
        actor=admin_a, unit=world.a, **{**MAILBOX, "host": "  IMAP.Example.VN. "}, folder="inbox"
    )
    assert (box.host, box.folder) == ("imap.example.vn", "INBOX")
    for host, folder in (
        ("imap.example.vn", "Inbox"),
        ("Imap.example.vn.", "INBOX"),
        ("imap.example.vn ", "iNbOx"),
    ):
        with pytest.raises(ServiceError) as taken:
            services.mailbox_save(actor=admin_a, unit=world.a, **{**MAILBOX, "host": host}, folder=folder)
        assert "đã được khai báo" in taken.value.message_dict["username"][0]
    other = services.mailbox_save(actor=admin_a, unit=world.a, **MAILBOX, folder="Góp ý")
    assert other.folder == "Góp ý"
    # saving the same mailbox again is no clash with itself
    services.mailbox_save(actor=admin_a, unit=world.a, mailbox=box, **MAILBOX, is_active=False)


def test_every_change_leaves_an_event_an_audit_row_and_an_outbox_event(world):
    item = submit(world)
    item = services.feedback_assign(
        actor=world.leader, item=item, assignee=world.specialist, at=at(2026, 11, 24, 11)
    )
    item = services.feedback_answer(
        actor=world.specialist, item=item, answer="Đã thay bóng đèn ngày 25/11.", at=at(2026, 11, 25, 9)
    )
    actions = ["receive", "assign", "answer"]
    assert list(FeedbackEvent.objects.filter(item=item).values_list("action", flat=True)) == actions
    assert list(
        OutboxEvent.objects.filter(stream="feedback", aggregate_id=item.pk).values_list("kind", flat=True)
    ) == [f"feedback.{a}" for a in actions]
    assert AuditEvent.objects.filter(object_type="feedback.feedbackitem", object_id=str(item.pk)).count() == 3
    assert item.status == Status.ANSWERED and item.on_time is True and item.version == 3


def test_settings_boxes_mailboxes_and_reactions_leave_an_audit_row_and_an_outbox_event(world, admin_a):
    box = services.box_save(actor=world.leader, unit=world.a, name="Hòm sảnh", place="Sảnh UBND")
    config = services.settings_save(actor=world.leader, unit=world.a, handle_days=10)
    mailbox = services.mailbox_save(
        actor=admin_a,
        unit=world.a,
        host="imap.example.vn",
        username="gopy@example.vn",
        password_env="FEEDBACK_IMAP_PASSWORD_25747",
    )
    item = submit(world, publish_consent=True)
    item = services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.", publish=True)
    services.feedback_react(item=item, voter="a", value=1)
    for obj, kind, action in (
        (box, "feedback.box_save", "feedback.box.save"),
        (config, "feedback.settings_save", "feedback.settings.save"),
        (mailbox, "feedback.mailbox_save", "feedback.mailbox.save"),
        (item, "feedback.react", "feedback.react"),
    ):
        assert OutboxEvent.objects.filter(kind=kind, aggregate_id=obj.pk).count() == 1, kind
        audit = AuditEvent.objects.filter(action=action, object_id=str(obj.pk))
        assert audit.count() == 1 and audit.get().object_type == obj._meta.label_lower, action
    settings_event = OutboxEvent.objects.get(kind="feedback.settings_save")
    assert "handle_days" in settings_event.payload["changed"]


def test_the_sender_is_told_by_sms_and_email_and_the_anonymous_sender_by_nothing(world):
    item = submit(world, email="binh@example.vn")
    sent = Message.objects.filter(subject_code=item.code)
    assert {m.channel for m in sent} == {"sms", "email"}
    assert all(item.code in m.text and "https://motcua.example.vn/gop-y/tra-cuu/" in m.text for m in sent)
    anonymous = submit(world, phone="", name="", content="Rác thải tập kết sai nơi ở chợ phường nhiều ngày.")
    assert anonymous.is_anonymous
    assert not Message.objects.filter(subject_code=anonymous.code).exists()


def test_a_similar_text_from_the_same_sender_is_flagged_as_a_duplicate_not_dropped(world):
    first = submit(world)
    again = submit(
        world,
        content="Đèn đường trước nhà số 12 Bạch Đằng bị hỏng đã hai tuần rồi!!",
        when=at(2026, 11, 25, 8),
    )
    other = submit(world, content="Đề nghị bố trí thêm ghế chờ ở Trung tâm phục vụ hành chính công.")
    someone_else = submit(world, phone="0987654321")
    assert again.duplicate_of == first
    assert other.duplicate_of is None and someone_else.duplicate_of is None
    assert FeedbackItem.objects.count() == 4


def test_a_similar_text_from_the_same_sender_to_another_unit_is_not_its_duplicate(world):
    first = submit(world)
    elsewhere = submit(world, unit=world.b, when=at(2026, 11, 25, 8))
    assert elsewhere.duplicate_of is None
    # a series at ward A keeps pointing at ward A's first item, even when another unit has a later one
    again = submit(world, when=at(2026, 11, 26, 8))
    assert again.duplicate_of == first


def test_the_same_address_counts_as_the_same_anonymous_sender(world):
    first = submit(world, phone="", name="", client_address="203.0.113.9")
    again = submit(world, phone="", name="", client_address="203.0.113.9")
    assert again.duplicate_of == first


def test_a_received_time_typed_by_staff_is_neither_ahead_nor_more_than_thirty_days_back(world):
    now = at(2026, 11, 24, 10, 0)
    for when, problem in (
        (at(2026, 11, 24, 11, 0), "không được ở tương lai"),
        (at(2026, 10, 25, 9, 59), "không được trước quá 30 ngày (sớm nhất 25/10/2026 10:00)"),
        (at(2025, 11, 24, 10, 0), "không được trước quá 30 ngày"),
    ):
        with pytest.raises(ServiceError) as refused:
            submit(world, actor=world.counter_a, channel=Channel.HOTLINE, received_at=when, when=now)
        assert problem in refused.value.message_dict["received_at"][0], when
    assert not FeedbackItem.objects.exists()
    kept = submit(
        world, actor=world.counter_a, channel=Channel.HOTLINE, received_at=at(2026, 10, 26, 8), when=now
    )
    assert kept.received_at == at(2026, 10, 26, 8)
    # a typed "now" a minute ahead of the server's clock is taken as now
    soon = submit(
        world, actor=world.counter_a, channel=Channel.HOTLINE, received_at=at(2026, 11, 24, 10, 1), when=now
    )
    assert soon.received_at == now


def test_a_channels_received_time_is_kept_within_thirty_days_and_never_ahead(world):
    now = at(2026, 11, 24, 10, 0)
    old = submit(world, channel=Channel.ZALO, external_id="z-1", received_at=at(2026, 1, 1), when=now)
    ahead = submit(
        world,
        channel=Channel.ZALO,
        external_id="z-2",
        received_at=at(2027, 1, 1),
        when=now,
        phone="0987654321",
    )
    assert old.received_at == at(2026, 10, 25, 10, 0) and ahead.received_at == now


def test_bad_input_is_refused_with_vietnamese_messages(world):
    with pytest.raises(ServiceError) as refused:
        services.feedback_submit(
            unit=world.a,
            kind="complaint",
            content="ngắn",
            channel=Channel.WEB,
            sender=services.SenderData(phone="123", email="x@"),
        )
    errors = refused.value.message_dict
    assert set(errors) == {"kind", "content", "phone", "email"}
    assert "quá ngắn" in errors["content"][0]
    with pytest.raises(ServiceError) as refused:
        services.feedback_submit(
            unit=world.dept, kind="report", content="Nội dung đủ dài để gửi.", channel="web"
        )
    assert "unit_code" in refused.value.message_dict


def test_publication_needs_the_senders_consent_and_removes_personal_data(world):
    item = submit(world, publish_consent=False)
    with pytest.raises(ServiceError):
        services.feedback_answer(actor=world.leader, item=item, answer="Đã xử lý.", publish=True)
    consenting = submit(
        world,
        phone="0987654321",
        publish_consent=True,
        content="Tôi là Phạm Văn Bình, số 0987654321, email binh@example.vn: cống ở hẻm 5 bị tắc.",
    )
    done = services.feedback_answer(
        actor=world.leader, item=consenting, answer="Đã nạo vét, cảm ơn ông Phạm Văn Bình.", publish=True
    )
    assert done.status == Status.PUBLISHED
    assert "0987654321" not in done.public_content and "binh@example.vn" not in done.public_content
    assert "Phạm Văn Bình" not in done.public_content + done.public_answer
    assert "cống ở hẻm 5" in done.public_content


def _notices(item) -> list[tuple[str, str]]:
    return sorted(Message.objects.filter(subject_code=item.code).values_list("event", "channel"))


def test_answering_then_publishing_tells_the_sender_once_of_each(world):
    item = submit(world, email="binh@example.vn", publish_consent=True)
    item = services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn ngày 25/11.")
    item = services.feedback_publish(actor=world.leader, item=item)
    sent = _notices(item)
    assert sent == sorted(
        [("feedback_receive", c) for c in ("sms", "email")]
        + [("feedback_answer", c) for c in ("sms", "email")]
        + [("feedback_publish", c) for c in ("sms", "email")]
    )
    answered = Message.objects.get(subject_code=item.code, event="feedback_answer", channel="sms").text
    published = Message.objects.get(subject_code=item.code, event="feedback_publish", channel="sms").text
    assert answered != published and "công khai" in published


def test_answering_and_publishing_at_once_sends_one_answered_notice(world):
    item = submit(world, publish_consent=True)
    item = services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.", publish=True)
    assert item.status == Status.PUBLISHED
    assert _notices(item) == [("feedback_answer", "sms"), ("feedback_receive", "sms")]


def test_a_new_answer_after_reopening_is_told_again(world):
    item = submit(world)
    item = services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.")
    item = services.feedback_reopen(actor=world.leader, item=item, reason="Đèn lại hỏng")
    item = services.feedback_answer(actor=world.leader, item=item, answer="Đã thay cả bộ đèn.")
    answered = [e for e, _c in _notices(item) if e == "feedback_answer"]
    assert len(answered) == 2


def test_transfer_moves_the_item_and_restarts_the_clocks_at_the_other_unit(world):
    item = submit(world)
    moved = services.feedback_transfer(
        actor=world.leader,
        item=item,
        unit_code=world.b.code,
        reason="Thuộc địa bàn phường Thuận An",
        at=at(2026, 11, 26, 9),
    )
    assert moved.unit == world.b and moved.transferred_from == world.a and moved.status == Status.RECEIVED
    assert moved.due_at == at(2026, 12, 17, 17, 0)
    # ward A no longer sees it
    from cqtt.core.errors import NotInScope
    from cqtt.feedback.selectors import access_feedback

    with pytest.raises(NotInScope):
        access_feedback(user=world.leader, code=item.code)
    assert access_feedback(user=world.counter_b, code=item.code) == moved


def test_states_and_roles_are_checked_by_the_table(world):
    item = submit(world)
    with pytest.raises(PermissionDenied):
        services.feedback_reopen(actor=world.specialist, item=item, reason="x")
    with pytest.raises(TransitionNotAllowed):
        services.feedback_reopen(actor=world.leader, item=item, reason="Chưa thỏa đáng")
    with pytest.raises(PermissionDenied):
        services.feedback_refuse(actor=world.observer, item=item, reason="x")
    from cqtt.core.errors import NotInScope

    with pytest.raises(NotInScope):
        services.feedback_refuse(actor=world.counter_b, item=item, reason="Không thuộc thẩm quyền")


def test_refuse_then_reopen_then_answer(world):
    item = submit(world)
    item = services.feedback_refuse(
        actor=world.counter_a, item=item, reason="Nội dung không rõ", at=at(2026, 11, 25, 9)
    )
    assert item.status == Status.REFUSED and item.on_time is True
    item = services.feedback_reopen(
        actor=world.leader, item=item, reason="Người gửi đã gọi điện giải thích", at=at(2026, 11, 30, 9)
    )
    assert item.status == Status.IN_PROGRESS and item.reopen_count == 1
    assert item.due_at == at(2026, 12, 21, 17, 0)


def test_supplement_request_and_answer(world):
    item = submit(world)
    item = services.feedback_request_supplement(actor=world.counter_a, item=item, reason="Ghi rõ số nhà.")
    assert item.status == Status.SUPPLEMENT_REQUESTED
    assert Message.objects.filter(subject_code=item.code, event="feedback_request_supplement").exists()
    item = services.feedback_supplement(
        actor=world.counter_a, item=item, content="Số nhà 12A.", at=at(2026, 11, 30, 9)
    )
    assert item.status == Status.IN_PROGRESS and "Số nhà 12A." in item.content
    assert item.due_at == at(2026, 12, 21, 17, 0)
    anonymous = submit(world, phone="", name="", content="Nội dung ẩn danh đủ dài để gửi.")
    with pytest.raises(ServiceError):
        services.feedback_request_supplement(actor=world.counter_a, item=anonymous, reason="Ghi rõ.")


def test_a_complaint_is_moved_to_its_legal_track_with_a_notice(world):
    item = submit(world, content="Tôi khiếu nại quyết định xử phạt số 12/QĐ-XPVPHC của phường.")
    item = services.feedback_move_to_complaints(actor=world.counter_a, item=item, track=Kind.COMPLAINT)
    assert item.status == Status.MOVED and item.kind == Kind.COMPLAINT
    assert Message.objects.filter(subject_code=item.code, event="feedback_move_to_complaints").exists()
    assert OutboxEvent.objects.filter(kind="feedback.move_to_complaints", aggregate_id=item.pk).exists()


def test_a_commendation_goes_to_the_officials_record_and_drafts_a_thank_you_letter(world):
    from cqtt.feedback.selectors import official_counts, official_record

    item = submit(
        world, kind="commendation", content="Chị Hà ở quầy một cửa hướng dẫn rất tận tình, chu đáo."
    )
    item = services.feedback_link_official(actor=world.counter_a, item=item, official=world.counter_a)
    assert list(official_record(user=world.leader, official=world.counter_a)) == [item]
    counts = official_counts(official_ids=[world.counter_a.pk], start=at(2026, 11, 1), end=at(2026, 12, 1))
    assert counts == {world.counter_a.pk: {"commendation": 1}}
    item = services.feedback_draft_thanks(actor=world.leader, item=item)
    letter = Letter.objects.get(pk=item.thanks_letter_id)
    assert (
        letter.kind == "thanks" and letter.recipient_name == "Phạm Văn Bình" and letter.source == "feedback"
    )
    assert item.code in letter.reason
    with pytest.raises(TransitionNotAllowed):
        services.feedback_draft_thanks(actor=world.leader, item=item)


def test_an_official_from_another_unit_cannot_be_linked(world):
    item = submit(world, kind="official_conduct", content="Cán bộ yêu cầu nộp thêm giấy tờ ngoài quy định.")
    with pytest.raises(ServiceError):
        services.feedback_link_official(actor=world.counter_a, item=item, official=world.counter_b)


def test_likes_and_dislikes_count_once_per_reader(world):
    item = submit(world, publish_consent=True)
    item = services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.", publish=True)
    services.feedback_react(item=item, voter="a", value=1)
    services.feedback_react(item=item, voter="a", value=1)
    services.feedback_react(item=item, voter="b", value=-1)
    item = services.feedback_react(item=item, voter="a", value=-1)
    assert (item.likes, item.dislikes) == (0, 2)
    unpublished = submit(world, phone="0987000111")
    with pytest.raises(TransitionNotAllowed):
        services.feedback_react(item=unpublished, voter="a", value=1)


@pytest.mark.parametrize(("first", "second", "counts"), [(1, 1, (1, 0)), (1, -1, (0, 1)), (-1, 1, (1, 0))])
def test_a_first_vote_racing_the_same_readers_other_vote_changes_it_instead_of_failing(
    world, monkeypatch, first, second, counts
):
    item = submit(world, publish_consent=True)
    item = services.feedback_answer(actor=world.leader, item=item, answer="Đã thay bóng đèn.", publish=True)
    services.feedback_react(item=item, voter="a", value=first)
    # the second request read "no vote yet" just before the first one's row was committed
    real_first, missed = QuerySet.first, []

    def first(qs):
        if qs.model is Reaction and not missed:
            missed.append(qs.model)
            return None
        return real_first(qs)

    monkeypatch.setattr(QuerySet, "first", first)
    item = services.feedback_react(item=item, voter="a", value=second)
    assert missed == [Reaction]  # the insert met the unique constraint and fell back to an update
    assert (item.likes, item.dislikes) == counts
    assert list(Reaction.objects.filter(item=item).values_list("voter", "value")) == [("a", second)]


def test_a_message_id_is_imported_once(world):
    one = submit(world, channel=Channel.ZALO, external_id="zalo-msg-1", phone="")
    two = submit(world, channel=Channel.ZALO, external_id="zalo-msg-1", phone="")
    assert one.pk == two.pk and FeedbackItem.objects.count() == 1


def test_similarity_ignores_case_diacritics_and_spacing():
    assert rules.is_similar("Đèn đường HỎNG  trước nhà", "den duong hong truoc nha")
    assert not rules.is_similar("Đèn đường hỏng", "Xin cấp thêm ghế chờ ở trung tâm")


def test_redaction_keeps_short_numbers():
    text = rules.redact("Hẻm 5, nhà số 12, gọi 0912 345 678 hoặc a.b@x.vn, CCCD 079085001234", "Bình")
    assert "0912" not in text and "a.b@x.vn" not in text and "079085001234" not in text
    assert "Hẻm 5" in text and "số 12" in text
