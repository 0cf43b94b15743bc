"""Load scenarios for `make bench` (run headless by bench/run.py; one user class per scenario).

BENCH_CONFIG names the JSON written by bench/run.py (tokens, session cookies, sample lookups per commune);
BENCH_TIMINGS names the file where every request's time is written at the end, so the runner computes exact
percentiles itself.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task

CONFIG = json.load(open(os.environ["BENCH_CONFIG"], encoding="utf-8"))
COMMUNES = CONFIG["communes"]
LOOKUPS = CONFIG["lookups"]
_next_commune = itertools.count()
_timings: list[tuple[str, float, bool]] = []
_window: dict[str, float] = {}


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kw):
    _timings.append((name, response_time, exception is None))


@events.test_start.add_listener
def _start(environment, **kw):
    _window["start"] = time.time()


@events.quitting.add_listener
def _dump(environment, **kw):
    _window["stop"] = time.time()
    with open(os.environ["BENCH_TIMINGS"], "w", encoding="utf-8") as f:
        json.dump({"window": _window, "timings": _timings}, f)


def _citizen() -> dict:
    """A citizen's own address, as the reverse proxy would pass it on (rate limits are per address)."""
    return {
        "X-Forwarded-For": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    }


def _commune() -> dict:
    return COMMUNES[next(_next_commune) % len(COMMUNES)]


