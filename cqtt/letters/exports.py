"""The letters' register (sổ) as a spreadsheet."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from cqtt.dossiers.printouts.printing import fmt_date


def register_xlsx(letters, *, unit, year: int) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Sổ thư %(y)s") % {"y": year}
    ws.append([_("SỔ ĐĂNG KÝ THƯ — %(u)s — NĂM %(y)s") % {"u": unit.full_name.upper(), "y": year}])
    ws["A1"].font = Font(bold=True)
    header = [
        _("Số/ký hiệu"),
        _("Ngày ký"),
        _("Loại thư"),
        _("Kính gửi"),
        _("Hồ sơ"),
        _("Người ký"),
        _("Gửi qua"),
        _("Trạng thái"),
        _("Quá hạn"),
    ]
    ws.append(header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for x in letters:
        ws.append(
            [
                x.number_text,
                fmt_date(x.signed_at),
                x.title or x.get_kind_display(),
                x.recipient_name,
                x.dossier.code if x.dossier_id else "",
                x.signer.get_full_name() if x.signer_id else "",
                x.get_channel_display(),
                x.get_status_display(),
                _("có") if x.late else "",
            ]
        )
    for col, width in zip("ABCDEFGHI", (16, 12, 34, 28, 20, 24, 30, 16, 8), strict=True):
        ws.column_dimensions[col].width = width
    ws.append([])
    ws.append([_("Xuất lúc %(t)s") % {"t": timezone.localtime().strftime("%H:%M %d/%m/%Y")}])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
