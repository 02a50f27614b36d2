from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "compute_advisor.accounts"
