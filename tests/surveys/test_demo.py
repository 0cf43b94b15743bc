import pytest

from cqtt.demo.surveys import load_demo_surveys
from cqtt.surveys import rules, selectors
from cqtt.surveys.models import Campaign
from tests.factories import make_commune, make_province, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def test_the_demo_has_two_compared_campaigns_with_every_chart_cell_shown():
    ward = make_commune(make_province("79"), code="25747", name="Phường Thủ Dầu Một")
    make_user("motcua", unit=ward, role="counter_officer")
    assert load_demo_surveys(units=[ward]) == 3
    assert load_demo_surveys(units=[ward]) == 0
    before = Campaign.objects.get(kind="before_model")
    after = Campaign.objects.get(kind="after_model")
    assert after.paired_with == before and before.status == "closed" and after.status == "open"
    for c in (before, after):
        results = selectors.campaign_results(c)
        assert results.total >= 40 and results.by_channel["paper"] > 0
        overall = results.tallies["hai_long"]
        assert overall.mean is not None and any(n and n >= rules.MIN_CELL for n in overall.counts.values())
        assert not [k for k, t in results.tallies.items() if t.suppressed]  # every cell and mean shown
    assert (
        selectors.campaign_results(after).tallies["hai_long"].mean
        > selectors.campaign_results(before).tallies["hai_long"].mean
    )
    assert selectors.open_campaign_after_result(ward).kind == "after_result"
