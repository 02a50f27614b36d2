from django.urls import path

from compute_advisor.charts.assets import plotly_js

app_name = "charts"

urlpatterns = [path("vendor/plotly.min.js", plotly_js, name="plotly")]
