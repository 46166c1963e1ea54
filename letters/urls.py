from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("ni-sa-vi-gjorde/", views.round_list, name="round_list"),
    path("ni-sa-vi-gjorde/<int:pk>/", views.round_detail, name="round_detail"),
    path("ni-sa-vi-gjorde/<int:pk>/skicka/", views.round_send, name="round_send"),
    path(
        "ni-sa-vi-gjorde/<int:pk>/brev-for-post.pdf",
        views.round_post_pdf_download,
        name="round_post_pdf",
    ),
    path("ni-sa-vi-gjorde/brev/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("ni-sa-vi-gjorde/brev/<int:pk>/pdf/", views.letter_pdf_download, name="letter_pdf"),
    path("ni-sa-vi-gjorde/avsluta/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("foretag/<int:pk>/vad-hande-sedan/", views.company_story_view, name="company_story"),
]
