"""`DossierTally`: the finished dossiers per unit that the overview adds to the live count of open ones."""

from collections import Counter

from cqtt.dossiers import services as s
from cqtt.dossiers.models import DossierTally
from cqtt.dossiers.selectors import unit_overview
from cqtt.dossiers.services import dossier_intake, dossier_tally_rebuild, engine
from tests.dossiers.conftest import applicant, at, documents_for, receive


def _tallies() -> Counter:
    return Counter(
        {(t.unit_id, t.status, t.timeliness): t.count for t in DossierTally.objects.all() if t.count}
    )


def _every_ending(world):
    """One dossier ending each way, through the services."""
    w = world
    done = receive(w, when=at(2026, 11, 23, 9, 0))
    s.dossier_assign(actor=w.leader, dossier=done, assignee=w.specialist, at=at(2026, 11, 23, 10, 0))
    s.dossier_approve(actor=w.leader, dossier=done, at=at(2026, 11, 24, 9, 0))
    s.dossier_mark_ready(actor=w.specialist, dossier=done, at=at(2026, 11, 24, 10, 0))
    s.dossier_return_result(
        actor=w.counter_a, dossier=done, collected_by="Phạm Văn Bình", at=at(2026, 11, 25, 9)
    )
    refused = receive(w, when=at(2026, 11, 23, 9, 30))
    s.dossier_refuse(actor=w.leader, dossier=refused, reason="Không đủ điều kiện", at=at(2026, 11, 23, 11, 0))
    withdrawn = receive(w, when=at(2026, 11, 23, 9, 45))
    s.dossier_withdraw(
        actor=w.counter_a, dossier=withdrawn, reason="Công dân rút", at=at(2026, 11, 23, 14, 0)
    )
    same_day = receive(w, when=at(2026, 11, 23, 8, 0), procedure=w.copy)
    s.dossier_return_same_day(
        actor=w.counter_a, dossier=same_day, collected_by="Bình", at=at(2026, 11, 23, 8, 30)
    )
    dossier_intake(
        actor=w.counter_a,
        procedure_code=w.birth.code,
        applicant=applicant(),
        documents=documents_for(w.birth),
        refusal_reason="Không thuộc thẩm quyền",
        at=at(2026, 11, 23, 15, 0),
    )
    receive(w, when=at(2026, 11, 23, 16, 0))  # still open: not in the tally


def test_services_keep_the_tally_equal_to_a_recount(world):
    _every_ending(world)
    kept = _tallies()
    assert sum(kept.values()) == 5
    assert {status for _u, status, _t in kept} == {"returned", "refused", "withdrawn", "intake_refused"}
    dossier_tally_rebuild()
    assert _tallies() == kept


def test_a_finished_dossier_is_counted_once_even_if_saved_again(world):
    d = receive(world, when=at(2026, 11, 23, 9, 0))
    s.dossier_withdraw(actor=world.counter_a, dossier=d, reason="Rút", at=at(2026, 11, 23, 10, 0))
    with_one = _tallies()
    locked = engine._lock(d, None)
    engine._save(
        locked, "status"
    )  # any later save of a final dossier (none exists today) must not count it again
    assert _tallies() == with_one


def test_overview_adds_open_and_finished_and_stays_in_scope(world):
    _every_ending(world)
    ward = unit_overview(user=world.leader)
    counts = {row["status"]: row["count"] for row in ward["by_status"]}
    assert counts["returned"] == 2 and counts["refused"] == 1 and counts["withdrawn"] == 1
    assert counts["intake_refused"] == 1 and counts["received"] == 1
    assert ward["finished"] == 3  # returned ×2 and refused carry a timeliness; withdrawals do not
    other = unit_overview(user=world.counter_b)  # ward B sees none of ward A's dossiers
    assert all(row["count"] == 0 for row in other["by_status"])
    assert other["finished"] == 0
