from django.urls import path

from compute_advisor.estimates import views

app_name = "estimates"

urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("compare/regions/", views.compare_regions, name="regions"),
    path("compare/import/", views.import_view, name="import"),
    path("compare/application/", views.application, name="application"),
    path("compare/save/", views.save, name="save"),
    path("s/<str:token>/", views.shared, name="shared"),
    path("scenarios/", views.my_scenarios, name="mine"),
    path("scenarios/<int:pk>/<str:action>/", views.scenario_action, name="action"),
]
