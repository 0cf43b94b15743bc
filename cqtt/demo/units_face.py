"""Demo data of a unit's public face and its counter cameras: a hotline per demo commune, the officials'
responsibilities (counter officers' phones kept private, the leaders' public), one or two cameras per counter and
a footage request from a low rating."""

from cqtt.accounts.models import Role, RoleAssignment, User
from cqtt.accounts.services import user_save_profile
from cqtt.ratings.models import Rating
from cqtt.ratings.rules import UNSATISFIED
from cqtt.units import rules
from cqtt.units.models import Camera, Counter, FootageRequest, FootageSource, Unit
from cqtt.units.services import camera_save, footage_request_open, unit_save

RESPONSIBILITIES = {
    Role.LEADER: "Phụ trách chung công tác cải cách hành chính; tiếp công dân định kỳ; ký kết quả thủ tục hành chính.",
    Role.SPECIALIST: "Thẩm định hồ sơ lĩnh vực được giao; trả lời phản ánh, kiến nghị của người dân.",
    Role.COUNTER_OFFICER: "Hướng dẫn, tiếp nhận hồ sơ và trả kết quả tại quầy; đánh giá của người dân tại quầy.",
}


def load_demo_units_face(*, units: list[Unit]) -> bool:
    """Create the demo data once; True when something was created."""
    if Camera.objects.filter(counter__office__unit__in=units).exists():
        return False
    for i, unit in enumerate(units):
        if not unit.hotline:
            unit.hotline = f"1900 {1000 + i:04d}"
            unit_save(unit=unit)
        for ra in RoleAssignment.objects.filter(unit=unit, role__in=RESPONSIBILITIES).select_related("user"):
            user: User = ra.user
            if user.responsibilities:
                continue
            user.responsibilities = RESPONSIBILITIES[ra.role]
            # counter officers of the demo keep their work phone to themselves; the leaders publish theirs
            user.phone_is_public = ra.role == Role.LEADER or (ra.role == Role.SPECIALIST and user.pk % 2 == 0)
            user_save_profile(user=user)
        for counter in Counter.objects.filter(office__unit=unit, is_active=True).order_by("number"):
            camera_save(
                counter=counter,
                name=f"Camera quầy {counter.number}",
                recorder=f"Đầu ghi NVR phòng một cửa, 192.168.1.20 kênh {counter.number}",
                retention_days=30,
            )
            if counter.number == 1:
                camera_save(
                    counter=counter,
                    name="Camera toàn cảnh sảnh chờ",
                    recorder="Đầu ghi NVR, kênh 8",
                    retention_days=15,
                )
    low = (
        Rating.objects.filter(unit__in=units, level__in=UNSATISFIED, officer__isnull=False)
        .select_related("dossier")
        .order_by("-rated_at")
        .first()
    )
    if low is not None and not FootageRequest.objects.filter(source_ref=f"rating:{low.pk}").exists():
        counter = (
            Counter.objects.filter(office__unit=low.unit_id, officers=low.officer_id)
            .order_by("number")
            .first()
            or Counter.objects.filter(office__unit=low.unit_id).order_by("number").first()
        )
        if counter is not None:
            starts_at, ends_at = rules.footage_window(low.rated_at)
            footage_request_open(
                counter=counter,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=f"Người dân đánh giá chưa hài lòng (hồ sơ {low.dossier.code}).",
                source=FootageSource.RATING,
                source_ref=f"rating:{low.pk}",
                actor=None,
                officer_id=low.officer_id,
            )
    return True
