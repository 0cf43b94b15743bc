"""`generate_dossiers`: realistic, consistent synthetic dossiers written by the bulk path."""

import datetime as dt
from collections import Counter, defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max

from cqtt.accounts.models import Role, RoleAssignment, User
from cqtt.core.models import AuditEvent
from cqtt.demo.generator import GenerationRefused, generate, generated_count, real_dossier_count
from cqtt.dossiers import rules
from cqtt.dossiers.models import (
    FINAL_STATUSES,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierStep,
    Status,
    SupplementRequest,
    YearlySequence,
)
from cqtt.dossiers.services import ApplicantData, dossier_intake
from cqtt.workdays import rules as wd
from cqtt.workdays.selectors import calendar_for, schedule_for
from tests.dossiers.conftest import TZ, at
from tests.factories import make_commune, make_province, make_user

NOW = at(2026, 11, 20, 16, 0)


@pytest.fixture
def province(db):
    p = make_province("86", "Tỉnh Vĩnh Long")
    for code, name in [("29500", "Phường Một"), ("29501", "Xã Hai"), ("29502", "Phường Ba")]:
        make_commune(p, code=code, name=name)
    return p


def test_generates_consistent_dossiers_for_every_commune_and_state(province):
    report = generate(province=province, count=1500, now=NOW, seed=1)
    assert report.dossiers == 1500 == Dossier.objects.count()
    assert set(Dossier.objects.values_list("receiving_unit__code", flat=True)) == {"29500", "29501", "29502"}
    # two years of dates, none in the future
    first, last = Dossier.objects.order_by("submitted_at").values_list("submitted_at", flat=True)[::1499]
    assert first.astimezone(TZ).date() <= dt.date(2024, 12, 1) and last < NOW
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert statuses[Status.RETURNED] > 1000
    for s in (
        Status.IN_PROGRESS,
        Status.INTAKE_REFUSED,
        Status.REFUSED,
        Status.WITHDRAWN,
        Status.AWAITING_APPROVAL,
    ):
        assert statuses[s] > 0, s
    # every procedure of the catalogue is used
    assert Dossier.objects.values("procedure").distinct().count() >= 5

    for d in Dossier.objects.prefetch_related("events"):
        events = sorted(d.events.all(), key=lambda e: (e.occurred_at, e.id))
        assert d.version == len(events) >= 1
        assert events[-1].to_status == d.status, d.code
        assert all(e.occurred_at < NOW for e in events)
        if d.received_at:
            assert d.due_at > d.received_at and d.book_number
        if d.status in (Status.RETURNED, Status.REFUSED) and d.original_due_at:
            assert d.timeliness == rules.classify(d.finished_at, d.original_due_at)
        if d.status not in FINAL_STATUSES and d.status not in (Status.READY,):
            assert not d.timeliness


def test_codes_and_book_numbers_are_gap_free_and_sequences_continue(province):
    generate(province=province, count=800, now=NOW, seed=2)
    per_day = defaultdict(list)
    for unit_id, code in Dossier.objects.values_list("receiving_unit_id", "code"):
        prefix, number = code.rsplit("-", 1)
        per_day[(unit_id, prefix)].append(int(number))
    for numbers in per_day.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
    books = defaultdict(list)
    for unit_id, year, n in Dossier.objects.exclude(book_number=None).values_list(
        "receiving_unit_id", "book_year", "book_number"
    ):
        books[(unit_id, year)].append(n)
    for (unit_id, year), numbers in books.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert YearlySequence.objects.get(unit_id=unit_id, year=year, kind="book").last == len(numbers)
    assert DailySequence.objects.count() == len(per_day)

    # a real intake afterwards in a generated commune continues the numbering (no duplicate code or book number)
    commune = province.children.get(code="29500")
    counter = User.objects.get(username="gen-29500-mc")
    day = NOW.date() - dt.timedelta(days=1)
    while not DailySequence.objects.filter(unit=commune, day=day).exists():
        day -= dt.timedelta(days=1)
    when = dt.datetime.combine(day, dt.time(16, 30), tzinfo=TZ)
    result = dossier_intake(
        actor=counter,
        procedure_code=Dossier.objects.filter(receiving_unit=commune).first().procedure.code,
        applicant=ApplicantData(full_name="Lê Thị Mai", phone="0912345678"),
        documents=[],
        at=when,
    )
    expected = DailySequence.objects.get(unit=commune, day=day).last
    assert result.dossier.code.endswith(f"-{expected:04d}")
    assert Dossier.objects.filter(code=result.dossier.code).count() == 1


