"""The e-mail channel against a real dovecot over a socket: new mail becomes items once, by UID and Message-ID,
even when the reader is stopped mid-batch or the server renumbers the mailbox."""

import email.message
import shutil
import ssl
import tempfile
import uuid
from pathlib import Path

import pytest

from cqtt.feedback import mail, services
from cqtt.feedback.models import Channel, FeedbackItem, Mailbox
from tests.dossiers.conftest import at

from .dovecot import PASSWORD, Dovecot, dovecot_binary, free_port

pytestmark = pytest.mark.django_db
NOW = at(2026, 11, 24, 10, 0)


@pytest.fixture(scope="module")
def dovecot_server():
    if dovecot_binary() is None:
        pytest.skip(
            "dovecot-imapd is not installed and could not be (run `make dovecot`, which uses apt-get)"
        )
    # its own directory under /tmp: dovecot's unprivileged processes must reach it (pytest's tmp_path is 0700)
    root = Path(tempfile.mkdtemp(prefix="cqtt-imap-"))
    server = Dovecot(root)
    server.start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server):
    """The module's server with a fresh folder for this test (`dovecot.folder`)."""
    dovecot_server.folder = f"T{uuid.uuid4().hex[:10]}"
    dovecot_server.create(dovecot_server.folder)
    return dovecot_server


@pytest.fixture
def mailbox(world, admin_a, dovecot, monkeypatch):
    monkeypatch.setenv("FEEDBACK_IMAP_PASSWORD_TEST", PASSWORD)
    return services.mailbox_save(
        actor=admin_a,
        unit=world.a,
        host="127.0.0.1",
        port=dovecot.port,
        use_ssl=False,
        username=dovecot.user,
        folder=dovecot.folder,
        password_env="FEEDBACK_IMAP_PASSWORD_TEST",
    )


def letter(n: int, *, text: str | None = None, sender="Trần Thị Lan <lan@example.vn>", html=False) -> bytes:
    m = email.message.EmailMessage()
    m["From"] = sender
    m["To"] = "gopy@example.vn"
    m["Subject"] = f"Phản ánh số {n}"
    m["Date"] = "Mon, 23 Nov 2026 20:15:00 +0700"
    m["Message-ID"] = f"<gopy-{n}@example.vn>"
    body = text or f"Đường trước chợ phường bị ngập sau mưa, lần thứ {n}, đề nghị khơi thông cống."
    if html:
        m.set_content("")
        m.add_alternative(f"<p>{body}</p><br>", subtype="html")
    else:
        m.set_content(body)
    return bytes(m)


def test_new_mail_becomes_items_of_the_unit(dovecot, mailbox):
    dovecot.append(dovecot.folder, letter(1), when=at(2026, 11, 24, 9, 5))
    dovecot.append(
        dovecot.folder, letter(2, html=True, text="Vỉa hè đường Bạch Đằng bị lấn chiếm để bán hàng.")
    )
    assert mail.mailbox_import(mailbox, now=NOW) == 2
    items = list(FeedbackItem.objects.order_by("pk"))
    assert [x.channel for x in items] == [Channel.EMAIL, Channel.EMAIL]
    assert items[0].sender_email == "lan@example.vn" and items[0].sender_name == "Trần Thị Lan"
    assert items[0].subject == "Phản ánh số 1" and "khơi thông cống" in items[0].content
    # received when the server received it (its Date: header says 23/11 20:15: the sender's word, not taken)
    assert items[0].received_at == at(2026, 11, 24, 9, 5)
    assert items[1].received_at == NOW  # appended today, after the test's "now": never later than now
    assert "Vỉa hè" in items[1].content and "<p>" not in items[1].content
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 2 and mailbox.uid_validity and mailbox.last_error == ""