class _Base(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    insecure = True

    def _check(self, response, expected: int) -> bool:
        if response.status_code != expected:
            response.failure(f"HTTP {response.status_code}: {response.text[:200]}")
            return False
        return True


class LifecycleUser(_Base):
    """Counter receives → leader assigns → leader approves → result ready → counter returns → citizen looks up."""

    def on_start(self):
        self.c = _commune()
        self.counter = {"Authorization": f"Token {self.c['counter_token']}"}
        self.leader = {"Authorization": f"Token {self.c['leader_token']}"}
        self.n = 0

    def _post(self, path: str, body: dict, headers: dict, name: str, expected: int = 200) -> dict | None:
        with self.client.post(path, json=body, headers=headers, name=name, catch_response=True) as r:
            if not self._check(r, expected):
                return None
            return r.json()

    @task
    def lifecycle(self):
        c = self.c
        self.n += 1
        phone = f"09{random.randrange(10**8):08d}"
        started = time.perf_counter()
        created = self._post(
            "/api/v1/dossiers/",
            {
                "procedure_code": random.choice(c["procedures"]),
                "unit_code": c["unit"],
                "applicant": {"full_name": "Nguyễn Văn Bình", "phone": phone, "id_number": "079203001234"},
            },
            self.counter,
            "1 tiếp nhận (receive)",
            201,
        )
        ok = created is not None
        steps = [
            ("assign", {"assignee": c["specialist"]}, self.leader, "2 phân công (assign)"),
            ("approve", {}, self.leader, "3 phê duyệt (approve)"),
            ("mark-ready", {}, self.leader, "4 có kết quả (mark-ready)"),
            ("return-result", {"collected_by": "Nguyễn Văn Bình"}, self.counter, "5 trả kết quả (return)"),
        ]
        version = created["version"] if ok else None
        for action, body, headers, name in steps:
            if not ok:
                break
            out = self._post(
                f"/api/v1/dossiers/{created['code']}/{action}/", body | {"version": version}, headers, name
            )
            ok = out is not None
            version = out["version"] if ok else None
        if ok:
            with self.client.get(
                f"/api/v1/public/dossiers/{created['code']}/?phone_last4={phone[-4:]}",
                headers=_citizen(),
                name="6 tra cứu (lookup)",
                catch_response=True,
            ) as r:
                ok = self._check(r, 200) and r.json()["status"] == "returned"
        events.request.fire(
            request_type="FLOW",
            name="lifecycle",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=None if ok else RuntimeError("lifecycle failed"),
            context={},
        )


class WorklistUser(_Base):
    """Staff opening their work list page: counter officer, specialist, leader of a commune."""

    def on_start(self):
        self.c = _commune()

    @task
    def worklist(self):
        role = random.choice(["counter", "specialist", "leader"])
        with self.client.get(
            "/ho-so/",
            headers={"Cookie": f"sessionid={self.c['sessions'][role]}"},
            allow_redirects=False,
            name=f"worklist {role}",
            catch_response=True,
        ) as r:
            self._check(r, 200)


class OverviewUser(_Base):
    """A commune leader's unit overview (counts by state, on-time rate, overdue, at risk)."""

    def on_start(self):
        self.c = _commune()

    @task
    def overview(self):
        with self.client.get(
            "/ho-so/tong-quan/",
            headers={"Cookie": f"sessionid={self.c['sessions']['leader']}"},
            allow_redirects=False,
            name="overview commune",
            catch_response=True,
        ) as r:
            self._check(r, 200)


class ProvinceOverviewUser(_Base):
    """The provincial supervisor's overview over every dossier of the province."""

    @task
    def overview(self):
        with self.client.get(
            "/ho-so/tong-quan/",
            headers={"Cookie": f"sessionid={CONFIG['province_session']}"},
            allow_redirects=False,
            name="overview province",
            catch_response=True,
        ) as r:
            self._check(r, 200)


class LookupUser(_Base):
    """Citizens looking up existing dossiers by code + last 4 phone digits."""

    @task
    def lookup(self):
        code, last4 = random.choice(LOOKUPS)
        with self.client.get(
            f"/api/v1/public/dossiers/{code}/?phone_last4={last4}",
            headers=_citizen(),
            name="lookup",
            catch_response=True,
        ) as r:
            self._check(r, 200)


class SearchUser(_Base):
    """Staff finding a dossier with the work list's search box (code, name, ID number, phone, last digits):
    the page and the API of a commune's counter officer, and the page of the provincial supervisor."""

    def on_start(self):
        self.c = _commune()

    @task
    def search(self):
        where = random.random()
        if where < 0.2:
            q = random.choice(CONFIG["province_searches"])
            path, headers, name = (
                "/ho-so/",
                {"Cookie": f"sessionid={CONFIG['province_session']}"},
                "search page province",
            )
        else:
            q = random.choice(self.c["searches"])
            if where < 0.6:
                path, headers, name = (
                    "/ho-so/",
                    {"Cookie": f"sessionid={self.c['sessions']['counter']}"},
                    "search page commune",
                )
            else:
                path, headers, name = (
                    "/api/v1/dossiers/",
                    {"Authorization": f"Token {self.c['counter_token']}"},
                    "search api commune",
                )
        with self.client.get(
            f"{path}?{urlencode({'q': q})}",
            headers=headers,
            allow_redirects=False,
            name=name,
            catch_response=True,
        ) as r:
            self._check(r, 200)


# the warm-up rates the first fifth of the tokens, the measured run the rest: no dossier is rated twice
_all_tokens = CONFIG.get("rating_tokens", [])
_rating_tokens = iter(
    _all_tokens[: len(_all_tokens) // 5]
    if os.environ.get("BENCH_PHASE") == "warmup"
    else _all_tokens[len(_all_tokens) // 5 :]
)


class RatingUser(_Base):
    """Citizens rating a returned dossier by its link (each token once: a second rating would be a 409)."""

    @task
    def rate(self):
        token = next(_rating_tokens, None)
        if token is None:
            time.sleep(0.1)
            return
        body = {
            "token": token,
            "level": random.choice(["very_satisfied", "satisfied", "neutral"]),
            "reasons": [],
        }
        with self.client.post(
            "/api/v1/public/ratings/", json=body, headers=_citizen(), name="rating", catch_response=True
        ) as r:
            self._check(r, 201)


class RatingSummaryUser(_Base):
    """The rating summary of a quarter: a commune's leader, or the province's supervisor one time in five."""

    def on_start(self):
        self.c = _commune()

    @task
    def summary(self):
        if random.random() < 0.2:
            unit, token, name = CONFIG["province"], CONFIG["province_token"], "rating summary province"
        else:
            unit, token, name = self.c["unit"], self.c["leader_token"], "rating summary commune"
        with self.client.get(
            f"/api/v1/ratings/summary/?{urlencode({'unit': unit, 'period': CONFIG['period']})}",
            headers={"Authorization": f"Token {token}"},
            name=name,
            catch_response=True,
        ) as r:
            self._check(r, 200)


WORDS = (
    "đèn đường hỏng vỉa hè lấn chiếm rác thải cống tắc ngập nước tiếng ồn biển báo cây xanh hẻm chợ trường học "
    "trạm y tế giờ tiếp dân thủ tục giấy tờ hướng dẫn cán bộ nhiệt tình chậm trễ"
).split()


class FeedbackUser(_Base):
    """Citizens sending feedback to a commune through the public API (each from its own address and phone)."""

    @task
    def send(self):
        body = {
            "unit_code": random.choice(COMMUNES)["unit"],
            "kind": random.choice(["report", "recommendation", "suggestion", "commendation"]),
            "content": " ".join(random.choice(WORDS) for _ in range(random.randint(12, 40))).capitalize()
            + ".",
            "name": "Người dân thử tải",
            "phone": f"09{random.randrange(10**8):08d}",
            "publish_consent": random.random() < 0.5,
        }
        with self.client.post(
            "/api/v1/public/feedback/", json=body, headers=_citizen(), name="feedback", catch_response=True
        ) as r:
            self._check(r, 201)
