from __future__ import annotations

from django import forms

from .models import PriorityArea


class ColourInput(forms.TextInput):
    """A colour picker. It always holds a colour, so HTML allows neither `required` nor
    `maxlength` on it (the Nu Html Checker reports both); the field still validates."""

    input_type = "color"

    def use_required_attribute(self, initial) -> bool:
        return False

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("maxlength", None)
        return context


class PriorityAreaForm(forms.ModelForm):
    class Meta:
        model = PriorityArea
        fields = ["name", "name_en", "slug", "description", "order", "colour"]
        widgets = {
            "colour": ColourInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
