"""Django form fields made from a declared field (`engine.declaration.FieldSpec`): its title, description,
bounds and choices, so that a form can never disagree with the declaration it edits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import BaseValidator
from django.utils.deconstruct import deconstructible

from compute_advisor.engine.declaration import FieldSpec

DECIMAL_PLACES = 6


@deconstructible
class GreaterThanValidator(BaseValidator):
    """The declaration's exclusive minimum ("more than 0"), which Django's min_value (inclusive) cannot say."""

    message = "Ensure this value is greater than %(limit_value)s."
    code = "min_value"

    def compare(self, a: Any, b: Any) -> bool:
        return bool(a <= b)


def form_field(spec: FieldSpec, *, required: bool | None = None, **overrides: Any) -> forms.Field:
    """The form field for `spec`. `required` defaults to the declaration's (a field with a default is optional
    in the model, but a form always sends it, so forms pass required=True for what they always show)."""
    empty_label = overrides.pop("empty_label", "(none)")
    options: dict[str, Any] = {
        "label": spec.title,
        "help_text": spec.description,
        "required": spec.required if required is None else required,
    }
    options.update(overrides)
    if spec.kind == "number":
        exclusive = spec.minimum is not None and spec.exclusive_minimum
        field = forms.DecimalField(
            min_value=None if exclusive else spec.minimum,
            max_value=spec.maximum,
            decimal_places=DECIMAL_PLACES,
            max_digits=16,
            widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            **options,
        )
        if exclusive:
            field.validators.append(GreaterThanValidator(spec.minimum))
            field.widget.attrs["min"] = str(spec.minimum)  # the browser's check is inclusive; the server's is not
        return field
    if spec.kind == "integer":
        return forms.IntegerField(
            min_value=None if spec.minimum is None else int(spec.minimum) + (1 if spec.exclusive_minimum else 0),
            max_value=None if spec.maximum is None else int(spec.maximum),
            **options,
        )
    if spec.kind == "choice":
        choices = [(value, spec.labels.get(value, value)) for value in spec.choices]
        if not options["required"]:
            choices = [("", empty_label), *choices]
        return forms.ChoiceField(choices=choices, **options)
    if spec.kind == "boolean":
        options["required"] = False  # an unticked box is simply absent
        return forms.BooleanField(**options)
    return forms.CharField(max_length=spec.max_length, **options)


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, to set choices known only at run time (regions, bundles)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField), name
    return field
