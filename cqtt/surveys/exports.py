"""A campaign's raw answers as a spreadsheet: one row per form, in no meaningful order within a day; a value given
fewer than 5 times in its column is written "< 5" (with the next least given, as the results hide cells), and so
is, in that row, every answer to a question asked on such a value; free-text answers only for the unit's
leaders; never who typed a paper form."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cqtt.core.xlsx import as_text

from . import rules
from .models import Campaign, Channel, Response
from .selectors import form_rules

T = rules.T


def answers_xlsx(campaign: Campaign, *, free_text: bool) -> bytes:
    form = form_rules(campaign.form)
    questions = [q for q in form if q.answers_something]
    if not free_text:
        questions = [q for q in questions if q.type not in (T.TEXT, T.TEXTAREA)]
    rows = list(
        Response.objects.filter(campaign=campaign)
        .order_by("submitted_on", "pk")
        .values_list("submitted_on", "channel", "answers")
    )
    rare = rules.export_cell_values(questions, [a for _d, _c, a in rows])
    wb = Workbook()
    ws = wb.active
    ws.title = _("Phiếu trả lời")
    ws.append([campaign.title])
    ws["A1"].font = Font(bold=True)
    ws.append(
        [
            _(
                "Giá trị có ít hơn %(n)s phiếu (cùng giá trị ít phiếu kế tiếp) và câu trả lời của các câu chỉ "
                "hỏi khi có giá trị đó được ghi «< 5» để giữ bí mật người trả lời."
            )
            % {"n": rules.MIN_CELL}
        ]
    )
    columns: list[tuple[str, rules.Q, str]] = []
    for q in questions:
        if q.type == T.LIKERT_MATRIX:
            columns += [(f"{q.key}.{r['value']}", q, f"{q.label} — {r['label']}") for r in q.rows]
        else:
            columns.append((q.key, q, q.label))
    ws.append([_("Ngày"), _("Hình thức"), *[label for _k, _q, label in columns]])
    ws.append(["", "", *[k for k, _q, _l in columns]])
    for cell in [*ws[3], *ws[4]]:
        cell.font = Font(bold=True)
    for day, channel, answers in rows:
        line = [day.strftime("%d/%m/%Y"), str(Channel(channel).label)]
        masked = rules.export_masked(form, answers, rare)
        for k, q, _label in columns:
            value = answers.get(k)
            if q.key in masked and q.type not in (T.TEXT, T.TEXTAREA):
                line.append(rules.SUPPRESSED)
            elif value is None:
                line.append("")
            elif q.type in (T.TEXT, T.TEXTAREA):
                line.append(value)
            elif isinstance(value, list):
                line.append(
                    "; ".join(rules.SUPPRESSED if v in rare.get(k, ()) else q.choice_label(v) for v in value)
                )
            elif value in rare.get(k, ()):
                line.append(rules.SUPPRESSED)
            else:
                line.append(value if q.type == T.INTEGER else q.choice_label(value))
        ws.append(line)
        as_text(ws[ws.max_row])
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 24
    ws.append([])
    ws.append([_("Xuất lúc %(t)s") % {"t": timezone.localtime().strftime("%H:%M %d/%m/%Y")}])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
