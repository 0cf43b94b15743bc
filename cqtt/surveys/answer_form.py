"""The answer form as a page (public, and the paper entry of the staff): the posted fields read back into answers,
and the questions laid out by section with their typed values and their errors. Without JavaScript every
question is shown and the server's check decides; with it (static/surveys/survey.js) the show-if trees hide what
does not apply, evaluated as `rules.visible` does."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import rules

T = rules.T


def answers_from_post(questions: list[rules.Q], post) -> dict:
    out: dict = {}
    for q in questions:
        for k in q.keys():
            if q.type == T.SELECT_MULTIPLE:
                values = [v for v in post.getlist(k) if v]
                if values:
                    out[k] = values
            else:
                value = post.get(k, "")
                if value.strip():
                    out[k] = value
    return out


@dataclass
class Item:
    q: rules.Q
    number: int
    value: object = None
    errors: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # a matrix's rows: {value, label, key, selected, errors}

    @property
    def tree_json(self) -> str:
        return json.dumps(self.q.tree or [], ensure_ascii=False)

    @property
    def selected(self) -> set:
        if isinstance(self.value, list):
            return set(self.value)
        return {self.value} if self.value not in (None, "") else set()

    @property
    def error_id(self) -> str:
        return f"err-{self.q.key}"


@dataclass
class Section:
    q: rules.Q | None
    items: list[Item] = field(default_factory=list)

    @property
    def tree_json(self) -> str:
        return json.dumps((self.q.tree if self.q else None) or [], ensure_ascii=False)


def layout(questions: list[rules.Q], values: dict | None = None, errors: dict | None = None) -> list[Section]:
    values, errors = values or {}, errors or {}
    sections = [Section(None)]
    number = 0
    for q in questions:
        if q.type == T.SECTION:
            sections.append(Section(q))
            continue
        if q.answers_something:
            number += 1
        item = Item(q=q, number=number, value=values.get(q.key), errors=list(errors.get(q.key, [])))
        if q.type == T.LIKERT_MATRIX:
            for r in q.rows:
                k = f"{q.key}.{r['value']}"
                item.rows.append(
                    {
                        "value": r["value"],
                        "label": r["label"],
                        "key": k,
                        "id": k.replace(".", "-"),
                        "selected": values.get(k),
                        "errors": errors.get(k, []),
                    }
                )
            item.errors += [e for r in item.rows for e in r["errors"]]
        sections[-1].items.append(item)
    return [s for s in sections if s.q is not None or s.items]


def first_error_key(errors: dict) -> str | None:
    return next(iter(errors), None)
