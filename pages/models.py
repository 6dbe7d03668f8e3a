"""Site pages: the editable home page and plain content pages (accessibility, privacy)."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
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

    def route(self, request, path_components):
        """Wagtail's routing, reading the child's id, type and place in the tree first: a page
        routed through needs no more, and the page served is read whole once (its specific
        query), instead of base row then specific row for each."""
        if not path_components:
            return super().route(request, path_components)
        row = (
            self.get_children()
            .filter(slug=path_components[0])
            .values_list("id", "content_type", "path", "depth", "numchild")
            .first()
        )
        if row is None:
            raise Http404
        pk, content_type_id, path, depth, numchild = row
        model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        remaining = path_components[1:]
        if not remaining:
            return model._default_manager.get(pk=pk).route(request, remaining)
        # Routed through: built by Django's Model.from_db with the fields not read deferred
        # (any of them still loads on first use), as Wagtail's get_specific(deferred=True) does.
        known = {
            "id": pk,
            "content_type_id": content_type_id,
            "path": path,
            "depth": depth,
            "numchild": numchild,  # treebeard's get_children() asks is_leaf() first
        }
        names = [
            f.attname for f in model._meta.concrete_fields if f.attname in known or f.primary_key
        ]
        child = model.from_db(None, names, [known.get(name, pk) for name in names])
        return child.route(request, remaining)


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
