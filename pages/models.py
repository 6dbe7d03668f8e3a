"""Site pages: the editable home page and plain content pages (accessibility, privacy)."""

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class HomePage(Page):
    """The landing page at /; its introduction and promoted links are editable."""

    introduction = RichTextField(features=RICH_TEXT_FEATURES, blank=True)
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(features=RICH_TEXT_FEATURES)),
            (
                "link_card",
                blocks.StructBlock(
                    [
                        ("heading", blocks.CharBlock()),
                        ("text", blocks.TextBlock(required=False)),
                        ("url", blocks.CharBlock(help_text="A path such as /courses/")),
                    ],
                    template="blocks/link_card.html",
                ),
            ),
        ],
        blank=True,
    )

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.StandardPage", "courses.CourseIndexPage"]
    max_count = 1


class StandardPage(Page):
    """A plain content page, such as the accessibility statement or the privacy notice."""

    body = RichTextField(features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]
