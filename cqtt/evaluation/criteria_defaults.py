"""The built-in criteria sets (Bình Dương's criteria a–d, Thanh Hóa's "5 biết, 3 không, 4 thể hiện", Đồng Nai's
"4 xin, 4 luôn, 5 không"), loaded after `migrate` when missing. The plans name the criteria but give no points:
the weights (100 in all) and the pass mark (80) are the platform's proposal, and a province copies a set into a
version of its own to change them."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_noop as N  # data kept in Vietnamese, not in the catalogue

from .criteria_models import CriteriaSet, Criterion, CriterionKind

A, S = CriterionKind.AUTOMATIC, CriterionKind.SELF

# (code, name, description, pass mark, [(code, text, weight, kind, formula)])
SETS = [
    (
        "BD-TIEU-CHI",
        N("Chính quyền, công sở thân thiện — tiêu chí a–d (Bình Dương)"),
        N(
            "Bốn nhóm tiêu chí của kế hoạch thí điểm: cải cách thủ tục, dân chủ ở cơ sở, tiếp dân và khiếu nại, văn hóa công sở."
        ),
        "80",
        [
            (
                "a1",
                N("Hồ sơ thủ tục hành chính được trả kết quả đúng hẹn hoặc sớm hơn hẹn"),
                "15",
                A,
                "dossiers_on_time",
            ),
            (
                "a2",
                N(
                    "Công khai đầy đủ thủ tục, phí và lệ phí; nơi làm thủ tục bố trí gần gũi, có phương tiện tra cứu thông tin"
                ),
                "15",
                S,
                "",
            ),
            (
                "b1",
                N("Phản ánh, kiến nghị của người dân được trả lời trong thời hạn"),
                "10",
                A,
                "feedback_on_time",
            ),
            (
                "b2",
                N(
                    "Công khai điện thoại của lãnh đạo, đặt hòm thư góp ý; người dân được góp ý và giám sát theo quy chế dân chủ"
                ),
                "15",
                S,
                "",
            ),
            (
                "c",
                N(
                    "Tiếp công dân đúng lịch, có nơi tiếp dân trang trọng; đơn khiếu nại, tố cáo được giải quyết đúng luật và kịp thời"
                ),
                "20",
                S,
                "",
            ),
            (
                "d1",
                N("Người dân hài lòng với thái độ phục vụ của cán bộ tại bộ phận một cửa"),
                "10",
                A,
                "ratings_satisfied",
            ),
            (
                "d2",
                N(
                    "Giữ văn hóa công sở và quy tắc ứng xử; gửi thư xin lỗi, cảm ơn, chúc mừng; đối thoại định kỳ với Nhân dân"
                ),
                "15",
                S,
                "",
            ),
        ],
    ),
    (
        "TH-5-3-4",
        N("“5 biết, 3 không, 4 thể hiện” (Thanh Hóa)"),
        N("Năm điều cán bộ cần biết, ba điều không làm và bốn cách thể hiện khi phục vụ người dân."),
        "80",
        [
            ("B1", N("Biết lắng nghe điều người dân nói"), "8", S, ""),
            ("B2", N("Biết nói để người dân hiểu"), "8", S, ""),
            ("B3", N("Biết làm để người dân tin"), "8", S, ""),
            ("B4", N("Biết nói lời xin lỗi khi chưa làm tốt"), "8", S, ""),
            ("B5", N("Biết cảm ơn người dân"), "8", S, ""),
            ("K1", N("Không gây phiền hà, không sách nhiễu"), "10", S, ""),
            ("K2", N("Không né tránh trách nhiệm"), "10", S, ""),
            ("K3", N("Không để trễ hẹn khi giải quyết công việc"), "10", A, "dossiers_on_time"),
            ("T1", N("Tôn trọng người dân trong giao tiếp"), "7.5", S, ""),
            ("T2", N("Văn minh, lịch sự khi giải quyết công việc"), "7.5", S, ""),
            ("T3", N("Nghe đủ, hướng dẫn tận tình quy trình, gần gũi người dân"), "7.5", S, ""),
            (
                "T4",
                N("Giải đáp kịp thời thắc mắc, kiến nghị chính đáng của người dân"),
                "7.5",
                A,
                "feedback_on_time",
            ),
        ],
    ),
    (
        "DN-4-4-5",
        N("“4 xin, 4 luôn, 5 không” (Đồng Nai)"),
        N(
            "Bốn lời xin, bốn điều luôn làm và năm điều không làm của cán bộ, công chức khi tiếp xúc với người dân."
        ),
        "80",
        [
            ("X1", N("Chào người dân khi họ đến"), "5", S, ""),
            ("X2", N("Xin lỗi khi để người dân chờ hoặc có sai sót"), "5", S, ""),
            ("X3", N("Cảm ơn người dân"), "5", S, ""),
            ("X4", N("Xin phép trước khi làm việc cần sự đồng ý của người dân"), "5", S, ""),
            ("L1", N("Luôn giữ nụ cười khi tiếp dân"), "5", S, ""),
            ("L2", N("Luôn nói năng nhẹ nhàng"), "5", S, ""),
            ("L3", N("Luôn lắng nghe người dân"), "5", S, ""),
            ("L4", N("Luôn giúp đỡ người dân — đo bằng tỷ lệ hài lòng"), "5", A, "ratings_satisfied"),
            ("K1", N("Không cửa quyền, hách dịch, gây khó khăn"), "12", S, ""),
            ("K2", N("Không quan liêu, vô cảm, thiếu trách nhiệm"), "12", S, ""),
            ("K3", N("Không tham nhũng, lãng phí, vì lợi ích nhóm"), "12", S, ""),
            ("K4", N("Không xu nịnh, chạy chọt, dối trá"), "12", S, ""),
            ("K5", N("Không lợi dụng chức vụ, quyền hạn khi thi hành công vụ"), "12", S, ""),
        ],
    ),
]


@transaction.atomic
def load_default_criteria() -> int:
    """Create the built-in sets that are missing (version 1); the number created. Idempotent."""
    from .criteria_formulas import FORMULAS

    created = 0
    for code, name, description, pass_mark, criteria in SETS:
        if CriteriaSet.objects.filter(province__isnull=True, code=code).exists():
            continue
        cs = CriteriaSet.objects.create(
            province=None,
            code=code,
            version=1,
            name=name,
            description=description,
            pass_mark=Decimal(pass_mark),
            builtin=True,
        )
        Criterion.objects.bulk_create(
            Criterion(
                criteria_set=cs,
                position=i,
                code=c,
                text=text,
                weight=Decimal(weight),
                kind=kind,
                formula=formula,
                formula_text=str(FORMULAS[formula].text) if formula else "",
            )
            for i, (c, text, weight, kind, formula) in enumerate(criteria, 1)
        )
        created += 1
    return created
