"""Replace Wagtail's placeholder page with our home page, and add the accessibility statement
and privacy notice, which every installation must have (not only the demo)."""

from django.db import migrations

ACCESSIBILITY = """
<h2>Using this service</h2>
<p>This service is run by the safeguarding children partnership. We want as many people as
possible to be able to use it. You should be able to:</p>
<ul><li>change colours, contrast levels and fonts using your browser or device settings</li>
<li>zoom in up to 400% without the text spilling off the screen</li>
<li>navigate the whole service using just a keyboard</li>
<li>use the courses, practice scenarios and service directory without JavaScript</li>
<li>listen to the service using a screen reader</li></ul>
<h2>How accessible this service is</h2>
<p>We test every page against the Web Content Accessibility Guidelines (WCAG) version 2.2 at
level AA, using automated checks on every release and manual keyboard and screen reader
checks. Videos in courses have transcripts and every image has a text alternative.</p>
<h2>Reporting accessibility problems</h2>
<p>If you find a problem that is not listed here, or you need information in a different
format, contact your agency's training lead or the partnership's training team. We will
reply within 5 working days.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission is responsible for enforcing the Public Sector
Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are
not happy with how we respond to your complaint, contact the Equality Advisory and Support
Service (EASS).</p>
"""

PRIVACY = """
<h2>Who we are</h2>
<p>The safeguarding children partnership is the data controller for this training service.</p>
<h2>What we collect and why</h2>
<ul><li>your name, to put on your certificates</li>
<li>your work email address, to sign you in and send reminders</li>
<li>your agency, team and job role, so the partnership can report which agencies have
completed which training</li>
<li>your learning records: which courses you start and complete, your knowledge check answers
and your choices in practice scenarios</li></ul>
<p>Reflections you write are private to you. Reports show scenario choices only as totals,
and never when fewer than 5 people made a choice.</p>
<h2>Our lawful basis</h2>
<p>We process your data to perform a task in the public interest: the statutory duty of
safeguarding partners to ensure practitioners are trained (Working Together to Safeguard
Children 2023).</p>
<h2>Who we share it with</h2>
<p>Your agency's lead sees your training status. Learning records may be sent to your own
agency's learning record store; these use a random identifier, not your name or email,
unless your agency has an agreement to receive your email address.</p>
<h2>How long we keep it</h2>
<p>We keep your learning records while you have an account and for 6 years after, so that
training can be evidenced in later reviews.</p>
<h2>Your rights</h2>
<p>You can see and correct your details, and download all the data we hold about you, from
the "Your account" page. You can ask for your account to be deleted. You can complain to the
Information Commissioner's Office (ICO).</p>
"""


def create_site_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("pages", "HomePage")
    StandardPage = apps.get_model("pages", "StandardPage")
    Locale = apps.get_model("wagtailcore", "Locale")
    locale = Locale.objects.order_by("pk").first()

    # Wagtail's initial migration creates a placeholder "Welcome" page at depth 2.
    Page.objects.filter(depth=2, content_type__model="page", slug="home").delete()

    home_ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="pages")
    page_ct, _ = ContentType.objects.get_or_create(model="standardpage", app_label="pages")
    home = HomePage.objects.create(
        title="Safeguarding children: learning from practice",
        draft_title="Safeguarding children: learning from practice",
        slug="home",
        content_type=home_ct,
        path="00010001",
        depth=2,
        numchild=2,
        url_path="/home/",
        live=True,
        locale=locale,
        introduction=(
            "<p>Training for everyone in the partnership who works with children: police, "
            "social care, health, schools and residential care. Courses and practice "
            "scenarios are built from what our local practice reviews have taught us.</p>"
        ),
    )
    for index, (title, slug, body) in enumerate(
        [("Accessibility statement", "accessibility", ACCESSIBILITY),
         ("Privacy notice", "privacy", PRIVACY)],
        start=1,
    ):
        StandardPage.objects.create(
            title=title, draft_title=title, slug=slug, content_type=page_ct,
            path=f"00010001{index:04d}", depth=3, numchild=0,
            url_path=f"/home/{slug}/", live=True, body=body.strip(), locale=locale,
        )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.id,
                  "site_name": "Safeguarding training"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_site_pages, migrations.RunPython.noop)]
