from django.urls import path

from compute_advisor.wizard import views

app_name = "wizard"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<int:step>/", views.step, name="step"),
    path("services/", views.services, name="services"),
    path("result/", views.result, name="result"),
]
