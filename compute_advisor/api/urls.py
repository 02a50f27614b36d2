from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from compute_advisor.api import views

app_name = "api"

urlpatterns = [
    path("estimates", views.EstimateView.as_view(), name="estimates"),
    path("estimates/sweep", views.SweepView.as_view(), name="sweep"),
    path("estimates/regions", views.RegionsView.as_view(), name="regions"),
    path("scenarios", views.ScenarioListView.as_view(), name="scenarios"),
    path("scenarios/<int:pk>", views.ScenarioDetailView.as_view(), name="scenario"),
    path("shared/<str:token>", views.SharedView.as_view(), name="shared"),
    path("snapshots", views.SnapshotListView.as_view(), name="snapshots"),
    path("snapshots/<int:pk>/diff/<int:other>", views.SnapshotDiffView.as_view(), name="diff"),
    path("catalog/instance-types", views.InstanceTypesView.as_view(), name="instance_types"),
    path("catalog/<str:kind>", views.CatalogView.as_view(), name="catalog"),
    path("recommendations", views.RecommendationView.as_view(), name="recommendations"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
