from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "compute_advisor.api"
    label = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from compute_advisor.api import schema  # noqa: F401 (registers the schema of declared models)
