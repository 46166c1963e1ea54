from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from .forms import PortalAuthenticationForm
from .views import ThrottledPasswordChangeView

urlpatterns = [
    path(
        "logga-in/",
        login_not_required(
            auth_views.LoginView.as_view(
                authentication_form=PortalAuthenticationForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/", ThrottledPasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
