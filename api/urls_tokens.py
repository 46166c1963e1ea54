from django.urls import path

from .views import tokens

app_name = "api_tokens"

urlpatterns = [
    path("", tokens.token_list, name="list"),
    path("ny/", tokens.token_new, name="create"),
    path("<int:pk>/aterkalla/", tokens.token_revoke_view, name="revoke"),
]
