"""The SQL of one lifecycle, captured from the platform itself and replayed through pgbench.

Each bench commune's lifecycle (receive → assign → approve → mark-ready → return → public lookup) is played once
through Django's test client against the bench database with every query captured, exactly as the HTTP requests
issue them (token check, scope, locks, sequences, events, response). The captured SQL becomes one pgbench script
per commune: each HTTP request one transaction; the new dossier's id, code, lookup token and book number become
pgbench variables so every replay inserts a fresh dossier. pgbench's rate for these scripts is the database's
own limit for this work; the HTTP rate divided by it is how much of that limit the platform reaches.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

STEP_HEADER = "-- {name}"


def _capture(client, method: str, path: str, headers: dict, body: dict | None = None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # a different address per request, as from different clients (the per-address lookup limit is not the point)
    headers = headers | {"REMOTE_ADDR": f"10.9.{random.randrange(256)}.{random.randrange(1, 255)}"}
    with CaptureQueriesContext(connection) as ctx:
        if method == "post":
            response = client.post(
                path, data=json.dumps(body or {}), content_type="application/json", **headers
            )
        else:
            response = client.get(path, **headers)
    if response.status_code >= 400:
        raise RuntimeError(f"{path}: HTTP {response.status_code} {response.content[:300]!r}")
    return response, [q["sql"] for q in ctx.captured_queries]


def capture_lifecycle(commune: dict) -> tuple[list[tuple[str, list[str]]], dict]:
    """Play one lifecycle of `commune` (from bench/run.py's config); return the SQL per request and the new
    dossier's identifying values."""
    from django.test import Client

    from cqtt.dossiers.models import Dossier

    client = Client(HTTP_HOST="127.0.0.1")
    counter = {"HTTP_AUTHORIZATION": f"Token {commune['counter_token']}"}
    leader = {"HTTP_AUTHORIZATION": f"Token {commune['leader_token']}"}
    phone = "0912345678"
    intake = {
        "procedure_code": commune["procedures"][0],
        "unit_code": commune["unit"],
        "applicant": {"full_name": "Nguyễn Văn Bình", "phone": phone, "id_number": "079203001234"},
    }
    steps = []
    response, sql = _capture(client, "post", "/api/v1/dossiers/", counter, intake)
    created = response.json()
    steps.append(("receive", sql))
    version = created["version"]
    for action, body, headers in [
        ("assign", {"assignee": commune["specialist"]}, leader),
        ("approve", {}, leader),
        ("mark-ready", {}, leader),
        ("return-result", {"collected_by": "Nguyễn Văn Bình"}, counter),
    ]:
        response, sql = _capture(
            client,
            "post",
            f"/api/v1/dossiers/{created['code']}/{action}/",
            headers,
            body | {"version": version},
        )
        version = response.json()["version"]
        steps.append((action, sql))
    response, sql = _capture(
        client, "get", f"/api/v1/public/dossiers/{created['code']}/?phone_last4=5678", {}
    )
    steps.append(("lookup", sql))
    d = Dossier.objects.get(code=created["code"])
    return steps, {"id": d.pk, "code": d.code, "token": d.lookup_token, "book": d.book_number}


def to_pgbench(steps: list[tuple[str, list[str]]], ids: dict) -> tuple[str, int]:
    """A pgbench script: fresh code/token per run, the dossier id and book number taken from the statements that
    produce them (\\gset), one transaction per request."""
    lines = [
        "SELECT 'PGB-' || :client_id || '-' || upper(md5(random()::text)) AS code, md5(random()::text) AS token \\gset",
    ]
    count = 0
    id_re = re.compile(rf"(?<![\w.]){ids['id']}(?![\w.])")
    for name, statements in steps:
        lines.append(STEP_HEADER.format(name=name))
        # the captured statements include the transactions' BEGIN/COMMIT, exactly as the request ran them
        for sql in statements:
            sql = " ".join(sql.split())
            sql = sql.replace(f"'{ids['code']}'", "':code'").replace(f"'{ids['token']}'", "':token'")
            if name == "receive" and sql.startswith('INSERT INTO "dossiers_dossier" '):
                sql = _set_inserted(sql, "book_number", ":seq_last") + " \\gset d_"
            elif name == "receive" and sql.startswith('UPDATE "dossiers_yearlysequence"') and "'book'" in sql:
                sql += " \\gset seq_"
            else:
                sql = id_re.sub(":d_id", sql)
                sql = re.sub(rf'"book_number" = {ids["book"]}\b', '"book_number" = :seq_last', sql)
                sql += ";"
            lines.append(sql)
            count += 1
    return "\n".join(lines) + "\n", count


def _split_values(text: str) -> list[str]:
    """The comma-separated items of a VALUES list, commas inside quotes or parentheses left alone."""
    items, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted  # a doubled quote ('') toggles twice
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            items.append(text[start:i])
            start = i + 1
    items.append(text[start:])
    return items


def _set_inserted(sql: str, column: str, value: str) -> str:
    """`INSERT INTO t (a, b, …) VALUES (x, y, …) …` with the value of `column` replaced by `value`."""
    head, _, rest = sql.partition(" VALUES (")
    columns = [c.strip().strip('"') for c in head[head.index("(") + 1 : head.rindex(")")].split(",")]
    if column not in columns:
        return sql
    depth, quoted, end = 1, False, len(rest)
    for i, ch in enumerate(rest):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                end = i
                break
    values = _split_values(rest[:end])
    values[columns.index(column)] = f" {value}" if columns.index(column) else value
    return f"{head} VALUES ({','.join(values)}{rest[end:]}"


def run_pgbench(*, url: str, clients: int, seconds: int, out: Path) -> dict:
    config = json.loads((out / "config.json").read_text(encoding="utf-8"))
    scripts, statements = [], 0
    for i, commune in enumerate(config["communes"]):
        capture_lifecycle(commune)  # first of the day may create sequence rows; capture the steady state
        steps, ids = capture_lifecycle(commune)
        text, statements = to_pgbench(steps, ids)
        path = out / f"pgbench-lifecycle-{i:02d}.sql"
        path.write_text(text, encoding="utf-8")
        scripts.append(path)
    # simple protocol: the replayed statements carry literal values (pgbench cannot type their variables as
    # prepared parameters), so PostgreSQL plans each one; the platform's own statements are prepared (ADR 0008)
    cmd = ["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(seconds), "--no-vacuum"]
    for path in scripts:
        cmd += ["-f", f"{path}@1"]
    cmd.append(url)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    finally:
        remove_replayed()
    (out / "pgbench.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    tps = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    latency = re.search(r"latency average = ([\d.]+) ms", done.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    if done.returncode != 0 or tps is None:
        raise RuntimeError(f"pgbench failed: {done.stdout[-800:]} {done.stderr[-800:]}")
    return {
        "clients": clients,
        "tps": round(float(tps.group(1)), 1),
        "latency_ms": float(latency.group(1)) if latency else None,
        "statements": statements,
        "failed": int(failed.group(1)) if failed else 0,
        "script_example": str(scripts[0]),
    }


def remove_replayed() -> int:
    """Delete the dossiers pgbench inserted (codes `PGB-…`) with their rows, and recount the tallies their
    replayed statements moved, so the bench database stays as the generator and the HTTP runs left it."""
    from django.db import connection, transaction

    from cqtt.dossiers.models import (
        Dossier,
        DossierDocument,
        DossierEvent,
        DossierFee,
        DossierStep,
        SupplementRequest,
    )
    from cqtt.dossiers.services import dossier_tally_rebuild

    qn = connection.ops.quote_name
    replayed = f"SELECT id FROM {qn(Dossier._meta.db_table)} WHERE code LIKE 'PGB-%%'"
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (DossierEvent, DossierStep, DossierDocument, DossierFee, SupplementRequest):
            cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE dossier_id IN ({replayed})")
        cursor.execute(f"DELETE FROM {qn(Dossier._meta.db_table)} WHERE code LIKE 'PGB-%%'")
        removed = cursor.rowcount
    dossier_tally_rebuild()
    return removed
