"""Creating an account (at most SIGNUPS_PER_ADDRESS_PER_DAY from one address); signing in is
`sign_in.SignInView` (Django's, with a limit on failures)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from compute_advisor.lib.client_address import client_address
from compute_advisor.lib.limits import take


def signup(request: HttpRequest) -> HttpResponse:
    form: UserCreationForm = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        most = settings.SIGNUPS_PER_ADDRESS_PER_DAY
        if not take(f"signups:{client_address(request)}", limit=most, window_seconds=86400):
            form.add_error(None, f"At most {most} accounts a day can be made from one address.")
            return render(request, "registration/signup.html", {"form": form}, status=429)
        user = form.save()
        login(request, user)
        messages.success(request, "Welcome: your saved scenarios will be listed under My scenarios.")
        return redirect("estimates:compare")
    return render(request, "registration/signup.html", {"form": form})
