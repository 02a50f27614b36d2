"""Creating an account; signing in is `sign_in.SignInView` (Django's, with a limit on failures)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render


def signup(request: HttpRequest) -> HttpResponse:
    form: UserCreationForm = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(request, "Welcome: your saved scenarios will be listed under My scenarios.")
        return redirect("estimates:compare")
    return render(request, "registration/signup.html", {"form": form})
