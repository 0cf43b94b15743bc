"""Demo data for a trial run: the seeds' pilot units under today's names, their offices, counters, officers,
one login per role and the common commune procedures. Idempotent: a second run changes nothing."""

from dataclasses import dataclass, field

from django.db import transaction

from cqtt.accounts.models import Role, User
from cqtt.accounts.services import role_grant, user_save_profile
from cqtt.units.models import Counter, Office, OfficeKind, Unit
from cqtt.units.services import counter_save, office_save, unit_save

from .complaints import load_demo_complaints
from .dialogues import load_demo_dialogues
from .dossiers import load_demo_dossiers
from .evaluation import load_demo_evaluation
from .feedback import load_demo_feedback
from .letters import load_demo_letters
from .notices import load_demo_notices
from .procedures import load_demo_procedures
from .ratings import load_demo_ratings
from .reception import load_demo_reception
from .surveys import load_demo_surveys
from .units_face import load_demo_units_face

DEMO_PASSWORD = "demo12345"

# (province code, commune code, name) — seed 003 (Bình Dương pilots, now in Hồ Chí Minh City), seed 001
# (Bình Phước, now in Đồng Nai), seed 002 (Tràng Định, Lạng Sơn), seed 004 (Điện Biên ward → Hạc Thành).
DEMO_COMMUNES = [
    ("79", "25747", "Phường Thủ Dầu Một"),
    ("79", "25978", "Phường Thuận An"),
    ("79", "25813", "Phường Bến Cát"),
    ("79", "25777", "Xã Dầu Tiếng"),
    ("75", "25195", "Phường Bình Phước"),
    ("75", "25432", "Phường Chơn Thành"),
    ("20", "06046", "Xã Tràng Định"),
    ("20", "06040", "Xã Thất Khê"),
    ("38", "14797", "Phường Hạc Thành"),
]

WARD_DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("KT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VHXH", "Phòng Văn hóa - Xã hội"),
]
COMMUNE_DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("KT", "Phòng Kinh tế"),
    ("VHXH", "Phòng Văn hóa - Xã hội"),
]

COUNTERS = [
    (1, "Hộ tịch, chứng thực"),
    (2, "Đất đai, xây dựng, kinh doanh"),
    (3, "Lao động, thương binh và xã hội"),
]

# username, full name, position, role, commune code
DEMO_LOGINS = [
    (
        "motcua",
        "Nguyễn Thị Thu Hà",
        "Công chức Trung tâm Phục vụ hành chính công",
        Role.COUNTER_OFFICER,
        "25747",
    ),
    ("chuyenvien", "Trần Minh Đức", "Chuyên viên Văn phòng HĐND và UBND", Role.SPECIALIST, "25747"),
    ("lanhdao", "Lê Văn Thành", "Phó Chủ tịch UBND phường", Role.LEADER, "25747"),
    ("quantri", "Phạm Thị Lan", "Quản trị hệ thống đơn vị", Role.UNIT_ADMIN, "25747"),
    ("tinh", "Võ Quốc Bảo", "Chuyên viên Sở Nội vụ", Role.PROVINCIAL_SUPERVISOR, "79"),
    ("mttq", "Đặng Thị Hồng", "Phó Chủ tịch Ủy ban MTTQ Việt Nam phường", Role.OBSERVER, "25747"),
    ("motcua2", "Hoàng Văn Sơn", "Công chức Bộ phận Một cửa", Role.COUNTER_OFFICER, "06046"),
]

# Officers serving the counters of every demo unit (no login of their own).
OFFICER_NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bích",
    "Lê Hoàng Nam",
    "Phạm Thu Trang",
    "Vũ Đức Minh",
    "Bùi Thị Mai",
]


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _demo_phone(commune_code: str, n: int) -> str:
    return f"0900{commune_code[-4:]}{n:02d}"


