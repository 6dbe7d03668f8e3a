"""Create the programme page at /events/ under the home page. Every installation needs it."""

from django.db import migrations

# Wagtail's tree paths: 4 characters per level in this alphabet (treebeard's MP_Node default).
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_step(path: str | None) -> str:
    value = int(path[-4:], 36) + 1 if path else 1
    digits = ""
    while value:
        value, rest = divmod(value, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def create(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    EventIndexPage = apps.get_model("events", "EventIndexPage")

    home = Page.objects.filter(depth=2, content_type__app_label="pages").order_by("path").first()
    if home is None or EventIndexPage.objects.exists():
        return
    last = Page.objects.filter(depth=3, path__startswith=home.path).order_by("-path").first()
    index_ct, _ = ContentType.objects.get_or_create(app_label="events", model="eventindexpage")
    EventIndexPage.objects.create(
        title="Training events",
        draft_title="Training events",
        slug="events",
        content_type=index_ct,
        path=home.path + _next_step(last.path if last else None),
        depth=3,
        numchild=0,
        url_path=f"{home.url_path}events/",
        live=True,
        locale_id=home.locale_id,
        introduction=(
            "<p>Multi-agency workshops, in person and online, that bring practitioners from "
            "every agency together. Filter by audience, level, dates or places left.</p>"
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("courses", "0003_course_index_and_review_workflow"),
        ("pages", "0002_site_pages"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
