"""What a report says, read once and laid out twice (xlsx and PDF; ADR 0024).

`report_content` gathers the facts of a unit and, for a province, of each of its communes, from the read model
only, plus the catalogue's count of procedures, the criteria cycles and the outreach sessions; it calls
`progress(done, total)` as it goes, so the task can show it. `report_xlsx` and `report_pdf` lay the same
content out; both carry the same charts (vl-convert, from `charts`).

Contents of the one-stop report follow TT 01/2018/TT-VPCP Art. 11 (legal-spec §1.9): implementation (the
procedures received at the one-stop, of which online), reception and resolution statistics, evaluation results
(the nine indicators and the unit's band), proposals. The model's review report adds the friendly-government
scorecard (satisfaction, feedback answered on time, letters by kind, dialogue commitments kept), the QĐ 766
figures (a local early warning, never the official DVCQG score), the criteria cycles, the outreach sessions and,
for a province, its roll-out targets."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cqtt.core.xlsx import workbook_as_text
from cqtt.dossiers.printouts.printing import fmt_date, fmt_datetime, place_and_date, render_pdf
from cqtt.letters.models import LetterKind
from cqtt.procedures.models import OnlineLevel, Procedure
from cqtt.procedures.selectors import in_force_q
from cqtt.units.models import Unit, UnitLevel

from . import charts, indices, selectors
from .criteria_models import Assessment, OutreachSession
from .criteria_selectors import recognised_units, targets_progress
from .indices import Period
from .reports_models import Report, ReportKind

Progress = Callable[[int, int], None]

# The steps after the units' rows: the charts, the workbook, the PDF.
TAIL_STEPS = 3


def _rate(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def unit_row(unit: Unit, facts: dict, period: Period) -> dict:
    """One unit's line of the report tables."""
    card = indices.scorecard(facts, period)
    scores = indices.tt01_scores(facts)
    tt01_total = indices.tt01_total([s for s, _n in scores.values()])
    groups = indices.qd766_groups(facts)
    return {
        "code": unit.code,
        "name": unit.full_name or unit.name,
        "received": facts["received"],
        "online": facts["online"],
        "finished": facts["finished"],
        "early": facts["early"],
        "on_time": facts["on_time"],
        "late": facts["late"],
        "on_time_rate": _rate(card["on_time_rate"]),
        "rated": facts["rated"],
        "satisfaction_rate": _rate(card["satisfaction_rate"]),
        "feedback_received": facts["feedback_received"],
        "feedback_on_time_rate": _rate(card["feedback_on_time_rate"]),
        "letters": card["letters"],
        "letters_total": sum(card["letters"].values()),
        "commitments_due": facts["commitments_due"],
        "commitments_kept": facts["commitments_kept"],
        "tt01": [scores[n][0] for n in sorted(scores)],
        "tt01_total": tt01_total,
        "tt01_band": "" if tt01_total is None else str(indices.unit_band(tt01_total)),
        "qd766_total": indices.qd766_total(groups),
    }


def _procedures(unit: Unit, on: dt.date) -> dict:
    """Procedures in force that the unit (or a unit below it) carries out, by online level."""
    qs = Procedure.objects.filter(in_force_q(on), units__path__startswith=unit.path).distinct()
    by_level = dict(qs.values_list("online_level").annotate(n=Count("pk", distinct=True)).order_by())
    return {
        "total": sum(by_level.values()),
        "levels": [(str(level.label), by_level.get(level.value, 0)) for level in OnlineLevel],
        "online": by_level.get(OnlineLevel.TOAN_TRINH, 0) + by_level.get(OnlineLevel.MOT_PHAN, 0),
    }


def _last_day(period: Period) -> dt.date:
    return period.end - dt.timedelta(days=1)  # calendar arithmetic on a month boundary, not a deadline


def _model_parts(unit: Unit, period: Period, is_province: bool) -> dict:
    """The criteria cycles, outreach sessions and, for a province, the roll-out targets."""
    last = _last_day(period)
    assessments = list(
        Assessment.objects.filter(
            unit__path__startswith=unit.path, cycle__starts_on__lte=last, cycle__ends_on__gte=period.start
        )
        .select_related("unit", "cycle")
        .order_by("cycle__starts_on", "unit__path")
    )
    outreach = OutreachSession.objects.filter(
        unit__path__startswith=unit.path, held_on__gte=period.start, held_on__lte=last
    ).aggregate(sessions=Count("pk"), attendees=Sum("attendees"))
    out = {
        "assessments": assessments,
        "outreach_sessions": outreach["sessions"] or 0,
        "outreach_attendees": outreach["attendees"] or 0,
        "targets": [],
        "recognised": None,
    }
    if is_province:
        out["targets"] = targets_progress(province=unit, today=last)
        out["recognised"] = recognised_units(province=unit, on=last)
    return out


