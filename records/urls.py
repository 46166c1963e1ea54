from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.request_list_view, name="request_list"),
    path("ny/", views.request_create, name="request_create"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/omfattning/", views.item_add, name="item_add"),
    path("<int:pk>/lamna-ut/", views.request_release_view, name="request_release"),
    path("<int:pk>/beslut/", views.request_decide_view, name="request_decide"),
    path("<int:pk>/aterkalla/", views.request_withdraw_view, name="request_withdraw"),
    path("delar/<int:pk>/", views.item_review, name="item_review"),
    path("delar/<int:pk>/maskera/", views.mask_create, name="mask_create"),
    path("delar/<int:pk>/lyft-maskering/", views.mask_lift_view, name="mask_lift"),
    path("delar/<int:pk>/ta-bort/", views.item_remove, name="item_remove"),
    path("granskning/<int:pk>/angra/", views.mask_delete, name="mask_delete"),
    path("filer/<int:pk>/", views.document_download, name="document_download"),
    path("sekretessgrunder/", views.ground_list, name="ground_list"),
    path("sekretessgrunder/<int:pk>/", views.ground_update, name="ground_update"),
]
