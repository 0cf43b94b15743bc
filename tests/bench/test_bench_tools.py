"""The benchmark's own tools: the pgbench script built from captured SQL, the EXPLAIN reader, the runner's
accounts and figures."""

import sys
from argparse import Namespace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import explain_paths
import pgbench_lifecycle
import run


def test_pgbench_script_makes_a_fresh_dossier_each_run():
    ids = {"id": 1000042, "code": "25822-261121-0007", "token": "tok123", "book": 57}
    steps = [
        (
            "receive",
            [
                "BEGIN",
                'UPDATE "dossiers_dailysequence" SET "last" = "last" + 1 WHERE "unit_id" = 5 RETURNING "last"',
                'INSERT INTO "dossiers_dossier" ("code", "lookup_token") VALUES (\'25822-261121-0007\', \'tok123\') '
                'RETURNING "dossiers_dossier"."id"',
                'UPDATE "dossiers_yearlysequence" SET "last" = "last" + 1 WHERE "kind" = \'book\' RETURNING "last"',
                'UPDATE "dossiers_dossier" SET "book_number" = 57, "version" = 1 WHERE "id" = 1000042',
                "COMMIT",
            ],
        ),
        (
            "lookup",
            ['SELECT 1 FROM "dossiers_dossier" WHERE "code" = \'25822-261121-0007\' AND "id" = 10000420'],
        ),
    ]
    script, count = pgbench_lifecycle.to_pgbench(steps, ids)
    lines = script.splitlines()
    assert count == 7
    assert lines[0].endswith("\\gset")  # fresh code and token first
    assert "VALUES (':code', ':token') RETURNING \"dossiers_dossier\".\"id\" \\gset d_" in script
    assert '"kind" = \'book\' RETURNING "last" \\gset seq_' in script
    assert '"book_number" = :seq_last, "version" = 1 WHERE "id" = :d_id;' in script
    # only the dossier's own id is replaced, not a number that merely contains it
    assert '"code" = \':code\' AND "id" = 10000420;' in script
    assert "BEGIN;" in lines and "COMMIT;" in lines


def test_pgbench_script_takes_the_book_number_of_an_insert_from_its_sequence():
    """The intake writes the book number in the dossier's INSERT: the replay puts the sequence's value there."""
    sql = (
        'INSERT INTO "dossiers_dossier" ("code", "applicant_name", "book_number", "data") '
        "VALUES ('25822-261121-0007', 'Nguyễn Văn A, O''Brien (B)', 57, E'{\"k\": \"1, 2\"}'::jsonb) "
        'RETURNING "dossiers_dossier"."id"'
    )
    out = pgbench_lifecycle._set_inserted(sql, "book_number", ":seq_last")
    assert "'Nguyễn Văn A, O''Brien (B)', :seq_last, E'{" in out
    assert out.endswith('RETURNING "dossiers_dossier"."id"')
    assert pgbench_lifecycle._set_inserted(sql, "missing", ":x") == sql


def test_explain_reader_counts_rows_read_and_thrown_away():
    plan = {
        "Node Type": "Nested Loop",
        "Actual Rows": 2,
        "Plans": [
            {
                "Node Type": "Index Scan",
                "Relation Name": "dossiers_dossier",
                "Actual Rows": 2,
                "Actual Loops": 1,
                "Rows Removed by Filter": 3,
            },
            {"Node Type": "Seq Scan", "Relation Name": "units_unit", "Actual Rows": 1, "Actual Loops": 2},
        ],
    }
    scans = []
    explain_paths._walk(plan, scans)
    assert scans == [
        {"type": "Index Scan", "relation": "dossiers_dossier", "returned": 2, "removed": 3},
        {"type": "Seq Scan", "relation": "units_unit", "returned": 2, "removed": 0},
    ]
    assert explain_paths._is_aggregate('SELECT COUNT(*) AS "n" FROM "x"')
    assert not explain_paths._is_aggregate('SELECT "a" FROM "x" WHERE "b" IN (SELECT COUNT(*) FROM y)')