def test_staff_pauses_and_steps_are_realistic(province):
    generate(province=province, count=1200, now=NOW, seed=3)
    # generated staff: counter, two specialists, leader per commune, a provincial supervisor; no usable password
    roles = Counter(
        RoleAssignment.objects.filter(user__username__startswith="gen-").values_list("role", flat=True)
    )
    assert roles == {
        Role.COUNTER_OFFICER: 3,
        Role.SPECIALIST: 6,
        Role.LEADER: 3,
        Role.PROVINCIAL_SUPERVISOR: 1,
    }
    assert not any(u.has_usable_password() for u in User.objects.filter(username__startswith="gen-"))
    # supplement pauses, as `dossier_receive_supplement` leaves them: the law's period restarts from the
    # resumption (due and original due), the statistic's due date only moves by the paused office time
    paused = SupplementRequest.objects.filter(stage="appraisal", resolved_at__isnull=False).select_related(
        "dossier__procedure", "dossier__handling_unit"
    )
    assert paused.exists()
    for s in paused:
        d = s.dossier
        cal, sched = calendar_for(province.province_code), schedule_for(d.handling_unit)
        first = wd.due_datetime(
            d.received_at, d.procedure.duration_amount, d.procedure.duration_unit, cal, sched
        )
        restarted = wd.due_datetime(
            s.resolved_at, d.procedure.duration_amount, d.procedure.duration_unit, cal, sched
        )
        assert d.supplement_count == 1
        assert d.due_at == d.original_due_at == restarted
        assert d.stat_due_at == rules.statistic_due_after_pause(
            first, s.requested_at, s.resolved_at, cal, sched
        )
        assert d.stat_due_at > first
    # an open pause leaves the due dates as they were at receipt
    for s in SupplementRequest.objects.filter(resolved_at__isnull=True).select_related("dossier"):
        assert s.dossier.due_at == s.dossier.original_due_at == s.dossier.stat_due_at
    # control-slip steps: numbered from 1, each with an allotment and due time
    assert DossierStep.objects.filter(seq=1).count() > 0
    assert not DossierStep.objects.filter(due_at__lte=models_f("started_at")).exists()
    # the row's control-slip state (what a hand-over reads instead of the steps) matches its steps
    for d in Dossier.objects.order_by("pk")[:400]:
        steps = list(d.steps.order_by("seq"))
        open_steps = [x for x in steps if x.completed_at is None]
        assert d.step_seq == len(steps)
        assert d.step_due_at == (open_steps[-1].due_at if open_steps else None)
    assert Dossier.objects.filter(step_due_at__isnull=False).exists()
    # open dossiers with an overdue backlog for the work lists
    assert Dossier.objects.filter(status=Status.IN_PROGRESS, due_at__lt=NOW).exists()
    assert DossierEvent.objects.filter(action="assign", is_public=False).exists()


def models_f(name):
    from django.db.models import F

    return F(name)


def test_refuses_a_database_with_real_dossiers_unless_forced(province, world):
    from tests.dossiers.conftest import receive

    receive(world)
    assert real_dossier_count() == 1
    with pytest.raises(GenerationRefused, match="hồ sơ thật"):
        generate(province=province, count=10, now=NOW)
    assert Dossier.objects.count() == 1
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_dossiers", count=10, province="86")
    # forced: into the city of the real dossier, with the catalogue its wards offer
    call_command("generate_dossiers", count=10, province="79", force=True)
    assert Dossier.objects.count() == 11
    assert generated_count("79") == 10 and real_dossier_count() == 1
    assert AuditEvent.objects.filter(action="dossiers.generated", unit_code="79").count() == 1
    assert set(Dossier.objects.values_list("procedure__code", flat=True)) <= {"1.001193", "2.000815"}


def test_generated_data_alone_may_be_extended(province):
    generate(province=province, count=50, now=NOW, seed=4)
    top = Dossier.objects.aggregate(m=Max("id"))["m"]
    generate(province=province, count=30, now=NOW, seed=5)
    assert Dossier.objects.count() == 80 and generated_count("86") == 80
    assert Dossier.objects.filter(id__gt=top).count() == 30
    assert Dossier.objects.values("code").distinct().count() == 80


def test_command_reports_and_checks_its_arguments(province, capsys):
    call_command("generate_dossiers", count=40, province="86")
    out = capsys.readouterr().out
    assert "Đã sinh 40 hồ sơ" in out and "Trạng thái:" in out
    with pytest.raises(CommandError, match="Không tìm thấy tỉnh"):
        call_command("generate_dossiers", count=5, province="00")
    with pytest.raises(CommandError, match="số nguyên dương"):
        call_command("generate_dossiers", count=0, province="86")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_copy_path_in_a_second_thread(province):
    make_user("someone", unit=province, role=Role.OBSERVER)
    report = generate(province=province, count=3000, now=NOW, seed=6, batch=700)
    assert Dossier.objects.count() == 3000 == report.dossiers
    assert DossierEvent.objects.count() == report.rows["event"]
    # the identity sequence was moved past the explicit ids: a normal insert gets a fresh id
    commune = province.children.get(code="29501")
    result = dossier_intake(
        actor=User.objects.get(username="gen-29501-mc"),
        procedure_code=Dossier.objects.filter(receiving_unit=commune).first().procedure.code,
        applicant=ApplicantData(full_name="Lê Thị Mai", phone="0912345678"),
        documents=[],
        at=NOW,
    )
    assert result.dossier.pk > 3000


def custom_code(unit_identifier, day, seq):
    return f"X{unit_identifier}.{day:%Y%m%d}.{seq}"


def test_codes_come_from_the_configured_generator_and_steps_name_the_specialist(province, settings):
    settings.DOSSIERS = {**settings.DOSSIERS, "CODE_GENERATOR": "tests.demo.test_generator.custom_code"}
    generate(province=province, count=60, now=NOW, seed=5)
    assert all(code.startswith("X") for code in Dossier.objects.values_list("code", flat=True))
    names = set(
        DossierStep.objects.filter(name__startswith="Chuyên viên thụ lý:").values_list("name", flat=True)
    )
    assert names and names <= {
        "Chuyên viên thụ lý: Chuyên viên thụ lý 1",
        "Chuyên viên thụ lý: Chuyên viên thụ lý 2",
    }
