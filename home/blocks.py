"""StreamField blocks shared by every page type's body."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text="Short, descriptive section heading.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section (H2)"), ("h3", "Sub-section (H3)")],
        default="h2",
        help_text="Use H2 for sections; H3 only inside an H2 section.",
    )

    class Meta:
        icon = "title"
        template = "components/streamfield/heading_block.html"
        description = "A section heading"
        preview_value = {"text": "Why a co-operative approach matters", "level": "h2"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        required=False,
        max_length=250,
        help_text="Describe what the image shows for people who cannot see it, "
        'e.g. "Councillors voting at Kirklees Council\'s annual meeting".',
    )
    decorative = blocks.BooleanBlock(
        required=False,
        help_text="Tick only if the image adds nothing to the text (screen readers skip it).",
    )
    caption = blocks.CharBlock(required=False, max_length=250)
    credit = blocks.CharBlock(required=False, max_length=120, help_text="Photographer or source.")

    class Meta:
        icon = "image"
        template = "components/streamfield/image_block.html"
        description = "An image with alt text and an optional caption"

    def clean(self, value):
        result = super().clean(value)
        if not result.get("decorative") and not (result.get("alt_text") or "").strip():
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": [
                        "Describe the image, or tick “decorative” if it adds nothing to the text."
                    ]
                }
            )
        return result


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(help_text="The words quoted, without quotation marks.")
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text='Who said it, e.g. "Cllr Paul Cassidy".'
    )
    role = blocks.CharBlock(
        required=False, max_length=200, help_text='Their role, e.g. "Interim Chair of CCIN".'
    )

    class Meta:
        icon = "openquote"
        template = "components/streamfield/quote_block.html"
        description = "A pull quote with attribution"
        preview_value = {
            "quote": "Co-operation is the only sensible way to make progress.",
            "attribution": "Cllr Paul Cassidy",
            "role": "Interim Chair of CCIN",
        }


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        required=False, max_length=200, help_text="Link text; the document's title if empty."
    )

    class Meta:
        icon = "doc-full"
        template = "components/streamfield/document_block.html"
        description = "A link to a document, with its type and size"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    page = blocks.PageChooserBlock(required=False, help_text="Link to a page on this site…")
    url = blocks.URLBlock(required=False, help_text="…or to another website.")
    button_label = blocks.CharBlock(max_length=60, default="Find out more")

    class Meta:
        icon = "pick"
        template = "components/streamfield/cta_block.html"
        description = "A highlighted box with a button"
        preview_value = {
            "title": "Join the network",
            "text": "Membership is open to all UK councils.",
            "url": "https://www.councils.coop/membership/",
            "button_label": "How to join",
        }

    def clean(self, value):
        result = super().clean(value)
        if not (result.get("page") or result.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ["Choose a page or enter a URL for the button."]}
            )
        return result


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="components/streamfield/paragraph_block.html",
        description="Body text",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    embed = blocks.StructBlock(
        [
            ("embed", EmbedBlock(help_text="A YouTube, Vimeo or similar address.")),
            ("caption", blocks.CharBlock(required=False, max_length=250)),
        ],
        icon="media",
        template="components/streamfield/embed_block.html",
        description="A video or other embedded media",
    )
    document = DocumentBlock()
    table = TableBlock(
        template="components/streamfield/table_block.html",
        description="A table; tick 'row header' / 'column header' for accessible headings",
    )
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {}


SOCIAL_PLATFORMS = [
    ("x", "X (Twitter)"),
    ("linkedin", "LinkedIn"),
    ("bluesky", "Bluesky"),
    ("youtube", "YouTube"),
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("mastodon", "Mastodon"),
]


class SocialLinkBlock(blocks.StructBlock):
    platform = blocks.ChoiceBlock(choices=SOCIAL_PLATFORMS)
    url = blocks.URLBlock()

    class Meta:
        icon = "link"
