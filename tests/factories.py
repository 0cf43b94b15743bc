"""Small factories for tests. Units are built through the same service the admin uses."""

import itertools

from cqtt.accounts.models import User
from cqtt.accounts.services import role_grant
from cqtt.units.models import Unit
from cqtt.units.services import unit_save

_seq = itertools.count(1)


def make_province(code: str | None = None, name: str = "Tỉnh Thử Nghiệm") -> Unit:
    code = code or f"9{next(_seq) % 10}"
    unit = Unit.objects.filter(code=code).first()
    if unit:
        return unit
    return unit_save(unit=Unit(code=code, name=name, full_name=name, level="province", kind="province"))


def make_commune(province: Unit | None = None, code: str | None = None, name: str | None = None) -> Unit:
    province = province or make_province()
    n = next(_seq)
    code = code or f"{90000 + n}"
    name = name or f"Phường Thử {n}"
    return unit_save(
        unit=Unit(code=code, name=name, full_name=name, level="commune", kind="ward", parent=province)
    )


def make_department(commune: Unit, suffix: str = "VP", name: str = "Văn phòng HĐND và UBND") -> Unit:
    return unit_save(
        unit=Unit(
            code=f"{commune.code}.{suffix}",
            name=name,
            full_name=f"{name} {commune.name}",
            level="department",
            kind="department",
            parent=commune,
        )
    )


def make_user(
    username: str | None = None,
    *,
    unit: Unit | None = None,
    role: str | None = None,
    password: str = "pw-12345-test",
    **extra,
) -> User:
    username = username or f"user{next(_seq)}"
    user = User.objects.create_user(
        username=username,
        password=password,
        unit=unit,
        full_name=extra.pop("full_name", username.title()),
        **extra,
    )
    if role and unit:
        role_grant(user=user, unit=unit, role=role)
    return user
