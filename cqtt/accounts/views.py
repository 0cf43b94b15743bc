from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse_lazy

from .models import Role
from .permissions import user_scope
from .selectors import user_home_units


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
def home(request):
    units = user_home_units(user=request.user)
    # who reads a unit's ratings: its leaders, administrators, provincial supervisors and observers
    readers = {Role.LEADER, Role.UNIT_ADMIN, Role.PROVINCIAL_SUPERVISOR, Role.OBSERVER}
    unit_ratings = request.user.is_superuser or any(
        g.role in readers for g in user_scope(request.user).grants
    )
    return render(request, "accounts/home.html", {"units": units, "unit_ratings": unit_ratings})
