from django.urls import include, path

from compute_advisor.accounts.sign_in import SignInView
from compute_advisor.accounts.views import signup

# No namespace: Django's auth views and LOGIN_URL know these by their plain names ("login", "logout").
urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("signup/", signup, name="signup"),
    path("", include("django.contrib.auth.urls")),
]