@pytest.mark.parametrize(
    ("date_header", "internal", "received"),
    [
        # a Date: header far back (the clocks would be overdue at once) or ahead: ignored
        ("Tue, 01 Sep 2026 08:00:00 +0700", at(2026, 11, 24, 8, 0), at(2026, 11, 24, 8, 0)),
        ("Fri, 01 Jan 2027 08:00:00 +0700", at(2026, 11, 23, 16, 0), at(2026, 11, 23, 16, 0)),
        # the server's own date, kept within the last 30 days and never after now
        ("Mon, 23 Nov 2026 20:15:00 +0700", at(2026, 9, 1, 8, 0), at(2026, 10, 25, 10, 0)),
        ("Mon, 23 Nov 2026 20:15:00 +0700", at(2026, 12, 31, 8, 0), NOW),
    ],
)
def test_the_received_time_is_the_servers_kept_within_thirty_days(
    dovecot, mailbox, date_header, internal, received
):
    raw = letter(1).replace(b"Mon, 23 Nov 2026 20:15:00 +0700", date_header.encode())
    dovecot.append(dovecot.folder, raw, when=internal)
    assert mail.mailbox_import(mailbox, now=NOW) == 1
    assert FeedbackItem.objects.get().received_at == received


def test_internal_dates_are_read_from_the_fetch_response():
    assert mail.internal_date(b'1 (UID 7 INTERNALDATE " 4-Nov-2026 09:05:00 +0700" BODY[] {20}') == at(
        2026, 11, 4, 9, 5
    )
    assert mail.internal_date(b"1 (UID 7 BODY[] {20}") is None
    assert mail.internal_date(b'INTERNALDATE "31-Feb-2026 09:05:00 +0700"') is None


def test_reading_again_imports_nothing_twice(dovecot, mailbox):
    dovecot.append(dovecot.folder, letter(1))
    mail.mailbox_import(mailbox, now=NOW)
    dovecot.append(dovecot.folder, letter(2))
    assert mail.mailbox_import(mailbox, now=NOW) == 1
    assert mail.mailbox_import(mailbox, now=NOW) == 0
    assert FeedbackItem.objects.count() == 2


def test_a_reader_stopped_mid_batch_goes_on_where_it_stopped(dovecot, mailbox):
    for n in range(1, 6):
        dovecot.append(dovecot.folder, letter(n))
    assert mail.mailbox_import(mailbox, batch=2, now=NOW) == 2
    # killed after the items were written but before last_uid moved: the Message-IDs keep them single
    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=0)
    mailbox.refresh_from_db()
    mail.mailbox_import(mailbox, now=NOW)
    assert FeedbackItem.objects.count() == 5
    assert sorted(FeedbackItem.objects.values_list("subject", flat=True)) == [
        f"Phản ánh số {n}" for n in range(1, 6)
    ]


def test_a_renumbered_mailbox_is_read_again_without_duplicates(dovecot, mailbox):
    dovecot.append(dovecot.folder, letter(1))
    mail.mailbox_import(mailbox, now=NOW)
    Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=1)  # as if the server had renumbered
    mailbox.refresh_from_db()
    dovecot.append(dovecot.folder, letter(2))
    mail.mailbox_import(mailbox, now=NOW)
    assert FeedbackItem.objects.count() == 2


def test_a_wrong_password_is_recorded_not_raised(dovecot, mailbox, monkeypatch):
    monkeypatch.setenv("FEEDBACK_IMAP_PASSWORD_TEST", "sai")
    assert mail.mailbox_import(mailbox, now=NOW) == 0
    mailbox.refresh_from_db()
    assert mailbox.last_error == "login"
    assert mailbox.error_label == "Máy chủ thư từ chối đăng nhập (tên đăng nhập hoặc mật khẩu)"


def test_a_missing_folder_is_recorded_as_such(dovecot, mailbox):
    Mailbox.objects.filter(pk=mailbox.pk).update(folder="Khong-co-thu-muc-nay")
    mailbox.refresh_from_db()
    assert mail.mailbox_import(mailbox, now=NOW) == 0
    mailbox.refresh_from_db()
    assert mailbox.last_error == "folder" and mailbox.error_label == "Không tìm thấy thư mục trên hộp thư"


