from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="alerts_index"),
    path("subscribe/", views.subscribe, name="alerts_subscribe"),
    path("check-your-inbox/", views.check_inbox, name="alerts_check_inbox"),
    path("confirm/<str:token>/", views.confirm, name="alerts_confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="alerts_unsubscribe"),
    path("manage/<str:token>/", views.manage, name="alerts_manage"),
]
