"""The built-in forms: the seven QR survey forms of the Bắc Giang practice (PKS01–PKS07, legal-spec §11) and a
SIPAS-style satisfaction form (the Ministry of Home Affairs' five factors; assessment, satisfaction and
expectation), with questions on the contents of ND 61/2018 Art. 31 where they apply. The wording is ours.

They are content, not interface text: stored in Vietnamese, not in the translation catalogue. `load_default_forms`
creates the missing ones (by code) and leaves the others as they are; it runs after `migrate` (a fresh install has
them) and from the demo loader."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import translation

from . import rules

T = rules.T

AGREE = [
    {"value": "1", "label": "Hoàn toàn không đồng ý"},
    {"value": "2", "label": "Không đồng ý"},
    {"value": "3", "label": "Phân vân"},
    {"value": "4", "label": "Đồng ý"},
    {"value": "5", "label": "Hoàn toàn đồng ý"},
]
QUALITY = [
    {"value": "1", "label": "Rất kém"},
    {"value": "2", "label": "Kém"},
    {"value": "3", "label": "Trung bình"},
    {"value": "4", "label": "Tốt"},
    {"value": "5", "label": "Rất tốt"},
]
YES_NO = [{"value": "co", "label": "Có"}, {"value": "khong", "label": "Không"}]
PRIVACY = (
    "Phiếu không ghi tên người trả lời. Ý kiến của ông/bà chỉ được tổng hợp thành số liệu chung, "
    "không dùng vào việc khác."
)


def _items(*labels: str) -> list[dict]:
    return [{"value": f"{i}", "label": label} for i, label in enumerate(labels, 1)]


def _named(*pairs: tuple[str, str]) -> list[dict]:
    return [{"value": v, "label": label} for v, label in pairs]


def one(key, label, choices, *, required=True, relevant="", hint="") -> rules.Q:
    return rules.Q(
        key=key,
        type=T.SELECT_ONE,
        label=label,
        choices=choices,
        required=required,
        relevant=relevant,
        hint=hint,
    )


def many(key, label, choices, *, required=False, relevant="") -> rules.Q:
    return rules.Q(
        key=key, type=T.SELECT_MULTIPLE, label=label, choices=choices, required=required, relevant=relevant
    )


def scale(key, label, choices=None, *, required=True, relevant="") -> rules.Q:
    return rules.Q(
        key=key,
        type=T.LIKERT,
        label=label,
        choices=choices or satisfaction(),
        required=required,
        relevant=relevant,
    )


def table(
    key, label, rows: list[tuple[str, str]], choices=None, *, required=True, relevant="", hint=""
) -> rules.Q:
    return rules.Q(
        key=key,
        type=T.LIKERT_MATRIX,
        label=label,
        choices=choices or AGREE,
        rows=_named(*rows),
        required=required,
        relevant=relevant,
        hint=hint,
    )


def number(key, label, lo=None, hi=None, *, required=False, relevant="", hint="") -> rules.Q:
    return rules.Q(
        key=key,
        type=T.INTEGER,
        label=label,
        min_value=lo,
        max_value=hi,
        required=required,
        relevant=relevant,
        hint=hint,
    )


def short(key, label, *, required=False, relevant="") -> rules.Q:
    return rules.Q(key=key, type=T.TEXT, label=label, required=required, relevant=relevant)


def long(key, label, *, hint="", relevant="") -> rules.Q:
    return rules.Q(key=key, type=T.TEXTAREA, label=label, hint=hint, relevant=relevant)


def section(key, label, *, relevant="") -> rules.Q:
    return rules.Q(key=key, type=T.SECTION, label=label, relevant=relevant)


def note(key, label) -> rules.Q:
    return rules.Q(key=key, type=T.NOTE, label=label)


def satisfaction() -> list[dict]:
    return rules.likert_choices()


def default_forms() -> list[dict]:
    """(code, title, description, questions) of every built-in form, in the platform's language."""
    return [
        {
            "code": "PKS01",
            "title": "Phiếu khảo sát cán bộ, công chức về việc thực hiện dân chủ ở cơ sở tại xã, phường",
            "description": "Dành cho cán bộ, công chức và người hoạt động không chuyên trách của xã, phường. "
            + PRIVACY,
            "questions": [
                one(
                    "chuc_danh",
                    "Ông/bà hiện là",
                    _items("Cán bộ chuyên trách", "Công chức", "Người hoạt động không chuyên trách", "Khác"),
                ),
                table(
                    "dan_chu",
                    "Mức độ đồng ý của ông/bà với các nhận định sau về cơ quan nơi ông/bà công tác",
                    [
                        ("cong_khai", "Các nội dung phải công khai được công khai đầy đủ, kịp thời"),
                        (
                            "tham_gia",
                            "Cán bộ, công chức được góp ý trước khi cơ quan quyết định những việc quan trọng",
                        ),
                        (
                            "quy_che",
                            "Quy chế làm việc và quy chế dân chủ được xây dựng và thực hiện nghiêm túc",
                        ),
                        ("phan_hoi", "Ý kiến đóng góp của cán bộ, công chức được tiếp thu và trả lời"),
                        (
                            "khen_thuong",
                            "Việc nhận xét, đánh giá, khen thưởng được thực hiện khách quan, công khai",
                        ),
                    ],
                ),
                one(
                    "hoi_nghi",
                    "Trong năm qua, cơ quan có tổ chức hội nghị cán bộ, công chức không?",
                    _named(("co", "Có"), ("khong", "Không"), ("khong_ro", "Không rõ")),
                ),
                scale(
                    "danh_gia_chung",
                    "Ông/bà đánh giá chung việc thực hiện dân chủ ở cơ sở tại đơn vị",
                    QUALITY,
                ),
                long("kien_nghi", "Ông/bà có đề xuất gì để việc thực hiện dân chủ ở cơ sở tốt hơn?"),
            ],
        },
        {
            "code": "PKS02",
            "title": "Phiếu lấy ý kiến người dân về Chủ tịch Ủy ban nhân dân xã, phường",
            "description": PRIVACY,
            "questions": [
                one(
                    "da_gap",
                    "Trong 12 tháng qua, ông/bà đã gặp hoặc làm việc với Chủ tịch UBND xã, phường chưa?",
                    _named(
                        ("truc_tiep", "Đã làm việc trực tiếp"),
                        ("tiep_dan", "Đã gặp trong buổi tiếp công dân hoặc đối thoại"),
                        ("chua", "Chưa gặp"),
                    ),
                ),
                table(
                    "chu_tich",
                    "Mức độ đồng ý của ông/bà với các nhận định sau về Chủ tịch UBND",
                    [
                        ("lang_nghe", "Lắng nghe ý kiến của người dân"),
                        ("kip_thoi", "Giải quyết kịp thời những việc thuộc thẩm quyền"),
                        ("lich_tiep", "Tiếp công dân đúng lịch đã thông báo"),
                        ("gan_gui", "Gần gũi, tôn trọng người dân"),
                        ("chi_dao", "Chỉ đạo khắc phục những việc người dân phản ánh"),
                    ],
                    relevant="${da_gap} != 'chua'",
                ),
                one(
                    "biet_so_dien_thoai",
                    "Ông/bà có biết số điện thoại công khai của Chủ tịch UBND không?",
                    YES_NO,
                ),
                scale("hai_long", "Mức độ hài lòng chung của ông/bà đối với Chủ tịch UBND"),
                long("gop_y", "Ông/bà có góp ý gì với Chủ tịch UBND?"),
            ],
        },
        {
            "code": "PKS03",
            "title": "Phiếu lấy ý kiến người dân về kết quả thực hiện dân chủ ở cơ sở",
            "description": PRIVACY,
            "questions": [
                table(
                    "duoc_biet",
                    "Ông/bà có được biết các nội dung sau không? (mức độ đồng ý: “tôi được biết đầy đủ”)",
                    [
                        ("ke_hoach", "Kế hoạch phát triển kinh tế - xã hội của địa phương"),
                        ("ngan_sach", "Dự toán, quyết toán ngân sách của xã, phường"),
                        ("dong_gop", "Các khoản đóng góp của nhân dân và việc sử dụng"),
                        ("khieu_nai", "Kết quả giải quyết khiếu nại, tố cáo"),
                        ("chinh_sach", "Chính sách hỗ trợ hộ nghèo, gia đình chính sách"),
                    ],
                ),
                one(
                    "duoc_ban",
                    "Ông/bà có được cùng bàn và quyết định những việc của thôn, tổ dân phố không?",
                    _named(
                        ("thuong_xuyen", "Thường xuyên"),
                        ("thinh_thoang", "Thỉnh thoảng"),
                        ("chua", "Chưa bao giờ"),
                    ),
                ),
                many(
                    "kenh",
                    "Ông/bà biết những thông tin trên qua kênh nào?",
                    _named(
                        ("hop", "Họp thôn, tổ dân phố"),
                        ("niem_yet", "Bảng tin, niêm yết tại trụ sở"),
                        ("loa", "Loa truyền thanh"),
                        ("mang", "Trang thông tin điện tử, mạng xã hội của xã, phường"),
                        ("khac", "Kênh khác"),
                    ),
                ),
                short("kenh_khac", "Kênh khác là kênh nào?", relevant="selected(${kenh}, 'khac')"),
                scale(
                    "giam_sat",
                    "Ban Thanh tra nhân dân và Ban Giám sát đầu tư của cộng đồng hoạt động có hiệu quả",
                    AGREE,
                ),
                scale("danh_gia_chung", "Ông/bà đánh giá chung kết quả thực hiện dân chủ ở cơ sở", QUALITY),
                long("gop_y", "Ông/bà có góp ý gì thêm?"),
            ],
        },
        {
            "code": "PKS04",
            "title": "Phiếu lấy ý kiến người dân, tổ chức về việc giải quyết thủ tục hành chính",
            "description": "Xin ông/bà cho biết ý kiến về lần giải quyết thủ tục hành chính gần nhất. "
            + PRIVACY,
            "questions": [
                one(
                    "nguoi_tra_loi",
                    "Ông/bà là",
                    _named(("ca_nhan", "Cá nhân"), ("to_chuc", "Người đại diện tổ chức, doanh nghiệp")),
                ),
                one(
                    "linh_vuc",
                    "Thủ tục thuộc lĩnh vực",
                    _named(
                        ("ho_tich", "Hộ tịch"),
                        ("chung_thuc", "Chứng thực"),
                        ("dat_dai", "Đất đai, xây dựng"),
                        ("xa_hoi", "Lao động, người có công và xã hội"),
                        ("kinh_doanh", "Kinh doanh"),
                        ("khac", "Lĩnh vực khác"),
                    ),
                ),
                one(
                    "cach_nop",
                    "Ông/bà nộp hồ sơ bằng cách nào?",
                    _named(
                        ("truc_tiep", "Trực tiếp"),
                        ("truc_tuyen", "Trực tuyến"),
                        ("buu_chinh", "Qua bưu chính"),
                    ),
                ),
                one(
                    "dung_hen",
                    "So với ngày hẹn, kết quả được trả",
                    _named(
                        ("som", "Sớm hơn ngày hẹn"),
                        ("dung", "Đúng ngày hẹn"),
                        ("tre", "Trễ hơn ngày hẹn"),
                        ("chua", "Chưa nhận được kết quả"),
                    ),
                ),
                number(
                    "so_lan_lien_he",
                    "Ông/bà đã phải đến hoặc liên hệ bao nhiêu lần để hoàn thành hồ sơ (kể cả lần nộp)?",
                    1,
                    30,
                    required=True,
                ),
                number(
                    "so_co_quan", "Ông/bà đã phải liên hệ với bao nhiêu cơ quan để hoàn thành hồ sơ?", 1, 20
                ),
                scale(
                    "thong_tin",
                    "Thông tin về thủ tục (hồ sơ, phí, thời hạn) được công khai đầy đủ, chính xác",
                    AGREE,
                ),
                scale("thai_do", "Thái độ của cán bộ tiếp nhận và giải quyết hồ sơ", QUALITY),
                one(
                    "chi_phi_them",
                    "Ngoài phí, lệ phí theo quy định, ông/bà có phải trả thêm khoản nào không?",
                    _named(("khong", "Không"), ("co", "Có"), ("khong_tra_loi", "Không muốn trả lời")),
                ),
                long(
                    "chi_phi_ghi_ro",
                    "Xin ông/bà cho biết thêm về khoản phải trả thêm",
                    hint="Không cần ghi tên mình.",
                    relevant="${chi_phi_them} = 'co'",
                ),
                scale(
                    "truc_tuyen",
                    "Mức độ hài lòng của ông/bà với dịch vụ công trực tuyến",
                    relevant="${cach_nop} = 'truc_tuyen'",
                ),
                scale("hai_long", "Mức độ hài lòng chung của ông/bà về việc giải quyết thủ tục"),
                long("gop_y", "Ông/bà có góp ý gì để việc giải quyết thủ tục tốt hơn?"),
            ],
        },
        {
            "code": "PKS05",
            "title": "Phiếu lấy ý kiến người dân về cán bộ, công chức Bộ phận Một cửa",
            "description": PRIVACY,
            "questions": [
                number("quay", "Số quầy đã phục vụ ông/bà (nếu còn nhớ)", 1, 50),
                table(
                    "can_bo",
                    "Mức độ đồng ý của ông/bà với các nhận định sau về cán bộ đã phục vụ",
                    [
                        ("chao_hoi", "Chào hỏi, đón tiếp lịch sự"),
                        ("huong_dan", "Hướng dẫn hồ sơ rõ ràng, đầy đủ ngay từ lần đầu"),
                        ("giai_thich", "Lắng nghe và giải thích khi ông/bà chưa rõ"),
                        ("the", "Đeo thẻ công chức, trang phục đúng quy định"),
                        ("phien_ha", "Không gây phiền hà, không đòi hỏi ngoài quy định"),
                    ],
                ),
                one(
                    "cho_doi",
                    "Thời gian ông/bà chờ đến lượt",
                    _named(
                        ("duoi_15", "Dưới 15 phút"),
                        ("15_30", "Từ 15 đến 30 phút"),
                        ("30_60", "Từ 30 đến 60 phút"),
                        ("tren_60", "Trên 60 phút"),
                    ),
                ),
                scale("hai_long", "Mức độ hài lòng chung của ông/bà đối với cán bộ Bộ phận Một cửa"),
                long("khen_gop_y", "Ông/bà muốn khen hoặc góp ý với cán bộ nào?", hint="Không bắt buộc."),
            ],
        },
        {
            "code": "PKS06",
            "title": "Phiếu lấy ý kiến người dân về văn minh, văn hóa công sở của xã, phường",
            "description": PRIVACY,
            "questions": [
                table(
                    "cong_so",
                    "Mức độ đồng ý của ông/bà với các nhận định sau về trụ sở và nơi làm việc",
                    [
                        ("sach_se", "Trụ sở sạch sẽ, gọn gàng"),
                        ("cho_ngoi", "Có đủ chỗ ngồi chờ, nước uống, nhà vệ sinh"),
                        ("chi_dan", "Bảng chỉ dẫn, niêm yết dễ tìm, dễ đọc"),
                        ("dung_gio", "Cán bộ làm việc đúng giờ"),
                        ("giao_tiep", "Cán bộ giao tiếp văn minh, lịch sự"),
                        ("ho_tro", "Có lối đi và sự hỗ trợ cho người khuyết tật, người cao tuổi"),
                    ],
                ),
                many(
                    "con_thieu",
                    "Theo ông/bà, nơi làm việc còn thiếu gì?",
                    _named(
                        ("xe", "Chỗ để xe"),
                        ("ghe", "Chỗ ngồi chờ"),
                        ("so_thu_tu", "Máy lấy số thứ tự"),
                        ("wifi", "Mạng Wi-Fi"),
                        ("tre_em", "Góc cho trẻ em"),
                        ("khac", "Khác"),
                    ),
                ),
                short("con_thieu_khac", "Còn thiếu điều gì khác?", relevant="selected(${con_thieu}, 'khac')"),
                scale("danh_gia_chung", "Ông/bà đánh giá chung về văn hóa công sở của xã, phường", QUALITY),
                long("gop_y", "Ông/bà có góp ý gì thêm?"),
            ],
        },
        {
            "code": "PKS07",
            "title": "Phiếu lấy ý kiến về sự hài lòng của người dân đối với chính quyền thân thiện",
            "description": PRIVACY,
            "questions": [
                one(
                    "biet_mo_hinh",
                    "Ông/bà có biết địa phương đang xây dựng mô hình “Chính quyền thân thiện” không?",
                    YES_NO,
                ),
                table(
                    "than_thien",
                    "Mức độ đồng ý của ông/bà với các nhận định sau về chính quyền địa phương",
                    [
                        ("lang_nghe", "Cán bộ biết lắng nghe, nói cho dân hiểu, làm cho dân tin"),
                        ("xin_loi", "Chính quyền xin lỗi người dân khi chậm trễ, sai sót"),
                        ("cam_on", "Chính quyền cảm ơn người dân khi được góp ý, hợp tác"),
                        ("tra_loi", "Phản ánh, kiến nghị của người dân được trả lời kịp thời"),
                        ("doi_thoai", "Các buổi đối thoại với người dân mang lại kết quả"),
                    ],
                ),
                one(
                    "so_voi_truoc",
                    "So với trước khi thực hiện mô hình, ông/bà thấy sự phục vụ của chính quyền",
                    _named(
                        ("tot_hon_nhieu", "Tốt hơn nhiều"),
                        ("tot_hon", "Tốt hơn"),
                        ("nhu_cu", "Như trước"),
                        ("kem_hon", "Kém hơn"),
                        ("khong_biet", "Không rõ"),
                    ),
                ),
                scale("hai_long", "Mức độ hài lòng chung của ông/bà đối với chính quyền địa phương"),
                long("mong_muon", "Ông/bà mong chính quyền cải thiện điều gì nhất?"),
            ],
        },
        {
            "code": "SIPAS",
            "title": "Phiếu khảo sát sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính",
            "description": "Theo năm yếu tố của Chỉ số hài lòng về sự phục vụ hành chính (SIPAS): tiếp cận dịch vụ, "
            "thủ tục hành chính, công chức giải quyết công việc, kết quả giải quyết, tiếp nhận và xử lý góp ý. "
            + PRIVACY,
            "questions": [
                section("p1", "1. Tiếp cận dịch vụ"),
                table(
                    "tiep_can",
                    "Mức độ đồng ý của ông/bà với các nhận định sau",
                    [
                        ("cho_ngoi", "Nơi ngồi chờ có đủ chỗ ngồi"),
                        ("trang_thiet_bi", "Trang thiết bị phục vụ người dân đầy đủ"),
                        ("de_dung", "Trang thiết bị dễ sử dụng"),
                        ("thong_tin", "Dễ tìm thông tin về thủ tục cần làm"),
                    ],
                ),
                section("p2", "2. Thủ tục hành chính"),
                table(
                    "thu_tuc",
                    "Mức độ đồng ý của ông/bà với các nhận định sau",
                    [
                        ("niem_yet", "Thủ tục được niêm yết công khai đầy đủ"),
                        ("ho_so", "Hồ sơ phải nộp đúng như quy định"),
                        ("phi", "Phí, lệ phí phải nộp đúng như quy định"),
                        ("thoi_han", "Thời hạn giải quyết đúng như quy định"),
                    ],
                ),
                section("p3", "3. Công chức trực tiếp giải quyết công việc"),
                table(
                    "cong_chuc",
                    "Mức độ đồng ý của ông/bà với các nhận định sau về công chức",
                    [
                        ("lich_su", "Giao tiếp lịch sự"),
                        ("lang_nghe", "Chú ý lắng nghe ý kiến của ông/bà"),
                        ("giai_thich", "Trả lời, giải thích đầy đủ các thắc mắc"),
                        ("tan_tinh", "Hướng dẫn kê khai hồ sơ tận tình, chu đáo"),
                        ("de_hieu", "Hướng dẫn dễ hiểu"),
                        ("dung_quy_dinh", "Làm đúng quy định"),
                    ],
                ),
                section("p4", "4. Kết quả giải quyết công việc"),
                table(
                    "ket_qua",
                    "Mức độ đồng ý của ông/bà với các nhận định sau về kết quả nhận được",
                    [
                        ("dung", "Kết quả đúng quy định"),
                        ("day_du", "Kết quả có thông tin đầy đủ"),
                        ("chinh_xac", "Kết quả có thông tin chính xác"),
                    ],
                ),
                section("p5", "5. Tiếp nhận và xử lý góp ý, phản ánh, kiến nghị"),
                one("da_gop_y", "Ông/bà có góp ý, phản ánh, kiến nghị với cơ quan không?", YES_NO),
                table(
                    "pakn",
                    "Mức độ đồng ý của ông/bà với các nhận định sau",
                    [
                        ("hinh_thuc", "Cơ quan có hình thức tiếp nhận góp ý phù hợp"),
                        ("de_dang", "Góp ý, phản ánh dễ dàng"),
                        ("tich_cuc", "Góp ý được tiếp nhận, xử lý tích cực"),
                        ("thong_bao", "Kết quả xử lý được thông báo kịp thời"),
                    ],
                    relevant="${da_gop_y} = 'co'",
                ),
                section("p6", "6. Sự hài lòng và mong đợi"),
                scale("hai_long", "Mức độ hài lòng chung của ông/bà đối với sự phục vụ của cơ quan"),
                many(
                    "mong_doi",
                    "Ông/bà mong cơ quan cải thiện những nội dung nào nhất?",
                    _named(
                        ("tiep_can", "Điều kiện tiếp cận dịch vụ"),
                        ("thu_tuc", "Đơn giản hóa thủ tục"),
                        ("cong_chuc", "Thái độ, năng lực của công chức"),
                        ("ket_qua", "Thời gian và chất lượng kết quả"),
                        ("pakn", "Tiếp nhận, xử lý góp ý"),
                        ("truc_tuyen", "Dịch vụ công trực tuyến"),
                    ),
                ),
                long("gop_y", "Ý kiến khác của ông/bà"),
            ],
        },
    ]


@transaction.atomic
def load_default_forms() -> int:
    """Create the built-in forms that are missing; returns how many were created."""
    from .models import SurveyForm
    from .services import form_create

    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        have = set(SurveyForm.objects.filter(unit__isnull=True).values_list("code", flat=True))
        for spec in default_forms():
            if spec["code"] in have:
                continue
            form_create(actor=None, unit=None, builtin=True, **spec)
            created += 1
    return created
