"""Site pages: the editable home page and plain content pages (accessibility, privacy)."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]

ANY_VIEW_RESTRICTION_KEY = "pages:any-view-restriction"


def any_view_restriction() -> bool:
    """Whether any page on any site has a view restriction (privacy), kept in the shared cache.

    Cleared whenever a restriction is saved or deleted; the timeout is a backstop for changes
    made without signals (``bulk_create``, raw SQL).
    """
    return cache.get_or_set(ANY_VIEW_RESTRICTION_KEY, PageViewRestriction.objects.exists, 60)


@receiver([post_save, post_delete], sender=PageViewRestriction)
def _view_restrictions_changed(**kwargs) -> None:
    cache.delete(ANY_VIEW_RESTRICTION_KEY)


class ViewRestrictedPage(Page):
    """A page whose view restrictions (Wagtail's rule) are not read while the site has none.

    Wagtail reads the page's ancestors and then their restrictions on every request; a site with
    no page privacy at all (the usual case) answers that from the cache instead.
    """

    class Meta:
        abstract = True

    def get_view_restrictions(self):
        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class HomePage(ViewRestrictedPage):
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
    subpage_types = ["pages.StandardPage", "courses.CourseIndexPage", "events.EventIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from accounts.selectors import agency_members_pending, user_is_agency_lead

        context = super().get_context(request, *args, **kwargs)
        # A lead lands here after signing in: tell them who waits for their decision.
        user = request.user
        if user.is_authenticated and user_is_agency_lead(user=user):
            context["pending_approvals"] = agency_members_pending(agency=user.agency).count()
        return context


class StandardPage(ViewRestrictedPage):
    """A plain content page, such as the accessibility statement or the privacy notice."""

    body = RichTextField(features=RICH_TEXT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]
