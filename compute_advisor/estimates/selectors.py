"""Reads of saved scenarios: a user sees their own; a share link shows one to anybody who has it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from compute_advisor.estimates.models import SavedScenario


def scenario_list_for(*, user: Any) -> QuerySet[SavedScenario]:
    if not getattr(user, "is_authenticated", False):
        return SavedScenario.objects.none()
    return SavedScenario.objects.filter(owner=user).select_related("snapshot")


def scenario_get_for(*, user: Any, pk: int) -> SavedScenario:
    """The user's own scenario, or 404: another user's scenario does not exist for them."""
    scenario = scenario_list_for(user=user).filter(pk=pk).first()
    if scenario is None:
        raise Http404("No such scenario")
    return scenario


def scenario_by_token(*, token: str, viewer: Any = None) -> SavedScenario:
    """The scenario a share link names, while its link is on; its owner can still open it after revoking."""
    scenario = SavedScenario.objects.select_related("snapshot").filter(share_token=token).first()
    owner_sees = scenario is not None and getattr(viewer, "is_authenticated", False) and scenario.owner_id == viewer.pk
    if scenario is None or not (scenario.share_enabled or owner_sees):
        raise Http404("No such shared scenario")
    return scenario
