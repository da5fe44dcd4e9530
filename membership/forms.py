"""Public forms: the join enquiry. The directory's and election tables' filters are
declared in membership/listings.py."""

from __future__ import annotations

from django import forms

from .models.enquiries import JoinEnquiry
from .models.snippets import Tier

HONEYPOT_FIELD = "website"


class JoinEnquiryForm(forms.ModelForm):
    """Name, organisation, role, email, tier of interest and message, plus a honeypot."""

    # Hidden from people (CSS and aria-hidden) but filled in by naive bots.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    class Meta:
        model = JoinEnquiry
        fields = ["name", "organisation", "role", "email", "tier", "message"]
        labels = {
            "name": "Your name",
            "organisation": "Council or organisation",
            "role": "Your role (optional)",
            "email": "Email address",
            "tier": "Which kind of membership are you interested in?",
            "message": "Anything you would like to tell us (optional)",
        }
        help_texts = {
            "email": "We only use this to reply to you.",
            "organisation": "",
            "role": "For example, Cabinet Member for Communities, or Policy Officer.",
            "tier": "",
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
            "role": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "tier": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "name": {"required": "Enter your name."},
            "organisation": {"required": "Enter your council or organisation."},
            "email": {
                "required": "Enter your email address.",
                "invalid": "Enter an email address in the right format, like name@example.org.",
            },
            "tier": {"required": "Choose the kind of membership you are interested in."},
            "message": {"max_length": "Keep your message to 4,000 characters or fewer."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No "---------" choice: nothing is chosen until the visitor picks a type.
        self.fields["tier"].choices = Tier.choices

    def is_spam(self) -> bool:
        """True when the honeypot was filled in: a bot, not a person."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD, "").strip())


TIER_LABELS = dict(Tier.choices)