def _ensure_user(
    result: DemoResult, *, username: str, full_name: str, position: str, unit: Unit, phone: str, login: bool
) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    user = User(
        username=username,
        full_name=full_name,
        position=position,
        unit=unit,
        work_phone=phone,
        phone_is_public=True,
    )
    if login:
        user.set_password(DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user_save_profile(user=user)
    result.created.append(f"user {username}")
    return user


def _ensure_unit(result: DemoResult, *, code: str, name: str, parent: Unit) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit
    result.created.append(f"unit {code}")
    return unit_save(
        unit=Unit(
            code=code,
            name=name,
            full_name=f"{name} {parent.full_name}",
            level="department",
            kind="department",
            parent=parent,
        )
    )


@transaction.atomic
def demo_load(*, dossiers: int = 300) -> DemoResult:
    """Create the demo units' insides, logins and procedures. Needs the national unit list loaded first."""
    result = DemoResult()
    communes: list[Unit] = []
    for index, (_province, code, name) in enumerate(DEMO_COMMUNES):
        commune = Unit.objects.filter(code=code).first()
        if commune is None:
            raise RuntimeError(f"Chưa có đơn vị {code} ({name}): hãy chạy `manage.py load_units` trước.")
        communes.append(commune)
        departments = WARD_DEPARTMENTS if commune.kind == "ward" else COMMUNE_DEPARTMENTS
        for suffix, dept_name in departments:
            _ensure_unit(result, code=f"{code}.{suffix}", name=dept_name, parent=commune)
        office = Office.objects.filter(unit=commune).first()
        if office is None:
            label = "phường" if commune.kind == "ward" else "xã"
            office = office_save(
                office=Office(
                    unit=commune,
                    kind=OfficeKind.SERVICE_CENTRE,
                    name=f"Trung tâm Phục vụ hành chính công {label} {commune.name}",
                    address=f"Trụ sở UBND {commune.full_name}, {commune.parent.full_name}",
                    phone=_demo_phone(code, 0),
                )
            )
            result.created.append(f"office {code}")
        n_counters = 3 if index % 2 == 0 else 2
        for number, counter_name in COUNTERS[:n_counters]:
            counter = Counter.objects.filter(office=office, number=number).first()
            if counter is None:
                counter = counter_save(counter=Counter(office=office, number=number, name=counter_name))
                officer = _ensure_user(
                    result,
                    username=f"cb{code}q{number}",
                    full_name=OFFICER_NAMES[(index + number) % 6],
                    position="Công chức Trung tâm Phục vụ hành chính công",
                    unit=commune,
                    phone=_demo_phone(code, number),
                    login=False,
                )
                role_grant(user=officer, unit=commune, role=Role.COUNTER_OFFICER)
                counter.officers.add(officer)
                result.created.append(f"counter {code}/{number}")

    for i, (username, full_name, position, role, unit_code) in enumerate(DEMO_LOGINS):
        unit = Unit.objects.get(code=unit_code)
        user = _ensure_user(
            result,
            username=username,
            full_name=full_name,
            position=position,
            unit=unit,
            phone=_demo_phone(unit_code.zfill(5), 50 + i),
            login=True,
        )
        if not user.roles.filter(unit=unit, role=role).exists():
            role_grant(user=user, unit=unit, role=role)
            result.created.append(f"role {username}")
        if role == Role.COUNTER_OFFICER:
            counter = Counter.objects.filter(office__unit=unit, number=1).first()
            if counter and not counter.officers.filter(pk=user.pk).exists():
                counter.officers.add(user)

    if load_demo_procedures(units=communes):
        result.created.append("procedures")

    if load_demo_surveys(units=communes):
        result.created.append("surveys")
    if dossiers and load_demo_dossiers(units=communes, count=dossiers):
        result.created.append("dossiers")
    if dossiers and load_demo_letters(units=communes):
        result.created.append("letters")
    if dossiers and load_demo_notices(units=communes):
        result.created.append("notices")
    if dossiers and load_demo_ratings(units=communes):
        result.created.append("ratings")
    if dossiers and load_demo_feedback(units=communes):
        result.created.append("feedback")
    if dossiers and load_demo_complaints(units=communes):
        result.created.append("complaints")
    if dossiers and load_demo_reception(units=communes):
        result.created.append("reception")
    if dossiers and load_demo_dialogues(units=communes):
        result.created.append("dialogues")
    if dossiers and load_demo_evaluation(units=communes):
        result.created.append("evaluation")
    if load_demo_units_face(units=communes):
        result.created.append("units_face")
    return result