def report_content(report: Report, progress: Progress | None = None) -> dict:
    """Everything the report shows, with its charts' specs."""
    progress = progress or (lambda done, total: None)
    unit, period = report.unit, indices.parse_period(report.period)
    is_province = unit.level == UnitLevel.PROVINCE
    communes = list(selectors.province_communes(unit)) if is_province else []
    total_steps = len(communes) + TAIL_STEPS
    progress(0, total_steps)
    facts, own = selectors.commune_facts(province=unit, period=period) if is_province else ({}, None)
    rows = []
    for i, commune in enumerate(communes, start=1):
        rows.append(unit_row(commune, facts.get(commune.pk) or selectors.empty_facts(), period))
        if i % 10 == 0 or i == len(communes):
            progress(i, total_steps)
    if own and any(own.values()):  # the province's own departments, in no commune: a row of their own
        rows.append(
            {**unit_row(unit, own, period), "code": unit.code, "name": _("Cấp tỉnh (sở, ban, ngành)")}
        )
    whole = selectors.facts_of(unit=unit, period=period)
    document = selectors.indicators_from(whole, period)
    summary = unit_row(unit, whole, period)
    ranking = sorted(
        (r for r in rows if r["qd766_total"] is not None and r["code"] != unit.code),
        key=lambda r: (-r["qd766_total"], r["code"]),
    )
    for rank, r in enumerate(ranking, start=1):
        r["rank"] = rank
    trends = selectors.unit_trends(unit=unit, day=_last_day(period))
    letter_labels = {k.value: str(k.label) for k in LetterKind}
    specs = {
        "rates": charts.trend_rates(trends, width=460, height=200),
        "letters": charts.letters_by_kind(summary["letters"], letter_labels, width=420),
    }
    if ranking:
        specs["ranking"] = charts.ranking_bars(
            [{"rank": r["rank"], "name": r["name"], "total": r["qd766_total"]} for r in ranking], width=400
        )
    return {
        "report": report,
        "kind": report.kind,
        "kind_label": str(ReportKind(report.kind).label),
        "unit": unit,
        "period": period,
        "is_province": is_province,
        "generated_at": timezone.now(),
        "summary": summary,
        "rows": rows,
        "ranking": ranking,
        "tt01": document["tt01"],
        "tt01_summary": selectors.tt01_summary(document),
        "qd766": document["qd766"],
        "qd766_total": document["total"],
        "formula_version": indices.FORMULA_VERSION,
        "procedures": _procedures(unit, _last_day(period)),
        "letter_labels": letter_labels,
        "trends": trends,
        "specs": specs,
        "model": _model_parts(unit, period, is_province) if report.kind == ReportKind.MODEL_REVIEW else None,
        "proposals": report.proposals,
        "steps": (len(communes), total_steps),
    }


# --- the workbook ----------------------------------------------------------------------------------------------


