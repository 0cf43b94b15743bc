from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from cqtt.core.models import TimeStampedModel
from cqtt.units.models import Unit


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    PROVINCIAL_SUPERVISOR = "provincial_supervisor", _("Giám sát cấp tỉnh")
    OBSERVER = "observer", _("Giám sát MTTQ (chỉ xem)")


class User(AbstractUser):
    """A staff account with its official profile. Citizens do not need an account."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị công tác"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    work_phone = models.CharField(_("điện thoại công vụ"), max_length=20, blank=True)
    phone_is_public = models.BooleanField(_("công khai số điện thoại"), default=False)
    photo = models.ImageField(_("ảnh"), upload_to="staff/", blank=True)
    responsibilities = models.TextField(
        _("nhiệm vụ được giao"), blank=True, help_text=_("Công khai trong danh bạ trên trang của đơn vị.")
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username


class RoleAssignment(TimeStampedModel):
    """A role a user holds in one unit. A user may hold several roles in several units."""

    user = models.ForeignKey(User, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="role_unique_per_unit")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"
