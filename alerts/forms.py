"""The subscribe form: an e-mail address, how often, the feed it follows, and a honeypot."""

from __future__ import annotations

from django import forms

from .feeds import normalise
from .models import Frequency

HONEYPOT_FIELD = "website"


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address in the right format, like name@example.org.",
        },
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATELY,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose how often you would like an e-mail."},
    )
    feed = forms.CharField(widget=forms.HiddenInput, max_length=1000)
    # Hidden from people (CSS and aria-hidden) but filled in by naive bots.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_feed(self) -> str:
        key = normalise(self.cleaned_data["feed"])
        if key is None:
            raise forms.ValidationError("That is not the address of one of this site's feeds.")
        return key

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD, "").strip())


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label="How often", choices=Frequency.choices)