def test_a_server_not_answering_is_a_connection_failure(world, monkeypatch):
    monkeypatch.setenv("FEEDBACK_IMAP_PASSWORD_TEST", PASSWORD)
    box = Mailbox.objects.create(
        unit=world.a,
        host="127.0.0.1",
        port=free_port(),  # nobody listens there
        use_ssl=False,
        username="gopy@example.vn",
        password_env="FEEDBACK_IMAP_PASSWORD_TEST",
    )
    assert mail.mailbox_import(box, now=NOW) == 0
    box.refresh_from_db()
    assert box.last_error == "connect" and box.error_label == "Không kết nối được máy chủ thư"


@pytest.mark.parametrize(
    "name", ["SECRET_KEY_OF_THE_SITE", "FEEDBACK_IMAP_PASSWORD", "feedback_imap_password_x"]
)
def test_a_mailbox_naming_another_environment_variable_is_never_read(dovecot, mailbox, monkeypatch, name):
    """A row saved before the rules (or by other means): the reader sends no other variable's value anywhere."""
    monkeypatch.setenv(name, PASSWORD)  # were it sent, the login would succeed
    Mailbox.objects.filter(pk=mailbox.pk).update(password_env=name)
    mailbox.refresh_from_db()
    dovecot.append(dovecot.folder, letter(1))
    assert mail.mailbox_import(mailbox, now=NOW) == 0
    mailbox.refresh_from_db()
    assert mailbox.last_error == "config" and not FeedbackItem.objects.exists()


def test_an_unset_password_variable_or_a_plain_connection_to_another_host_sends_nothing(world, monkeypatch):
    opened = []
    monkeypatch.setattr(mail.imaplib, "IMAP4", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(mail.imaplib, "IMAP4_SSL", lambda *a, **k: opened.append(a))
    monkeypatch.delenv("FEEDBACK_IMAP_PASSWORD_UNSET", raising=False)
    monkeypatch.setenv("FEEDBACK_IMAP_PASSWORD_SET", PASSWORD)
    unset = Mailbox.objects.create(
        unit=world.a, host="imap.example.vn", username="a", password_env="FEEDBACK_IMAP_PASSWORD_UNSET"
    )
    plain = Mailbox.objects.create(
        unit=world.a,
        host="imap.example.vn",
        username="b",
        use_ssl=False,
        port=143,
        password_env="FEEDBACK_IMAP_PASSWORD_SET",
    )
    for box in (unset, plain):
        assert mail.mailbox_import(box, now=NOW) == 0
        box.refresh_from_db()
        assert box.last_error == "config"
    assert opened == []


def test_tls_checks_the_certificate_and_the_host_name(world, monkeypatch):
    seen = {}

    class Refused(OSError):
        pass

    def fake_ssl(host, port, *, ssl_context=None, timeout=None):
        seen.update(host=host, port=port, context=ssl_context)
        raise Refused("certificate verify failed")

    monkeypatch.setattr(mail.imaplib, "IMAP4_SSL", fake_ssl)
    monkeypatch.setenv("FEEDBACK_IMAP_PASSWORD_TLS", PASSWORD)
    box = Mailbox.objects.create(
        unit=world.a, host="imap.example.vn", username="a", password_env="FEEDBACK_IMAP_PASSWORD_TLS"
    )
    assert mail.mailbox_import(box, now=NOW) == 0
    context = seen["context"]
    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert (seen["host"], seen["port"]) == ("imap.example.vn", 993)
    box.refresh_from_db()
    assert box.last_error == "connect" and "certificate" not in box.error_label


def test_the_management_command_reads_every_mailbox(dovecot, mailbox):
    from django.core.management import call_command

    dovecot.append(dovecot.folder, letter(1))
    call_command("feedback_mail")
    assert FeedbackItem.objects.filter(channel=Channel.EMAIL).count() == 1
