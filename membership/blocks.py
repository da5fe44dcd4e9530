"""StreamField blocks for the membership, principles and DPS pages."""

from wagtail import blocks

from .models.snippets import Tier


class TitledTextBlock(blocks.StructBlock):
    """A short heading with a sentence or two: a commitment, a reason, a priority."""

    title = blocks.CharBlock(max_length=120, help_text="A few words, shown in bold.")
    text = blocks.TextBlock(required=False, help_text="One or two plain sentences.")

    class Meta:
        icon = "list-ul"
        template = "components/membership_titled_text.html"
        description = "A heading with a short explanation"
        preview_value = {
            "title": "Cooperation among members",
            "text": "Our members work together to help each other implement our values.",
        }


class TierBlock(blocks.StructBlock):
    """One membership tier and who it is for."""

    tier = blocks.ChoiceBlock(choices=Tier.choices, help_text="The tier this describes.")
    who_for = blocks.TextBlock(help_text="Who this tier is for, in plain words.")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["tier_label"] = dict(Tier.choices).get(value.get("tier"), value.get("tier"))
        return context

    class Meta:
        icon = "group"
        template = "components/membership_tier.html"
        description = "A membership tier and who it is for"
        preview_value = {"tier": "full", "who_for": "UK councils that share our values."}


class ActivityBlock(blocks.StructBlock):
    """Something members can do with the network, with an optional link."""

    verb = blocks.CharBlock(max_length=40, help_text='A short action word, e.g. "Join".')
    text = blocks.CharBlock(max_length=200, help_text='e.g. "Join the CCIN governance".')
    page = blocks.PageChooserBlock(required=False, help_text="Optional page to link to.")

    class Meta:
        icon = "pick"
        template = "components/membership_activity.html"
        description = "Something members can do with the network"
        preview_value = {
            "verb": "Use",
            "text": "Use the CCIN Dynamic Purchasing System to bring in capacity and expertise",
        }


class TitledTextStreamBlock(blocks.StreamBlock):
    item = TitledTextBlock()


class TierStreamBlock(blocks.StreamBlock):
    tier = TierBlock()


class ActivityStreamBlock(blocks.StreamBlock):
    activity = ActivityBlock()
