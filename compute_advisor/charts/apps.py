from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "compute_advisor.charts"