def _autosize(ws, widths: dict[str, int]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[column].width = width


def report_xlsx(content: dict) -> bytes:
    """The report as a workbook: a summary sheet, the units' statistics, the TT 01 indicators, QĐ 766, the model's
    parts (review report) and the charts as images."""
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tổng hợp")
    unit, period, s = content["unit"], content["period"], content["summary"]
    ws.append([content["kind_label"]])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Đơn vị"), unit.full_name])
    ws.append([_("Kỳ báo cáo"), period.label])
    ws.append([_("Lập lúc"), fmt_datetime(content["generated_at"])])
    ws.append([])
    p = content["procedures"]
    lines = [
        (_("Thủ tục hành chính tiếp nhận tại bộ phận một cửa"), p["total"]),
        *((_("— mức %(level)s") % {"level": label}, n) for label, n in p["levels"]),
        (_("Hồ sơ tiếp nhận"), s["received"]),
        (_("— trong đó trực tuyến"), s["online"]),
        (_("Hồ sơ đã giải quyết"), s["finished"]),
        (_("— trước hạn"), s["early"]),
        (_("— đúng hạn"), s["on_time"]),
        (_("— quá hạn"), s["late"]),
        (_("Tỷ lệ đúng hạn (%)"), s["on_time_rate"]),
        (_("Lượt đánh giá"), s["rated"]),
        (_("Tỷ lệ hài lòng (%)"), s["satisfaction_rate"]),
        (_("Phản ánh, kiến nghị tiếp nhận"), s["feedback_received"]),
        (_("Tỷ lệ trả lời phản ánh đúng hạn (%)"), s["feedback_on_time_rate"]),
        (_("Tổng điểm TT 01/2018 (các chỉ số có dữ liệu)"), content["tt01_summary"]["total"]),
        (_("Xếp loại TT 01/2018"), str(content["tt01_summary"]["band"] or "")),
        (
            _("Điểm QĐ 766 (%(v)s, không phải điểm chính thức của Cổng DVCQG)")
            % {"v": content["formula_version"]},
            content["qd766_total"],
        ),
    ]
    if content["model"]:
        m = content["model"]
        lines += [
            *((content["letter_labels"][k], n) for k, n in s["letters"].items()),
            (_("Cam kết đối thoại đến hạn"), s["commitments_due"]),
            (_("Cam kết thực hiện đúng hạn"), s["commitments_kept"]),
            (_("Buổi tuyên truyền"), m["outreach_sessions"]),
            (_("Lượt người tham dự"), m["outreach_attendees"]),
        ]
        if m["recognised"] is not None:
            lines.append((_("Đơn vị đã được công nhận đạt mô hình"), m["recognised"]))
    for label, value in lines:
        ws.append([label, _na(value)])
    if content["proposals"]:
        ws.append([])
        ws.append([_("Kiến nghị, đề xuất"), content["proposals"]])
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    _autosize(ws, {"A": 58, "B": 40})

    ws = wb.create_sheet(_("Một cửa"))
    head = [
        _("Mã"),
        _("Đơn vị"),
        _("Tiếp nhận"),
        _("Trực tuyến"),
        _("Đã giải quyết"),
        _("Trước hạn"),
        _("Đúng hạn"),
        _("Quá hạn"),
        _("Tỷ lệ đúng hạn (%)"),
        _("Lượt đánh giá"),
        _("Tỷ lệ hài lòng (%)"),
    ]
    ws.append(head)
    for c in ws[1]:
        c.font = bold
    for r in [*content["rows"], s]:
        ws.append(
            [
                r["code"],
                r["name"],
                r["received"],
                r["online"],
                r["finished"],
                r["early"],
                r["on_time"],
                r["late"],
                _na(r["on_time_rate"]),
                r["rated"],
                _na(r["satisfaction_rate"]),
            ]
        )
    ws.cell(ws.max_row, 2).font = bold
    _autosize(ws, {"A": 10, "B": 36})

    ws = wb.create_sheet(_("TT 01-2018"))
    ws.append([_("Mã"), _("Đơn vị"), *(f"{_('Chỉ số')} {n}" for n in range(1, 10)), _("Tổng"), _("Xếp loại")])
    for c in ws[1]:
        c.font = bold
    for r in [*content["rows"], s]:
        ws.append([r["code"], r["name"], *(_na(v) for v in r["tt01"]), _na(r["tt01_total"]), r["tt01_band"]])
    ws.append([])
    for row in content["tt01"]:
        ws.append([f"{_('Chỉ số')} {row['number']}", row["name"]])
    _autosize(ws, {"A": 10, "B": 36})

    ws = wb.create_sheet(_("QĐ 766"))
    ws.append([_("Nhóm"), _("Chỉ số thành phần"), _("Tỷ lệ"), _("Điểm"), _("Tối đa"), _("Ghi chú")])
    for c in ws[1]:
        c.font = bold
    for g in content["qd766"]:
        ws.append([g["group"], g["name"], None, _na(g["points"]), g["max"]])
        ws.cell(ws.max_row, 2).font = bold
        for comp in g["components"]:
            ws.append(
                [
                    comp["code"],
                    comp["name"],
                    _na(comp["rate"]),
                    _na(comp["points"]),
                    comp["max"],
                    comp["note"],
                ]
            )
    if content["ranking"]:
        ws.append([])
        ws.append([_("Hạng"), _("Đơn vị"), _("Điểm QĐ 766")])
        for r in content["ranking"]:
            ws.append([r["rank"], r["name"], r["qd766_total"]])
    _autosize(ws, {"A": 8, "B": 52, "F": 22})

    if content["model"]:
        ws = wb.create_sheet(_("Mô hình"))
        kinds = list(content["letter_labels"])
        ws.append(
            [
                _("Mã"),
                _("Đơn vị"),
                _("Tỷ lệ hài lòng (%)"),
                _("Trả lời phản ánh đúng hạn (%)"),
                *(content["letter_labels"][k] for k in kinds),
                _("Cam kết đến hạn"),
                _("Cam kết đúng hạn"),
            ]
        )
        for c in ws[1]:
            c.font = bold
        for r in [*content["rows"], s]:
            ws.append(
                [
                    r["code"],
                    r["name"],
                    _na(r["satisfaction_rate"]),
                    _na(r["feedback_on_time_rate"]),
                    *(r["letters"][k] for k in kinds),
                    r["commitments_due"],
                    r["commitments_kept"],
                ]
            )
        m = content["model"]
        ws.append([])
        ws.append(
            [
                _("Đợt đánh giá"),
                _("Đơn vị"),
                _("Tự chấm"),
                _("Đoàn kiểm tra"),
                _("Kết quả"),
                _("Quyết định công nhận"),
            ]
        )
        for a in m["assessments"]:
            ws.append(
                [
                    a.cycle.name,
                    a.unit.full_name,
                    _na(a.self_total),
                    _na(a.inspection_total),
                    a.get_status_display(),
                    _decision(a),
                ]
            )
        if m["targets"]:
            ws.append([])
            ws.append([_("Mục tiêu nhân rộng"), _("Hạn"), _("Cần đạt"), _("Đã đạt"), _("Tiến độ (%)")])
            for t in m["targets"]:
                ws.append(
                    [
                        t.target.name,
                        t.target.due_on.strftime("%d/%m/%Y"),
                        t.progress.wanted,
                        t.progress.recognised,
                        _na(None if t.progress.fraction is None else round(100 * t.progress.fraction, 1)),
                    ]
                )
        _autosize(ws, {"A": 30, "B": 36})

    ws = wb.create_sheet(_("Biểu đồ"))
    anchor = 1
    for spec in content["specs"].values():
        image = Image(io.BytesIO(charts.to_png(spec)))
        image.width, image.height = image.width // 2, image.height // 2  # drawn at scale 2
        ws.add_image(image, f"A{anchor}")
        anchor += image.height // 20 + 2
    workbook_as_text(wb)  # a proposal or a name typed as "=…" stays text
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _na(value):
    """A cell's value; no data is written as the words, not as zero."""
    return str(indices.NO_DATA) if value is None else (float(value) if hasattr(value, "as_tuple") else value)


def _decision(a) -> str:
    if not a.decision_number:
        return ""
    return _("QĐ số %(n)s ngày %(d)s") % {
        "n": a.decision_number,
        "d": a.decision_date.strftime("%d/%m/%Y") if a.decision_date else "",
    }


# --- the PDF ---------------------------------------------------------------------------------------------------


def report_pdf(content: dict) -> bytes:
    """The report in the administrative-document layout (ND 30/2020), charts drawn on the server."""
    unit = content["unit"]
    head = {
        "parent": "",
        "body": _("ỦY BAN NHÂN DÂN\n%(u)s") % {"u": unit.full_name.upper()},
        "number": "",
        "place_date": place_and_date(unit, timezone.localdate()),
    }
    today = timezone.localdate(content["generated_at"])
    images = {name: charts.to_svg_data_uri(spec) for name, spec in content["specs"].items()}
    extra = {
        "head": head,
        "images": images,
        "period_text": period_text(content["period"]),
        "generated_text": fmt_datetime(content["generated_at"]),
        "partial_until": fmt_date(today) if content["period"].end > today else "",
    }
    return render_pdf("evaluation/reports/print.html", {**content, **extra})


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_text(period: Period) -> str:
    """'quý III năm 2026', 'năm 2026', 'tháng 11 năm 2026'."""
    label = period.label
    if "Q" in label:
        return _("quý %(q)s năm %(y)s") % {"q": ROMAN[int(label[-1])], "y": label[:4]}
    if "-" in label:
        return _("tháng %(m)s năm %(y)s") % {"m": int(label[5:7]), "y": label[:4]}
    return _("năm %(y)s") % {"y": label}


def report_outputs(content: dict, progress: Progress) -> tuple[bytes, bytes]:
    """The workbook and the PDF, in the site's language whatever the worker's."""
    communes, total = content["steps"]
    with translation.override(settings.LANGUAGE_CODE):
        progress(communes + 1, total)
        xlsx = report_xlsx(content)
        progress(communes + 2, total)
        pdf = report_pdf(content)
    return xlsx, pdf
