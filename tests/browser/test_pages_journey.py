"""Public pages: reachable from the footer without signing in, with no axe violations."""


def test_public_pages_are_reachable_from_the_footer_and_accessible(
    page, live_url, assert_accessible
):
    page.goto(f"{live_url}/")
    for asset in ("/static/build/app.css", "/static/build/app.js"):
        assert page.request.get(f"{live_url}{asset}").ok, f"{asset} is not served"
    assert_accessible(page)

    page.get_by_role("link", name="Accessibility statement").click()
    assert page.url == f"{live_url}/accessibility/"
    assert_accessible(page)

    page.get_by_role("link", name="Privacy notice").click()
    assert page.url == f"{live_url}/privacy/"
    assert_accessible(page)

    page.get_by_role("link", name="Safeguarding training").click()
    assert page.url == f"{live_url}/"
