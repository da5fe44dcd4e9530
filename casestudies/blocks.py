"""Blocks for case study outcomes and policy project outputs."""

from wagtail import blocks

from home.blocks import DocumentBlock


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(
        max_length=40,
        help_text='The figure as the council published it, e.g. "£2,000" or "120 homes". '
        "Never estimate.",
    )
    label = blocks.CharBlock(
        max_length=160, help_text='What the figure counts, e.g. "homes built by a land trust".'
    )
    source = blocks.CharBlock(
        required=False,
        max_length=200,
        help_text='Where the figure comes from, e.g. "Council annual report 2024".',
    )

    class Meta:
        icon = "order"
        template = "components/streamfield/key_figure_block.html"
        description = "A key figure with a label and its source"
        preview_value = {
            "figure": "£10,000–£20,000",
            "label": "Policy Lab funding available",
            "source": "CCIN",
        }


class OutcomesBlock(blocks.StreamBlock):
    figure = KeyFigureBlock()

    class Meta:
        icon = "order"


class PublicationLinkBlock(blocks.StructBlock):
    publication = blocks.PageChooserBlock(
        page_type="casestudies.PublicationPage", help_text="A report on this site."
    )

    class Meta:
        icon = "doc-full-inverse"
        template = "components/streamfield/casestudies_publication_link_block.html"
        description = "A link to one of the network's publications"


class ExternalLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, help_text="Link text: say where it goes.")
    url = blocks.URLBlock()

    class Meta:
        icon = "link"
        template = "components/streamfield/casestudies_external_link_block.html"
        description = "A link to another website"
        preview_value = {"title": "councils.coop", "url": "https://www.councils.coop/"}


class OutputsBlock(blocks.StreamBlock):
    document = DocumentBlock()
    publication = PublicationLinkBlock()
    link = ExternalLinkBlock()

    class Meta:
        icon = "folder-open-inverse"


class DocumentsBlock(blocks.StreamBlock):
    document = DocumentBlock()

    class Meta:
        icon = "doc-full"
