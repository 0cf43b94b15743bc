"""Demo catalogue: about 25 common commune-level procedures.

Codes: only four national codes (mã TTHC from the National Database of Administrative Procedures) are used, those
we are sure of — 1.001193, 2.000815, 2.000635, 1.001776. Every other procedure carries a *local* code starting
with ``DP.`` (địa phương) until its national code has been checked; field codes are local too. Fees are examples:
civil-status fees (lệ phí hộ tịch) are set by each province's People's Council; authentication fees (phí chứng
thực) follow the national tariff.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from cqtt.procedures.models import DocumentKind as K
from cqtt.procedures.models import (
    DurationUnit,
    Fee,
    LifeEvent,
    OnlineLevel,
    Procedure,
    ProcedureField,
    RequiredDocument,
)
from cqtt.procedures.services import procedure_field_save, procedure_save
from cqtt.units.models import Unit

VALID_FROM = dt.date(2025, 7, 1)  # two-tier local government in force

FIELDS = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "BTXH": "Bảo trợ xã hội",
    "CTRU": "Cư trú",
    "NCN": "Nuôi con nuôi",
}

HT_LAW = "Luật Hộ tịch số 60/2014/QH13; Nghị định số 123/2015/NĐ-CP; Thông tư số 04/2020/TT-BTP"
CT_LAW = "Nghị định số 23/2015/NĐ-CP; Thông tư số 01/2020/TT-BTP; Thông tư số 226/2016/TT-BTC"
BTXH_LAW = "Nghị định số 20/2021/NĐ-CP; Nghị định số 76/2024/NĐ-CP"
ID_DOC = (
    "Giấy tờ tùy thân của người yêu cầu (hộ chiếu, thẻ căn cước hoặc giấy tờ có ảnh) — xuất trình",
    K.ORIGINAL,
    1,
)
CT_FEE = (
    "Phí chứng thực bản sao",
    2000,
    "Từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản",
)

WD, SD = DurationUnit.WORKING_DAYS, DurationUnit.SAME_DAY
TT, MP, TTIEP = OnlineLevel.TOAN_TRINH, OnlineLevel.MOT_PHAN, OnlineLevel.TRUC_TIEP

# code, name, field, (amount, unit), online level, life event, legal basis, result, documents, fees
PROCEDURES = [
    (
        "1.001193",
        "Đăng ký khai sinh",
        "HT",
        (0, SD),
        MP,
        LifeEvent.BIRTH,
        HT_LAW,
        "Giấy khai sinh (bản chính), bản sao Giấy khai sinh nếu có yêu cầu",
        [
            ("Tờ khai đăng ký khai sinh (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận việc sinh", K.ORIGINAL, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký khai sinh", 0, "Miễn lệ phí khi đăng ký khai sinh đúng hạn")],
    ),
    (
        "DP.HT.02",
        "Đăng ký kết hôn",
        "HT",
        (0, SD),
        MP,
        LifeEvent.MARRIAGE,
        HT_LAW,
        "Giấy chứng nhận kết hôn (mỗi bên một bản chính)",
        [
            ("Tờ khai đăng ký kết hôn (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy xác nhận tình trạng hôn nhân (khi đăng ký tại nơi không thường trú)", K.ORIGINAL, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký kết hôn", 0, "Miễn lệ phí đăng ký kết hôn trong nước")],
    ),
    (
        "DP.HT.03",
        "Đăng ký khai tử",
        "HT",
        (0, SD),
        MP,
        LifeEvent.DEATH,
        HT_LAW,
        "Trích lục khai tử",
        [
            ("Tờ khai đăng ký khai tử (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử", K.ORIGINAL_OR_COPY, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký khai tử", 0, "Miễn lệ phí khi đăng ký khai tử đúng hạn")],
    ),
    (
        "2.000635",
        "Cấp bản sao trích lục hộ tịch",
        "HT",
        (0, SD),
        TT,
        LifeEvent.NONE,
        HT_LAW,
        "Bản sao trích lục hộ tịch",
        [("Tờ khai cấp bản sao trích lục hộ tịch (theo mẫu)", K.ORIGINAL, 1), ID_DOC],
        [("Phí cấp bản sao trích lục hộ tịch", 8000, "Tính theo mỗi bản sao")],
    ),
    (
        "DP.HT.05",
        "Đăng ký lại khai sinh",
        "HT",
        (5, WD),
        MP,
        LifeEvent.NONE,
        HT_LAW,
        "Giấy khai sinh (bản chính)",
        [
            ("Tờ khai đăng ký lại khai sinh (theo mẫu)", K.ORIGINAL, 1),
            ("Bản sao Giấy khai sinh hoặc giấy tờ có thông tin về họ tên, ngày sinh", K.COPY, 1),
            ID_DOC,
        ],
        [
            (
                "Lệ phí đăng ký lại khai sinh",
                5000,
                "Miễn cho người thuộc gia đình có công, hộ nghèo, người khuyết tật",
            )
        ],
    ),
    (
        "DP.HT.06",
        "Đăng ký lại kết hôn",
        "HT",
        (5, WD),
        MP,
        LifeEvent.NONE,
        HT_LAW,
        "Giấy chứng nhận kết hôn",
        [
            ("Tờ khai đăng ký lại kết hôn (theo mẫu)", K.ORIGINAL, 1),
            ("Bản sao Giấy chứng nhận kết hôn được cấp trước đây (nếu có)", K.COPY, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký lại kết hôn", 5000, "")],
    ),
    (
        "DP.HT.07",
        "Đăng ký lại khai tử",
        "HT",
        (5, WD),
        MP,
        LifeEvent.NONE,
        HT_LAW,
        "Trích lục khai tử",
        [
            ("Tờ khai đăng ký lại khai tử (theo mẫu)", K.ORIGINAL, 1),
            ("Bản sao Giấy chứng tử hoặc giấy tờ liên quan đến việc khai tử", K.COPY, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký lại khai tử", 5000, "")],
    ),
    (
        "DP.HT.08",
        "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        "HT",
        (3, WD),
        MP,
        LifeEvent.NONE,
        HT_LAW,
        "Trích lục thay đổi, cải chính, bổ sung thông tin hộ tịch",
        [
            ("Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy khai sinh hoặc giấy tờ hộ tịch cần thay đổi, cải chính", K.ORIGINAL, 1),
            ("Giấy tờ làm căn cứ cho việc thay đổi, cải chính", K.CERTIFIED_COPY, 1),
            ID_DOC,
        ],
        [("Lệ phí thay đổi, cải chính thông tin hộ tịch", 15000, "Miễn cho người thuộc hộ nghèo")],
    ),
    (
        "DP.HT.09",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "HT",
        (3, WD),
        TT,
        LifeEvent.NONE,
        HT_LAW,
        "Giấy xác nhận tình trạng hôn nhân",
        [
            ("Tờ khai cấp Giấy xác nhận tình trạng hôn nhân (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy tờ chứng minh việc ly hôn hoặc người kia đã chết (nếu có)", K.COPY, 1),
            ID_DOC,
        ],
        [("Lệ phí cấp Giấy xác nhận tình trạng hôn nhân", 10000, "")],
    ),
    (
        "DP.HT.10",
        "Đăng ký nhận cha, mẹ, con",
        "HT",
        (3, WD),
        MP,
        LifeEvent.NONE,
        HT_LAW,
        "Trích lục đăng ký nhận cha, mẹ, con",
        [
            ("Tờ khai đăng ký nhận cha, mẹ, con (theo mẫu)", K.ORIGINAL, 1),
            (
                "Văn bản xác nhận quan hệ cha, mẹ, con của cơ quan y tế, giám định hoặc chứng cứ khác",
                K.ORIGINAL_OR_COPY,
                1,
            ),
            ID_DOC,
        ],
        [("Lệ phí đăng ký nhận cha, mẹ, con", 15000, "")],
    ),
    (
        "DP.HT.11",
        "Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
        "HT",
        (3, WD),
        MP,
        LifeEvent.BIRTH,
        HT_LAW,
        "Giấy khai sinh; Trích lục đăng ký nhận cha, mẹ, con",
        [
            ("Tờ khai đăng ký khai sinh và tờ khai nhận cha, mẹ, con (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy chứng sinh", K.ORIGINAL, 1),
            ("Chứng cứ chứng minh quan hệ cha, mẹ, con", K.ORIGINAL_OR_COPY, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký nhận cha, mẹ, con", 15000, "Miễn lệ phí phần đăng ký khai sinh đúng hạn")],
    ),
    (
        "DP.HT.12",
        "Đăng ký giám hộ",
        "HT",
        (3, WD),
        MP,
        LifeEvent.NONE,
        HT_LAW,
        "Trích lục đăng ký giám hộ",
        [
            ("Tờ khai đăng ký giám hộ (theo mẫu)", K.ORIGINAL, 1),
            ("Văn bản cử người giám hộ hoặc giấy tờ chứng minh điều kiện giám hộ đương nhiên", K.ORIGINAL, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký giám hộ", 10000, "")],
    ),
    (
        "DP.HT.13",
        "Đăng ký chấm dứt giám hộ",
        "HT",
        (2, WD),
        MP,
        LifeEvent.NONE,
        HT_LAW,
        "Trích lục đăng ký chấm dứt giám hộ",
        [
            ("Tờ khai đăng ký chấm dứt giám hộ (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy tờ làm căn cứ chấm dứt giám hộ", K.COPY, 1),
            ID_DOC,
        ],
        [("Lệ phí đăng ký chấm dứt giám hộ", 10000, "")],
    ),
    (
        "DP.HT.14",
        "Đăng ký khai sinh lưu động",
        "HT",
        (5, WD),
        TTIEP,
        LifeEvent.BIRTH,
        HT_LAW,
        "Giấy khai sinh",
        [("Tờ khai đăng ký khai sinh (theo mẫu)", K.ORIGINAL, 1), ("Giấy chứng sinh", K.ORIGINAL, 1)],
        [("Lệ phí đăng ký khai sinh", 0, "Miễn lệ phí")],
    ),
    (
        "2.000815",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc "
        "chứng nhận",
        "CT",
        (0, SD),
        TTIEP,
        LifeEvent.NONE,
        CT_LAW,
        "Bản sao được chứng thực từ bản chính",
        [
            ("Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", K.ORIGINAL, 1),
            ("Bản sao cần chứng thực", K.COPY, 1),
        ],
        [CT_FEE],
    ),
    (
        "DP.CT.02",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "CT",
        (0, SD),
        TTIEP,
        LifeEvent.NONE,
        CT_LAW,
        "Giấy tờ, văn bản đã được chứng thực chữ ký",
        [("Giấy tờ, văn bản mà mình sẽ ký", K.ORIGINAL, 1), ID_DOC],
        [("Phí chứng thực chữ ký", 10000, "Tính theo mỗi trường hợp")],
    ),
    (
        "DP.CT.03",
        "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        "CT",
        (2, WD),
        TTIEP,
        LifeEvent.NONE,
        CT_LAW,
        "Hợp đồng, giao dịch được chứng thực",
        [
            ("Dự thảo hợp đồng, giao dịch", K.ORIGINAL, 1),
            ("Giấy tờ chứng minh quyền sở hữu, quyền sử dụng tài sản", K.CERTIFIED_COPY, 1),
            ID_DOC,
        ],
        [("Phí chứng thực hợp đồng, giao dịch", 50000, "")],
    ),
    (
        "DP.CT.04",
        "Chứng thực di chúc",
        "CT",
        (2, WD),
        TTIEP,
        LifeEvent.NONE,
        CT_LAW,
        "Di chúc được chứng thực",
        [
            ("Dự thảo di chúc", K.ORIGINAL, 1),
            ("Giấy tờ chứng minh quyền sở hữu tài sản", K.CERTIFIED_COPY, 1),
            ID_DOC,
        ],
        [("Phí chứng thực di chúc", 50000, "")],
    ),
    (
        "DP.CT.05",
        "Chứng thực văn bản thỏa thuận phân chia di sản",
        "CT",
        (2, WD),
        TTIEP,
        LifeEvent.NONE,
        CT_LAW,
        "Văn bản thỏa thuận phân chia di sản được chứng thực",
        [
            ("Dự thảo văn bản thỏa thuận phân chia di sản", K.ORIGINAL, 1),
            ("Giấy chứng tử hoặc giấy tờ chứng minh người để lại di sản đã chết", K.CERTIFIED_COPY, 1),
            ("Giấy tờ chứng minh quan hệ giữa người để lại di sản và người được hưởng", K.CERTIFIED_COPY, 1),
            ID_DOC,
        ],
        [("Phí chứng thực văn bản thỏa thuận phân chia di sản", 50000, "")],
    ),
    (
        "DP.CT.06",
        "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch",
        "CT",
        (2, WD),
        TTIEP,
        LifeEvent.NONE,
        CT_LAW,
        "Văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng được chứng thực",
        [
            ("Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", K.ORIGINAL, 1),
            ("Hợp đồng, giao dịch đã được chứng thực", K.ORIGINAL, 1),
            ID_DOC,
        ],
        [("Phí chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng", 30000, "")],
    ),
    (
        "DP.CT.07",
        "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực",
        "CT",
        (0, SD),
        MP,
        LifeEvent.NONE,
        CT_LAW,
        "Bản sao có chứng thực hợp đồng, giao dịch",
        [("Đề nghị cấp bản sao (ghi rõ hợp đồng, giao dịch cần cấp bản sao)", K.ORIGINAL, 1), ID_DOC],
        [CT_FEE],
    ),
    (
        "1.001776",
        "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi "
        "dưỡng hàng tháng",
        "BTXH",
        (10, WD),
        MP,
        LifeEvent.NONE,
        BTXH_LAW,
        "Quyết định trợ cấp xã hội hàng tháng của Chủ tịch Ủy ban nhân dân cấp xã",
        [
            ("Tờ khai đề nghị trợ giúp xã hội (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy xác nhận khuyết tật (đối với người khuyết tật)", K.COPY, 1),
        ],
        [("Không thu phí, lệ phí", 0, "")],
    ),
    (
        "DP.BTXH.02",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "BTXH",
        (3, WD),
        MP,
        LifeEvent.NONE,
        BTXH_LAW,
        "Quyết định hỗ trợ chi phí mai táng",
        [
            ("Tờ khai đề nghị hỗ trợ chi phí mai táng (theo mẫu)", K.ORIGINAL, 1),
            ("Giấy báo tử hoặc trích lục khai tử", K.COPY, 1),
        ],
        [("Không thu phí, lệ phí", 0, "")],
    ),
    (
        "DP.BTXH.03",
        "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
        "BTXH",
        (20, WD),
        MP,
        LifeEvent.NONE,
        "Luật Người khuyết tật số 51/2010/QH12; Thông tư số 01/2019/TT-BLĐTBXH",
        "Giấy xác nhận khuyết tật",
        [
            ("Đơn đề nghị xác định mức độ khuyết tật (theo mẫu)", K.ORIGINAL, 1),
            ("Hồ sơ bệnh án, giấy tờ khám, điều trị (nếu có)", K.COPY, 1),
        ],
        [("Không thu phí, lệ phí", 0, "")],
    ),
    (
        "DP.CTRU.01",
        "Xác nhận thông tin về cư trú",
        "CTRU",
        (0.5, WD),
        TT,
        LifeEvent.NONE,
        "Luật Cư trú số 68/2020/QH14; Nghị định số 154/2024/NĐ-CP",
        "Giấy xác nhận thông tin về cư trú",
        [("Tờ khai thay đổi thông tin cư trú (theo mẫu)", K.ORIGINAL, 1)],
        [("Không thu lệ phí", 0, "")],
    ),
    (
        "DP.NCN.01",
        "Đăng ký nuôi con nuôi trong nước",
        "NCN",
        (30, WD),
        TTIEP,
        LifeEvent.NONE,
        "Luật Nuôi con nuôi số 52/2010/QH12; Nghị định số 19/2011/NĐ-CP",
        "Giấy chứng nhận nuôi con nuôi",
        [
            ("Đơn xin nhận con nuôi (theo mẫu)", K.ORIGINAL, 1),
            ("Phiếu lý lịch tư pháp của người nhận con nuôi", K.ORIGINAL, 1),
            ("Giấy khai sinh của người được nhận làm con nuôi", K.COPY, 1),
            ID_DOC,
        ],
        [
            (
                "Lệ phí đăng ký nuôi con nuôi",
                400000,
                "Miễn cho cha dượng, mẹ kế, cô, cậu, dì, chú, bác ruột nhận con nuôi",
            )
        ],
    ),
]


@transaction.atomic
def load_demo_procedures(*, units: list[Unit]) -> int:
    """Create the demo catalogue offered by `units`; a second run changes nothing. Returns the number of versions
    created or changed."""
    fields = {}
    for code, name in FIELDS.items():
        field = ProcedureField.objects.filter(code=code).first()
        fields[code] = field or procedure_field_save(field=ProcedureField(code=code, name=name))
    changed = 0
    unit_ids = {u.pk for u in units}
    for code, name, field_code, (amount, unit), online, life_event, law, result, docs, fees in PROCEDURES:
        existing = Procedure.objects.filter(code=code, valid_from=VALID_FROM).first()
        if existing is not None:
            missing = unit_ids - set(existing.units.values_list("pk", flat=True))
            if missing:
                existing.units.add(*missing)
                changed += 1
            continue
        procedure = procedure_save(
            procedure=Procedure(
                code=code,
                name=name,
                field=fields[field_code],
                competent_level="commune",
                duration_amount=Decimal(str(amount)),
                duration_unit=unit,
                online_level=online,
                life_event=life_event,
                legal_basis=law,
                result=result,
                valid_from=VALID_FROM,
            ),
            units=units,
        )
        RequiredDocument.objects.bulk_create(
            RequiredDocument(procedure=procedure, order=i, name=n, kind=k, count=c)
            for i, (n, k, c) in enumerate(docs, 1)
        )
        Fee.objects.bulk_create(
            Fee(procedure=procedure, order=i, name=n, amount=a, exemptions=e)
            for i, (n, a, e) in enumerate(fees, 1)
        )
        changed += 1
    return changed
