import pytest

from cqtt.dialogues import services
from tests.dossiers.conftest import at, world  # noqa: F401 (the dossier tests' world: wards A and B, staff of A)

FRONT = "Ủy ban MTTQ Việt Nam phường Thủ Dầu Một"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


def plan(
    w, *, unit=None, actor=None, kind="annual_front", starts=None, topic="Trật tự đô thị và chợ tạm", **kw
):
    values = {
        "kind": kind,
        "topic": topic,
        "starts_at": starts or at(2026, 11, 20, 8, 0),
        "place": "Hội trường UBND phường",
        "chair": "Chủ tịch UBND phường",
        "co_organiser": FRONT,
        **kw,
    }
    return services.dialogue_plan(
        actor=actor or w.leader, unit=unit or w.a, at=at(2026, 11, 1, 9, 0), **values
    )


def announced(w, **kw):
    d = plan(w, **kw)
    return services.dialogue_announce(actor=w.leader, dialogue=d, at=at(2026, 11, 2, 9, 0))


def held(w, **kw):
    d = announced(w, **kw)
    return services.dialogue_hold(actor=w.leader, dialogue=d, attendees=120, at=d.starts_at.replace(hour=11))


def commit(w, d, *, days=5, text="Dẹp chợ tạm trên đường Yersin", **kw):
    return services.commitment_add(
        actor=w.leader,
        dialogue=d,
        text=text,
        owner=w.specialist,
        days=days,
        at=d.starts_at.replace(hour=11),
        **kw,
    )
