from typing import Any

from django import forms

from compute_advisor.lib.declared_forms import choice_field

# The architectures of the reference instance types, as the filter names them.
ARCHITECTURES = [("x86_64", "x86_64"), ("arm64", "arm64 (Graviton)")]


class RegionForm(forms.Form):
    region = forms.ChoiceField(label="Region", help_text="Prices are shown for this region.")

    def __init__(self, *args: Any, regions: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        choice_field(self, "region").choices = [(r, r) for r in regions]


class InstanceTypeFilterForm(RegionForm):
    family = forms.ChoiceField(required=False, label="Family", help_text="For example m7g or t3.")
    architecture = forms.ChoiceField(
        required=False,
        choices=[("", "any"), *ARCHITECTURES],
        label="Architecture",
    )
    min_vcpu = forms.IntegerField(required=False, min_value=1, max_value=1024, label="At least vCPU")
    min_memory_gib = forms.DecimalField(
        required=False, min_value=0, max_value=32768, decimal_places=2, label="At least memory (GiB)"
    )
    priced_only = forms.BooleanField(
        required=False, label="Only types with a price", help_text="Hide types the snapshot has no price for."
    )

    def __init__(self, *args: Any, families: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "family").choices = [("", "any"), *[(f, f) for f in families]]