def test_percentile_and_scenario_line():
    assert run.percentile([], 95) == 0.0
    values = list(range(1, 101))
    assert run.percentile(values, 50) == 50
    assert run.percentile(values, 95) == 95
    line = run.scenario_line(
        {
            "scenario": "lifecycle",
            "users": 12,
            "requests_per_s": 100.0,
            "lifecycles_per_s": 16.7,
            "lifecycle_p95_ms": 900.0,
            "p50_ms": 80.0,
            "p95_ms": 200.0,
            "p99_ms": 250.0,
            "errors": 0,
        }
    )
    assert line == (
        "scenario=lifecycle users=12 requests_per_s=100.0 lifecycles_per_s=16.7 lifecycle_p95_ms=900.0 "
        "p50_ms=80.0 p95_ms=200.0 p99_ms=250.0 errors=0"
    )


@pytest.mark.postgres
def test_accounts_lifecycle_capture_and_explain_on_generated_data(db):
    """On a small generated province: the runner's accounts, one lifecycle captured as a pgbench script, and the
    EXPLAIN of every path — no sequential scan of a large table, no filtered-out rows."""
    from cqtt.demo.generator import generate
    from tests.dossiers.conftest import at
    from tests.factories import make_commune, make_province

    province = make_province("86", "Tỉnh Vĩnh Long")
    for code in ("29500", "29501"):
        make_commune(province, code=code)
    generate(province=province, count=400, now=at(2026, 11, 20, 16, 0), seed=9)
    args = Namespace(province="86", communes=2, lookups=50, ratings=20)
    run.prepare_ratings(args)
    config = run.prepare_accounts(args)
    assert len(config["communes"]) == 2 and config["lookups"]
    # the rating scenario's tokens: returned dossiers not rated beforehand (about 30 % of them are)
    from cqtt.dossiers.models import Dossier
    from cqtt.ratings.models import Rating, RatingTally

    returned = Dossier.objects.filter(status="returned")
    assert 0 < Rating.objects.count() < returned.count()
    assert sum(RatingTally.objects.values_list("count", flat=True)) == Rating.objects.count()
    tokens = config["rating_tokens"]
    assert tokens and len(tokens) == len(set(tokens)) <= 20
    rated = set(Rating.objects.values_list("dossier__lookup_token", flat=True))
    assert not rated & set(tokens) and set(tokens) <= set(returned.values_list("lookup_token", flat=True))
    steps, ids = pgbench_lifecycle.capture_lifecycle(config["communes"][0])
    assert [name for name, _sql in steps] == [
        "receive",
        "assign",
        "approve",
        "mark-ready",
        "return-result",
        "lookup",
    ]
    script, count = pgbench_lifecycle.to_pgbench(steps, ids)
    assert count > 20 and ":d_id" in script and "\\gset d_" in script
    report = explain_paths.explain_paths(config)
    assert {r["path"] for r in report} >= {"receive", "assign", "lookup", "worklist_leader", "overview"}
    for r in report:
        assert r["explained"] > 0 and r["big_seq_scans"] == 0, r["path"]


@pytest.mark.postgres
def test_dossiers_replayed_by_pgbench_are_removed_and_tallies_recounted(db):
    from cqtt.demo.generator import generate
    from cqtt.dossiers.models import Dossier, DossierEvent, DossierTally
    from tests.dossiers.conftest import at
    from tests.factories import make_commune, make_province

    province = make_province("86", "Tỉnh Vĩnh Long")
    make_commune(province, code="29500")
    generate(province=province, count=60, now=at(2026, 11, 20, 16, 0), seed=3)
    replayed = Dossier.objects.filter(status="returned").first()
    Dossier.objects.filter(pk=replayed.pk).update(code="PGB-0-ABC")
    key = {"unit": replayed.handling_unit, "status": "returned", "timeliness": replayed.timeliness}
    before = DossierTally.objects.get(**key).count
    assert pgbench_lifecycle.remove_replayed() == 1
    assert not Dossier.objects.filter(pk=replayed.pk).exists()
    assert not DossierEvent.objects.filter(dossier_id=replayed.pk).exists()
    after = DossierTally.objects.filter(**key).values_list("count", flat=True).first() or 0
    assert after == before - 1
    assert Dossier.objects.count() == 59
