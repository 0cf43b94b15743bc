from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Chính quyền thân thiện — Quản trị")
admin.site.site_title = _("Chính quyền thân thiện")
admin.site.index_title = _("Quản trị hệ thống")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("cqtt.accounts.urls")),
    path("thu-tuc/", include("cqtt.procedures.urls")),
    path("ngay-lam-viec/", include("cqtt.workdays.urls")),
    path("ho-so/", include("cqtt.dossiers.urls")),
    path("thong-bao/", include("cqtt.notifications.urls")),
    path("thu/", include("cqtt.letters.urls")),
    path("danh-gia/", include("cqtt.ratings.urls")),
    path("gop-y/", include("cqtt.feedback.urls")),
    path("khao-sat/", include("cqtt.surveys.urls")),
    path("khieu-nai-to-cao/", include("cqtt.complaints.urls")),
    path("tiep-cong-dan/", include("cqtt.reception.urls")),
    path("doi-thoai/", include("cqtt.dialogues.urls")),
    path("danh-gia-mo-hinh/", include("cqtt.evaluation.urls")),
    path("camera-quay/", include("cqtt.units.urls")),
    path("api/v1/", include("cqtt.api.urls")),
    path("", include("cqtt.portal.urls")),
]

# the site's 404 page (keeps a view's own explanation); 400, 403 and 500 use Django's handlers with templates/
handler404 = "cqtt.core.views.page_not_found"
