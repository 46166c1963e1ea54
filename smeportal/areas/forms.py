from __future__ import annotations

from django import forms

from .models import PriorityArea


class PriorityAreaForm(forms.ModelForm):
    class Meta:
        model = PriorityArea
        fields = ["name", "name_en", "slug", "description", "order", "colour"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
