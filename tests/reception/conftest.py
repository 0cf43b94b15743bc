import datetime as dt

import pytest

from cqtt.reception import services
from tests.dossiers.conftest import at, world  # noqa: F401 (the dossier tests' world: wards A and B, staff of A)

NOW = at(2026, 11, 24, 10, 0)  # FROZEN_NOW of tests/conftest.py, a Tuesday


def new_session(w, *, when=None, publish=True, actor=None, **kw):
    return services.session_create(
        actor=actor or w.leader,
        unit=w.a,
        leader=w.leader,
        starts_at=when or at(2026, 12, 2, 8, 0),
        place="Phòng tiếp công dân, UBND phường Thủ Dầu Một",
        content="Tiếp công dân định kỳ của Chủ tịch UBND phường",
        publish=publish,
        at=kw.pop("now", NOW),
        **kw,
    )


def visit_data(**over) -> services.VisitData:
    data = {
        "person_name": "Phạm Văn Bình",
        "address": "12 Đường Bạch Đằng",
        "id_number": "079085001234",
        "phone": "0912345678",
        "content": "Đề nghị sửa đường hẻm 12 Bạch Đằng bị ngập khi mưa.",
        "kind": "petition",
    }
    data.update(over)
    return services.VisitData(**data)


def new_visit(w, *, actor=None, now=NOW, **kw):
    data = kw.pop("data", None) or visit_data(**kw.pop("over", {}))
    return services.visit_record(actor=actor or w.counter_a, unit=w.a, data=data, at=now, **kw)


@pytest.fixture
def days():
    return lambda *args: dt.date(*args)
