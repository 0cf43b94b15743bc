"""Demo surveys: in the demo leader's ward, the "friendly government" satisfaction form (PKS07) run before the
model (closed) and after it (open, compared with the first), each with enough answers — online and typed in from
paper — for every chart to show (at least 5 per cell), and an open "after each result" campaign (PKS04) whose QR
can be printed. Answers go through the surveys' own service; a fixed seed makes the same answers every time."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from cqtt.accounts.models import User
from cqtt.surveys import rules, selectors, services
from cqtt.surveys.defaults import load_default_forms
from cqtt.surveys.models import Campaign, Channel, SurveyForm
from cqtt.units.models import Unit

HOME = "25747"
TEXTS = [
    "Nên bố trí thêm ghế ngồi chờ vào buổi sáng.",
    "Cán bộ hướng dẫn nhiệt tình, cảm ơn phường.",
    "Mong có thêm chỗ để xe cho người dân.",
    "Thông báo lịch tiếp dân sớm hơn trên loa phường.",
]


def _value(q: rules.Q, rnd: random.Random, lean: int):
    """An answer leaning towards level `lean` (1–5) on the scales."""
    if q.type in (rules.T.LIKERT, rules.T.LIKERT_MATRIX):
        level = min(5, max(1, round(rnd.gauss(lean, 0.6))))
        return str(level)
    if q.type == rules.T.SELECT_ONE:
        weights = [3 if i == 0 else (2 if i == 1 else 1) for i in range(len(q.choices))]
        return rnd.choices([c["value"] for c in q.choices], weights=weights)[0]
    if q.type == rules.T.SELECT_MULTIPLE:
        return [c["value"] for c in q.choices[:2] if rnd.random() < 0.7] or [q.choices[0]["value"]]
    if q.type == rules.T.INTEGER:
        lo = q.min_value if q.min_value is not None else 1
        return str(min(q.max_value or 5, lo + rnd.choice([0, 0, 1, 1, 2])))
    if q.type == rules.T.TEXTAREA:
        return rnd.choice(TEXTS) if rnd.random() < 0.3 else ""
    return ""


def _answers(questions: list[rules.Q], rnd: random.Random, lean: int) -> dict:
    out: dict = {}
    for q in questions:
        if q.type == rules.T.LIKERT_MATRIX:
            for k in q.keys():
                out[k] = _value(q, rnd, lean)
        elif q.answers_something:
            value = _value(q, rnd, lean)
            if value not in ("", []):
                out[q.key] = value
    return out


def _without_small_cells(questions: list[rules.Q], sets: list[dict]) -> list[dict]:
    """The answer sets with each value that fewer than MIN_CELL kept answers give replaced by the most common
    value of its key, so that no cell is hidden and every mean is shown. Question by question in form order: a
    show-if names only earlier questions, so a change never reaches back."""
    for q in questions:
        if q.type not in (rules.T.SELECT_ONE, rules.T.SELECT_MULTIPLE, rules.T.LIKERT, rules.T.LIKERT_MATRIX):
            continue
        for k in q.keys():
            counter: Counter = Counter()
            for a in sets:
                value = rules.visible(questions, a)[1].get(k)
                counter.update(value if isinstance(value, list) else [] if value is None else [value])
            if sum(counter.values()) < rules.MIN_CELL:
                continue
            common = counter.most_common(1)[0][0]
            rare = {v for v, n in counter.items() if n < rules.MIN_CELL}
            for a in sets:
                value = a.get(k)
                if isinstance(value, list):
                    a[k] = list(dict.fromkeys(common if v in rare else v for v in value))
                elif value in rare:
                    a[k] = common
    return sets


def _fill(campaign: Campaign, *, n: int, lean: int, day: dt.date, clerk: User | None, seed: int) -> None:
    rnd = random.Random(seed)
    questions = selectors.form_rules(campaign.form)
    sets = _without_small_cells(questions, [_answers(questions, rnd, lean) for _ in range(n)])
    for i, answers in enumerate(sets):
        paper = clerk is not None and i % 4 == 0
        services.response_submit(
            campaign=campaign,
            answers=answers,
            channel=Channel.PAPER if paper else Channel.ONLINE,
            entered_by=clerk if paper else None,
            today=day,
        )


def load_demo_surveys(*, units: list[Unit], now: dt.datetime | None = None) -> int:
    """Returns the number of campaigns created (0 when they are there already)."""
    home = next((u for u in units if u.code == HOME), None)
    if home is None or Campaign.objects.filter(unit=home).exists():
        return 0
    load_default_forms()
    today = timezone.localdate(now or timezone.now())
    form = SurveyForm.objects.get(code="PKS07", unit__isnull=True)
    clerk = User.objects.filter(username="motcua").first()
    before = services.campaign_create(
        actor=None,
        form=form,
        unit=home,
        kind="before_model",
        title="Khảo sát trước khi xây dựng mô hình chính quyền thân thiện",
        starts_on=today - dt.timedelta(days=200),
        ends_on=today - dt.timedelta(days=170),
    )
    before = services.campaign_open(actor=None, campaign=before)
    _fill(before, n=40, lean=3, day=before.starts_on + dt.timedelta(days=5), clerk=clerk, seed=7)
    services.campaign_close(actor=None, campaign=before)
    after = services.campaign_create(
        actor=None,
        form=form,
        unit=home,
        kind="after_model",
        title="Khảo sát sau khi xây dựng mô hình chính quyền thân thiện",
        starts_on=today - dt.timedelta(days=20),
        ends_on=today + dt.timedelta(days=40),
        paired_with=before,
    )
    after = services.campaign_open(actor=None, campaign=after)
    _fill(after, n=45, lean=4, day=today, clerk=clerk, seed=11)
    result = services.campaign_create(
        actor=None,
        form=SurveyForm.objects.get(code="PKS04", unit__isnull=True),
        unit=home,
        kind="after_result",
        title="Ý kiến sau khi nhận kết quả thủ tục hành chính",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=365),
    )
    services.campaign_open(actor=None, campaign=result)
    return 3
