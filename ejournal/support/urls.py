from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/reply/", views.request_reply, name="reply"),
    path("<int:pk>/status/", views.request_status, name="status"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
]
