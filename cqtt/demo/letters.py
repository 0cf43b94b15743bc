"""Demo letters: the demo dossiers' events handed to the letters app (congratulations and condolences drafted for
returned civil-status dossiers), the apology sweep, then a few letters of every kind signed by the demo leader so
the register has rows, and drafts left waiting for `lanhdao`."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.core import outbox
from cqtt.core.models import OutboxDelivery, OutboxEvent
from cqtt.letters import services
from cqtt.letters.models import Letter
from cqtt.units.models import Unit

CONSUMER = "cqtt.letters.reactions.on_dossier_event"


def load_demo_letters(*, units: list[Unit], now: dt.datetime | None = None) -> int:
    if Letter.objects.filter(unit__in=units).exists():
        return 0
    now = now or timezone.now()
    done = OutboxDelivery.objects.filter(event=OuterRef("pk"), consumer=CONSUMER)
    for event_id in (
        OutboxEvent.objects.filter(stream="dossier")
        .filter(~Exists(done))
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        outbox.handle(event_id, CONSUMER)
    services.apology_sweep(now=now)
    leader = User.objects.filter(username="lanhdao").first()
    if leader is None:
        return Letter.objects.filter(unit__in=units).count()
    from cqtt.accounts.models import RoleAssignment

    grant = RoleAssignment.objects.filter(user=leader, role="leader").select_related("unit").first()
    home = grant.unit if grant else units[0]
    for kind, name, reason in [
        ("thanks", "Nguyễn Văn Hải", "đã góp ý giúp Bộ phận Một cửa sắp xếp lại khu chờ"),
        (
            "custom",
            "Cụ Lê Văn Mười",
            "Nhân dịp mừng thọ 90 tuổi, UBND phường kính chúc cụ sống vui, sống khỏe.",
        ),
        ("thanks", "Phạm Minh Tuấn", "đã trả lại giấy tờ bỏ quên của người dân khác"),
        ("condolence", "Bà Nguyễn Thị Lành", ""),
        ("congratulation", "Ông Đỗ Văn Khải", ""),
    ]:
        services.letter_draft(
            actor=None,
            kind=kind,
            unit=home,
            recipient_name=name,
            reason=reason,
            title="Thư chúc thọ" if kind == "custom" else "",
            at=now,
        )
    from cqtt.dossiers.models import Dossier

    returned = Dossier.objects.filter(receiving_unit=home, status="returned").order_by("-returned_at").first()
    if returned is not None:  # an apology for an error names the dossier it concerns
        services.letter_draft(
            actor=None,
            kind="error_apology",
            dossier=returned,
            reason="ghi sai ngày sinh trên bản sao trích lục, đã cấp lại trong ngày",
            at=now,
        )
    for letter in Letter.objects.filter(
        unit=home, kind="congratulation", dossier__isnull=True, status="draft"
    ):
        letter.body = letter.body.replace(
            "((su_kien))", "đám cưới của con trai"
        )  # a letter by hand names the event
        letter.save(update_fields=["body"])
    # the first letter of every kind in the demo leader's ward signed; the others wait for `lanhdao`
    for kind in ("apology", "congratulation", "condolence", "thanks", "error_apology", "custom"):
        for letter in Letter.objects.filter(unit=home, status="draft", kind=kind).order_by("created_at")[:5]:
            try:
                services.letter_sign(
                    actor=leader,
                    letter=letter,
                    reason=letter.reason or "Cần xác minh thêm với cơ quan liên quan",
                    at=now,
                )
                break
            except (services.ServiceError, services.TransitionNotAllowed, services.PermissionDenied):
                continue  # one that cannot be signed now stays a draft
    return Letter.objects.filter(unit__in=units).count()
