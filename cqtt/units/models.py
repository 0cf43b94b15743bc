from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện (dữ liệu cũ)")
    COMMUNE = "commune", _("Cấp xã")
    DEPARTMENT = "department", _("Phòng, ban")
    AGENCY = "agency", _("Cơ quan, tổ chức")


class UnitKind(models.TextChoices):
    CITY = "city", _("Thành phố trực thuộc trung ương")
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Quận, huyện, thị xã")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    DEPARTMENT = "department", _("Phòng chuyên môn")
    AGENCY = "agency", _("Cơ quan, đơn vị")


class Unit(TimeStampedModel):
    """A node of the administrative tree: province/city → commune/ward/special zone, with departments and
    agencies hanging below (or beside) them. `path` is the chain of codes from the root, ending in '/', so that
    a unit and everything below it is `path__startswith=unit.path`."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    full_name = models.CharField(_("tên đầy đủ"), max_length=255)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    full_name_en = models.CharField(_("tên đầy đủ tiếng Anh"), max_length=255, blank=True)
    level = models.CharField(_("cấp"), max_length=16, choices=UnitLevel.choices, db_index=True)
    kind = models.CharField(_("loại hình"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn"), max_length=255, editable=False, db_index=True)
    province_code = models.CharField(_("mã tỉnh"), max_length=8, editable=False, db_index=True)
    search_text = models.CharField(max_length=500, editable=False, blank=True)
    digital_id = models.CharField(
        _("mã định danh điện tử"),
        max_length=35,
        blank=True,
        help_text=_(
            "Theo QĐ 20/2020/QĐ-TTg, ví dụ 000.00.17.H12; dùng làm phần đầu của mã hồ sơ. Để trống thì dùng mã đơn vị."
        ),
    )
    # what dossier codes start with: the electronic identifier, else the unit code; unique, so two units can
    # never issue the same dossier code (kept by units.services._derive)
    dossier_prefix = models.CharField(_("tiền tố mã hồ sơ"), max_length=35, unique=True, editable=False)
    address = models.CharField(_("địa chỉ trụ sở"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    hotline = models.CharField(
        _("đường dây nóng"),
        max_length=32,
        blank=True,
        help_text=_("Số điện thoại đường dây nóng công khai trên trang của đơn vị."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        indexes = [models.Index(fields=["level", "province_code"], name="unit_level_prov_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_province(self) -> bool:
        return self.level == UnitLevel.PROVINCE


class OfficeKind(models.TextChoices):
    ONE_STOP = "one_stop", _("Bộ phận Một cửa")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")


class Office(TimeStampedModel):
    """The one-stop office of a unit (Bộ phận Một cửa / Trung tâm Phục vụ hành chính công)."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="office"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=OfficeKind.choices, default=OfficeKind.ONE_STOP)
    name = models.CharField(_("tên"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")

    def __str__(self) -> str:
        return self.name


class Counter(TimeStampedModel):
    """A numbered counter (quầy) of a one-stop office and the officers serving it."""

    office = models.ForeignKey(
        Office, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=200, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ phục vụ"), blank=True, related_name="counters"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")
        ordering = ["office", "number"]
        constraints = [models.UniqueConstraint(fields=["office", "number"], name="counter_unique_number")]

    def __str__(self) -> str:
        return _("Quầy số %(n)s") % {"n": self.number} + (f" — {self.name}" if self.name else "")


class Camera(TimeStampedModel):
    """A camera watching a counter. The platform stores no video: it knows where the recorder is and how many
    days it keeps footage, so an inspector can pull a time window before it is overwritten."""

    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), on_delete=models.CASCADE, related_name="cameras"
    )
    name = models.CharField(_("tên camera"), max_length=120)
    recorder = models.CharField(
        _("đầu ghi"),
        max_length=200,
        help_text=_("Địa chỉ hoặc vị trí đầu ghi hình, ví dụ 192.168.1.20 kênh 3."),
    )
    retention_days = models.PositiveSmallIntegerField(_("số ngày lưu hình"), default=30)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("camera quầy")
        verbose_name_plural = _("camera quầy")
        ordering = ["counter", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class FootageStatus(models.TextChoices):
    OPEN = "open", _("Chờ trích xuất")
    PULLED = "pulled", _("Đã trích xuất")
    DISMISSED = "dismissed", _("Không cần trích xuất")


class FootageSource(models.TextChoices):
    RATING = "rating", _("Đánh giá của người dân")
    COMPLAINT = "complaint", _("Khiếu nại, phản ánh")
    MANUAL = "manual", _("Ghi tay")


class FootageRequest(TimeStampedModel):
    """A time window at a counter whose footage an inspector should pull from the recorder(s) before the
    retention runs out (a rating or a complaint about an officer). `retention_ends_at` is the earliest end of the
    cameras' retention, set when the request is opened."""

    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), on_delete=models.PROTECT, related_name="footage_requests"
    )
    cameras = models.ManyToManyField(Camera, verbose_name=_("camera"), blank=True, related_name="requests")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ liên quan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("từ lúc"))
    ends_at = models.DateTimeField(_("đến lúc"))
    reason = models.CharField(_("lý do"), max_length=500)
    source = models.CharField(_("nguồn"), max_length=16, choices=FootageSource.choices)
    source_ref = models.CharField(_("mã nguồn"), max_length=64, blank=True)
    retention_ends_at = models.DateTimeField(_("hết hạn lưu hình lúc"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=FootageStatus.choices, default=FootageStatus.OPEN
    )
    closed_note = models.CharField(_("ghi chú khi đóng"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu trích xuất hình ảnh")
        verbose_name_plural = _("yêu cầu trích xuất hình ảnh")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            # one request per rating (or complaint): the outbox reaction may run again
            models.UniqueConstraint(
                fields=["source", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="footage_unique_source",
            )
        ]
        indexes = [models.Index(fields=["status", "retention_ends_at"], name="footage_status_idx")]

    def __str__(self) -> str:
        return f"{self.counter} {self.starts_at:%d/%m/%Y %H:%M}"
