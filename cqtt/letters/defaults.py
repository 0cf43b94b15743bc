"""The built-in wording of each kind of letter, where a unit has written none (translatable, Vietnamese first).
Paragraphs are separated by a blank line; the letterhead, "Kính gửi", place and date, signature and recipients
come from the layout (ND 30/2020)."""

from django.utils.translation import gettext_lazy as _

from .models import LetterKind

K = LetterKind

SUBJECT = {
    K.APOLOGY: _("Về việc xin lỗi và hẹn lại ngày trả kết quả hồ sơ ((ma_ho_so))"),
    K.ERROR_APOLOGY: _("Về việc xin lỗi vì sai sót trong giải quyết hồ sơ ((ma_ho_so))"),
    K.THANKS: _("Thư cảm ơn"),
    K.CONGRATULATION: _("Thư chúc mừng"),
    K.CONDOLENCE: _("Thư chia buồn"),
    K.CUSTOM: _("Thư của ((don_vi))"),
}
BODY = {
    K.APOLOGY: _(
        "Ngày ((ngay_nop)), ((don_vi)) tiếp nhận hồ sơ ((ma_ho_so)) của ông/bà về thủ tục ((thu_tuc)), hẹn trả "
        "kết quả ngày ((ngay_hen)).\n\n"
        "Đến nay hồ sơ chưa giải quyết kịp vì lý do: ((ly_do)).\n\n"
        "((don_vi)) thành thật xin lỗi ông/bà vì sự chậm trễ này và xin hẹn lại ngày trả kết quả là ngày "
        "((ngay_hen_moi)).\n\n"
        "Mọi thắc mắc xin liên hệ đường dây nóng ((duong_day_nong)). Trân trọng cảm ơn ông/bà."
    ),
    K.ERROR_APOLOGY: _(
        "Trong quá trình giải quyết hồ sơ ((ma_ho_so)) của ông/bà về thủ tục ((thu_tuc)), ((don_vi)) đã để xảy "
        "ra sai sót: ((ly_do)).\n\n"
        "((don_vi)) thành thật xin lỗi ông/bà, đã khắc phục và chịu mọi chi phí phát sinh theo quy định.\n\n"
        "Mọi thắc mắc xin liên hệ đường dây nóng ((duong_day_nong))."
    ),
    K.THANKS: _(
        "((don_vi)) trân trọng cảm ơn ông/bà ((nguoi_nhan)) vì ((ly_do)).\n\n"
        "Sự đồng hành của người dân là động lực để chúng tôi phục vụ ngày càng tốt hơn."
    ),
    K.CONGRATULATION: _(
        "Nhân dịp gia đình ông/bà ((su_kien)), ((don_vi)) xin gửi tới ông/bà và gia đình lời chúc mừng tốt đẹp "
        "nhất.\n\n"
        "Chúc gia đình luôn mạnh khỏe, hạnh phúc và an khang."
    ),
    K.CONDOLENCE: _(
        "Được tin gia đình ông/bà có tang, ((don_vi)) xin gửi tới ông/bà và gia đình lời chia buồn sâu sắc.\n\n"
        "Mong gia đình sớm vượt qua mất mát này. Nếu cần hỗ trợ thủ tục, xin liên hệ ((duong_day_nong))."
    ),
    K.CUSTOM: _("((ly_do))"),
}
# the short notice of a signed letter on the citizen's phone or mailbox (never SMS for a condolence)
NOTICE = {
    K.APOLOGY: _(
        "((don_vi)) xin lỗi ông/bà: hồ sơ ((ma_ho_so)) chưa giải quyết kịp, xin hẹn lại ngày ((ngay_hen_moi))."
    ),
    K.ERROR_APOLOGY: _(
        "((don_vi)) xin lỗi ông/bà về sai sót khi giải quyết hồ sơ ((ma_ho_so)); thư xin lỗi đã được gửi."
    ),
    K.THANKS: _("((don_vi)) trân trọng cảm ơn ông/bà ((nguoi_nhan))."),
    K.CONGRATULATION: _("((don_vi)) chúc mừng gia đình ông/bà nhân dịp ((su_kien))."),
    K.CONDOLENCE: _("((don_vi)) xin chia buồn cùng gia đình ông/bà."),
    K.CUSTOM: _("((don_vi)) gửi ông/bà một thư."),
}


def default_wording(kind: str) -> tuple[str, str]:
    """(subject, body) of the built-in wording, in the platform's language (a letter is issued in it)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return str(SUBJECT[kind]), str(BODY[kind])
