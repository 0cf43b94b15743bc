from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_scope import ScopedInlineMixin, UnitScopedAdminMixin
from .models import RoleAssignment, User
from .permissions import unit_scope_q
from .services import role_grant, role_revoke, user_save_profile


class RoleInline(ScopedInlineMixin, admin.TabularInline):
    model = RoleAssignment  # granted and revoked through the services (UserAdmin.save_formset)
    extra = 0
    autocomplete_fields = ["unit"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # a unit administrator sees (and may revoke) only the roles held in its own units
        return qs.filter(unit_scope_q(request.user, path_field="unit__path"))

    def has_change_permission(self, request, obj=None):
        return False  # roles are granted and revoked, never edited in place


@admin.register(User)
class UserAdmin(UnitScopedAdminMixin, DjangoUserAdmin):
    list_display = ("username", "full_name", "position", "unit", "work_phone", "is_active")
    list_filter = ("is_active", "is_staff", "roles__role")
    search_fields = ("username", "full_name", "work_phone", "email")
    autocomplete_fields = ["unit"]
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin công vụ"),
            {
                "fields": (
                    "full_name",
                    "position",
                    "responsibilities",
                    "unit",
                    "work_phone",
                    "phone_is_public",
                    "email",
                    "photo",
                    "is_active",
                )
            },
        ),
        (_("Quyền"), {"fields": ("is_staff", "is_superuser")}),
        (_("Mốc thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "password1", "password2", "full_name", "unit")}),)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        # not superusers, and not staff who also hold roles in units outside the administrator's reach
        outside = RoleAssignment.objects.exclude(unit_scope_q(request.user, path_field="unit__path"))
        return qs.filter(is_superuser=False).exclude(pk__in=outside.values("user_id"))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # a unit administrator may not hand out superuser or staff rights
        return [(name, opts) for name, opts in fieldsets if name != _("Quyền")]

    def save_model(self, request, obj, form, change):
        user_save_profile(user=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            role_revoke(assignment=obj, actor=request.user)
        for obj in instances:
            if not obj.pk:
                role_grant(user=obj.user, unit=obj.unit, role=obj.role, actor=request.user)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(UnitScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "unit__name", "unit__code")
    autocomplete_fields = ["user", "unit"]

    delete_service = True

    def has_change_permission(self, request, obj=None):
        return False  # roles are granted and revoked, never edited in place

    def save_model(self, request, obj, form, change):
        role_grant(user=obj.user, unit=obj.unit, role=obj.role, actor=request.user)

    def delete_model(self, request, obj):
        role_revoke(assignment=obj, actor=request.user)
