from typing import Any

from django import forms
from django.conf import settings

from pricing.refresh import SERVICES
from pricing.selectors import price_snapshots_servable


class RefreshForm(forms.Form):
    source = forms.ChoiceField(
        choices=[("bulk", "Bulk API offer files (no credentials needed)"), ("query", "Query API (AWS credentials)")],
        initial="bulk",
        help_text="Where the new prices come from.",
    )
    regions = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, help_text="Regions to refresh.")
    services = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        choices=[(s, s) for s in SERVICES],
        help_text="Price List services (and EC2-SpotAdvisor, the EC2 Spot Instance Advisor's feed) to refresh; "
        "the rest are carried over from the active snapshot.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = list(settings.PRICING_REGIONS)
        field = self.fields["regions"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(r, r) for r in regions]
        field.initial = regions
        self.fields["services"].initial = list(SERVICES)


class DiffForm(forms.Form):
    # Refused (failed) snapshots are never served, not even as one side of a diff.
    older = forms.ModelChoiceField(queryset=price_snapshots_servable())
    newer = forms.ModelChoiceField(queryset=price_snapshots_servable())
    region = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "all regions"), *[(r, r) for r in settings.PRICING_REGIONS]]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("older") and data.get("older") == data.get("newer"):
            raise forms.ValidationError("Pick two different snapshots.")
        return data
