"""The built-in wording of each notice, used where a unit has not written its own (`NoticeTemplate`). Short SMS
(the procedure's name is long, so it goes in the e-mail only); e-mails address the citizen and sign with the
unit. Translatable, Vietnamese first."""

from django.utils.translation import gettext_lazy as _

from .models import ChannelKind, NoticeEvent

E = NoticeEvent
SMS, EMAIL = ChannelKind.SMS, ChannelKind.EMAIL

SMS_TEXT = {
    E.SUBMITTED: _(
        "((don_vi)) đã nhận hồ sơ trực tuyến ((ma_ho_so)), sẽ xem và báo lại. Tra cứu: ((tra_cuu))"
    ),
    E.RECEIVED: _(
        "((don_vi)) đã tiếp nhận hồ sơ ((ma_ho_so)). Hẹn trả kết quả ((ngay_hen)). Tra cứu: ((tra_cuu))"
    ),
    E.SUPPLEMENT_REQUESTED: _("Hồ sơ ((ma_ho_so)) cần bổ sung: ((can_bo_sung)). Chi tiết: ((tra_cuu))"),
    E.RESULT_READY: _(
        "Hồ sơ ((ma_ho_so)) đã có kết quả. Mời ông/bà đến nhận tại ((noi_nhan)). Tra cứu: ((tra_cuu))"
    ),
    E.EARLY_RESULT: _(
        "Hồ sơ ((ma_ho_so)) đã có kết quả sớm hơn ngày hẹn ((ngay_hen)). Ông/bà có thể đến nhận tại ((noi_nhan))."
    ),
    E.EXTENDED: _(
        "((don_vi)) xin lỗi ông/bà: hồ sơ ((ma_ho_so)) chưa giải quyết kịp, xin hẹn lại ngày ((ngay_hen_moi))."
    ),
    E.RETURNED: _("((don_vi)) đã trả kết quả hồ sơ ((ma_ho_so)). Cảm ơn ông/bà. Mời đánh giá: ((danh_gia))"),
    E.REFUSED: _("Hồ sơ ((ma_ho_so)) không được giải quyết: ((ly_do)). Hỏi thêm: ((duong_day_nong))"),
    E.STATUS_CHANGED: _("Hồ sơ ((ma_ho_so)): ((trang_thai)). Tra cứu: ((tra_cuu))"),
}

EMAIL_SUBJECT = {
    E.SUBMITTED: _("Đã nhận hồ sơ trực tuyến ((ma_ho_so))"),
    E.RECEIVED: _("Đã tiếp nhận hồ sơ ((ma_ho_so)) — hẹn trả ((ngay_hen))"),
    E.SUPPLEMENT_REQUESTED: _("Hồ sơ ((ma_ho_so)) cần bổ sung"),
    E.RESULT_READY: _("Hồ sơ ((ma_ho_so)) đã có kết quả"),
    E.EARLY_RESULT: _("Hồ sơ ((ma_ho_so)) có kết quả sớm hơn ngày hẹn"),
    E.EXTENDED: _("Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ ((ma_ho_so))"),
    E.RETURNED: _("Đã trả kết quả hồ sơ ((ma_ho_so))"),
    E.REFUSED: _("Hồ sơ ((ma_ho_so)) không được giải quyết"),
    E.STATUS_CHANGED: _("Hồ sơ ((ma_ho_so)): ((trang_thai))"),
}

_GREETING = _("Kính gửi ông/bà ((nguoi_nop)),")
_SIGN = _("Trân trọng,\n((don_vi))\nĐường dây nóng: ((duong_day_nong))")
EMAIL_BODY = {
    E.SUBMITTED: _(
        "((don_vi)) đã nhận hồ sơ trực tuyến ((ma_ho_so)) (thủ tục: ((thu_tuc))). Cán bộ một cửa sẽ "
        "kiểm tra và báo lại cho ông/bà.\n\nTra cứu tình trạng hồ sơ: ((tra_cuu))"
    ),
    E.RECEIVED: _(
        "((don_vi)) đã tiếp nhận hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))).\nNgày hẹn trả kết quả: "
        "((ngay_hen)).\n\nTra cứu tình trạng hồ sơ: ((tra_cuu))"
    ),
    E.SUPPLEMENT_REQUESTED: _(
        "Hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))) cần bổ sung:\n((can_bo_sung))\n\nLý do: "
        "((ly_do))\n\nXin ông/bà bổ sung một lần đủ các nội dung trên. Tra cứu: ((tra_cuu))"
    ),
    E.RESULT_READY: _(
        "Hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))) đã có kết quả. Mời ông/bà đến nhận tại "
        "((noi_nhan)).\n\nTra cứu: ((tra_cuu))"
    ),
    E.EARLY_RESULT: _(
        "Hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))) đã có kết quả sớm hơn ngày hẹn ((ngay_hen)). "
        "Ông/bà có thể đến nhận tại ((noi_nhan)) từ hôm nay hoặc đúng ngày hẹn.\n\nTra cứu: ((tra_cuu))"
    ),
    E.EXTENDED: _(
        "((don_vi)) thành thật xin lỗi ông/bà vì hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))) chưa giải "
        "quyết kịp ngày hẹn.\nLý do: ((ly_do))\nNgày hẹn mới: ((ngay_hen_moi)).\n\nTra cứu: ((tra_cuu))"
    ),
    E.RETURNED: _(
        "((don_vi)) đã trả kết quả hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))). Cảm ơn ông/bà đã tin tưởng.\n\n"
        "Xin ông/bà dành một phút đánh giá sự phục vụ: ((danh_gia))"
    ),
    E.REFUSED: _(
        "Hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))) không được giải quyết.\nLý do: ((ly_do))\n\n"
        "Nếu cần hỏi thêm, xin gọi ((duong_day_nong))."
    ),
    E.STATUS_CHANGED: _(
        "Hồ sơ ((ma_ho_so)) (thủ tục: ((thu_tuc))) chuyển sang: ((trang_thai)).\n\nTra cứu: ((tra_cuu))"
    ),
}


def default_text(event: str, channel: str) -> tuple[str, str]:
    """(subject, body) of the built-in wording, in the platform's language (what citizens receive), whatever the
    language of the officer's screen."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        if channel == EMAIL:
            return str(EMAIL_SUBJECT[event]), f"{_GREETING}\n\n{EMAIL_BODY[event]}\n\n{_SIGN}"
        return "", str(SMS_TEXT[event])
