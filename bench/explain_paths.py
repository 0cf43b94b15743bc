"""EXPLAIN of every query on the benchmarked paths: does any query read more rows than it returns?

Each path (the lifecycle's six requests, the three work lists, the unit overview, the public lookup) is played
once in-process against the bench database with its queries captured; every SELECT and UPDATE is then run again
under `EXPLAIN (ANALYZE, FORMAT JSON)` in a transaction that is rolled back. For each query the report gives the
rows it returned, the rows its scans read (including rows read and thrown away by a filter or a recheck) and
any sequential scan of a large table. Aggregates (counts) necessarily read what they count: they are listed
with the rows they aggregate, not as over-reads.
"""

from __future__ import annotations

import json
import random
import re

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

BIG = 10_000  # a sequential scan of a table this large is a finding


def _walk(node: dict, out: list[dict]) -> None:
    if "Scan" in node.get("Node Type", ""):
        loops = node.get("Actual Loops", 1) or 1
        out.append(
            {
                "type": node["Node Type"],
                "relation": node.get("Relation Name", ""),
                "returned": node.get("Actual Rows", 0) * loops,
                "removed": (
                    node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
                )
                * loops,
            }
        )
    for child in node.get("Plans", []):
        _walk(child, out)


def _is_aggregate(sql: str) -> bool:
    head = sql.split(" FROM ", 1)[0]
    return bool(re.search(r"\b(COUNT|SUM|MAX|MIN|AVG)\(", head))


def explain(sql: str, sizes: dict[str, int]) -> dict:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        transaction.set_rollback(True)
    top = plan[0]["Plan"]
    scans: list[dict] = []
    _walk(top, scans)
    big_seq = [s["relation"] for s in scans if s["type"] == "Seq Scan" and sizes.get(s["relation"], 0) >= BIG]
    read = sum(s["returned"] + s["removed"] for s in scans if sizes.get(s["relation"], 0) >= BIG)
    removed = sum(s["removed"] for s in scans if sizes.get(s["relation"], 0) >= BIG)
    return {
        "sql": sql[:160],
        "returned": top.get("Actual Rows", 0),
        "read_big": read,
        "removed_big": removed,
        "big_seq_scans": big_seq,
        "aggregate": _is_aggregate(sql),
        "ms": round(plan[0].get("Execution Time", 0.0), 2),
        "planning_ms": round(plan[0].get("Planning Time", 0.0), 2),
    }


def _play(config: dict) -> dict[str, list[str]]:
    """Capture the SQL of each benchmarked path for the first bench commune."""
    from cqtt.accounts.models import User

    c = config["communes"][0]
    paths: dict[str, list[str]] = {}

    def capture(name, call):
        with CaptureQueriesContext(connection) as ctx:
            response = call()
        assert response.status_code < 400, (name, response.status_code, response.content[:300])
        paths[name] = [q["sql"] for q in ctx.captured_queries]
        return response

    api = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR=f"10.8.{random.randrange(256)}.1")
    counter = {"HTTP_AUTHORIZATION": f"Token {c['counter_token']}"}
    leader = {"HTTP_AUTHORIZATION": f"Token {c['leader_token']}"}

    def post(path, body, headers):
        return lambda: api.post(path, data=json.dumps(body), content_type="application/json", **headers)

    intake = {
        "procedure_code": c["procedures"][0],
        "unit_code": c["unit"],
        "applicant": {"full_name": "Nguyễn Văn Bình", "phone": "0912345678", "id_number": "079203001234"},
    }
    created = capture("receive", post("/api/v1/dossiers/", intake, counter)).json()
    version = created["version"]
    for action, body, headers in [
        ("assign", {"assignee": c["specialist"]}, leader),
        ("approve", {}, leader),
        ("mark-ready", {}, leader),
        ("return-result", {"collected_by": "Nguyễn Văn Bình"}, counter),
    ]:
        path = f"/api/v1/dossiers/{created['code']}/{action}/"
        version = capture(action, post(path, body | {"version": version}, headers)).json()["version"]
    capture("lookup", lambda: api.get(f"/api/v1/public/dossiers/{created['code']}/?phone_last4=5678"))
    for role, suffix in [("counter", "mc"), ("specialist", "cv1"), ("leader", "ld")]:
        staff = Client(HTTP_HOST="127.0.0.1")
        staff.force_login(User.objects.get(username=f"gen-{c['unit']}-{suffix}"))
        staff.get("/ho-so/")  # session and cached scope as in steady use
        capture(f"worklist_{role}", lambda s=staff: s.get("/ho-so/"))
        if role == "leader":
            capture("overview", lambda s=staff: s.get("/ho-so/tong-quan/"))
        if role == "counter":
            for i, q in enumerate(
                c["searches"][:7]
            ):  # code, name, folded name, two words, ID, phone, 4 digits
                capture(f"search_commune_{i}", lambda s=staff, q=q: s.get("/ho-so/", {"q": q}))
    province = Client(HTTP_HOST="127.0.0.1")
    province.cookies["sessionid"] = config["province_session"]
    for i, q in enumerate(config["province_searches"][:7]):
        capture(f"search_province_{i}", lambda q=q: province.get("/ho-so/", {"q": q}))
    return paths


def explain_paths(config: dict) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
    report = []
    for name, statements in _play(config).items():
        results = [
            explain(sql, sizes)
            for sql in statements
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE")) and "django_session" not in sql
        ]
        over = [r for r in results if not r["aggregate"] and (r["removed_big"] or r["big_seq_scans"])]
        aggregates = [r for r in results if r["aggregate"]]
        report.append(
            {
                "path": name,
                "queries": len(statements),
                "explained": len(results),
                "over_reading": len(over),
                "big_seq_scans": sum(len(r["big_seq_scans"]) for r in results),
                "max_rows_read": max((r["read_big"] for r in results if not r["aggregate"]), default=0),
                "aggregated_rows": max((r["read_big"] for r in aggregates), default=0),
                "sql_ms": round(sum(r["ms"] for r in results), 1),
                "planning_ms": round(sum(r["planning_ms"] for r in results), 1),
                "details": results,
            }
        )
    return report
