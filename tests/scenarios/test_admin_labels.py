"""Admin markup the project owns names every control: the list inputs of ending nodes and the
map's scroll box (axe rules "label" and "scrollable-region-focusable")."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from scenarios.blocks import EndingBlock
from tests.accounts.factories import UserFactory
from tests.scenarios.factories import scenario_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("list_name", "name"),
    [
        ("services", "Directory service id"),
        ("praises", "Choice the debrief praises"),
        ("misses", "Choice the debrief says was missed"),
    ],
)
def test_ending_list_inputs_carry_their_label(list_name, name):
    # Wagtail draws list items without the child's <label>; the input names itself instead.
    child = EndingBlock().child_blocks[list_name].child_block
    html = child.field.widget.render(f"nodes-0-value-{list_name}-0-value", "")
    assert f'aria-label="{name}"' in html


def test_map_scroll_box_is_focusable_and_named_by_its_caption(client):
    scenario = scenario_create()
    client.force_login(UserFactory(roles=[Role.TRAINER]))
    page = client.get(reverse("wagtailsnippets_scenarios_scenario:map", args=[scenario.pk]))
    assert 'tabindex="0" role="region" aria-labelledby="map-caption"' in page.content.decode()
