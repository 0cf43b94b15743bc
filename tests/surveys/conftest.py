import datetime as dt
from types import SimpleNamespace

import pytest

from cqtt.accounts.models import Role
from cqtt.surveys import rules, services
from tests.charts_browser import watched  # noqa: F401 (the charts' browser fixture)
from tests.factories import make_commune, make_province, make_user

T = rules.T
TODAY = dt.date(2026, 11, 24)  # the frozen clock's day (tests/conftest.py FROZEN_NOW)


def sample_questions() -> list[rules.Q]:
    """A short form with every kind of question: a show-if on a single choice and on a multiple choice."""
    return [
        rules.Q(key="gioi_thieu", type=T.NOTE, label="Xin ông/bà dành ít phút trả lời."),
        rules.Q(
            key="da_den",
            type=T.SELECT_ONE,
            label="Ông/bà đã đến Bộ phận Một cửa của phường trong năm nay chưa?",
            required=True,
            choices=[{"value": "co", "label": "Đã đến"}, {"value": "khong", "label": "Chưa đến"}],
        ),
        rules.Q(
            key="so_lan",
            type=T.INTEGER,
            label="Ông/bà đã đến bao nhiêu lần?",
            required=True,
            relevant="${da_den} = 'co'",
            min_value=1,
            max_value=100,
        ),
        rules.Q(
            key="hai_long",
            type=T.LIKERT,
            label="Ông/bà hài lòng thế nào với việc tiếp đón?",
            required=True,
            choices=rules.likert_choices(),
        ),
        rules.Q(key="phan_danh_gia", type=T.SECTION, label="Đánh giá chi tiết"),
        rules.Q(
            key="kenh",
            type=T.SELECT_MULTIPLE,
            label="Ông/bà biết thông tin thủ tục qua kênh nào?",
            choices=[
                {"value": "niem_yet", "label": "Bảng niêm yết"},
                {"value": "web", "label": "Cổng thông tin"},
                {"value": "khac", "label": "Kênh khác"},
            ],
        ),
        rules.Q(
            key="kenh_khac",
            type=T.TEXT,
            label="Kênh khác là kênh nào?",
            required=True,
            relevant="selected(${kenh}, 'khac')",
        ),
        rules.Q(
            key="thai_do",
            type=T.LIKERT_MATRIX,
            label="Đánh giá cán bộ tiếp nhận",
            choices=rules.likert_choices(),
            rows=[
                {"value": "lich_su", "label": "Lịch sự"},
                {"value": "tan_tinh", "label": "Hướng dẫn tận tình"},
            ],
        ),
        rules.Q(key="gop_y", type=T.TEXTAREA, label="Góp ý khác của ông/bà"),
    ]


@pytest.fixture
def sv(db):
    """Two wards of one province; staff of each role in ward A, a specialist in ward B; a form of ward A with an
    open campaign (and a draft one) of it."""
    province = make_province("79", "Thành phố Hồ Chí Minh")
    a = make_commune(province, code="25747", name="Phường Thủ Dầu Một")
    b = make_commune(province, code="25978", name="Phường Thuận An")
    leader = make_user("lanhdao", unit=a, role=Role.LEADER, full_name="Lê Văn Thành")
    specialist = make_user("chuyenvien", unit=a, role=Role.SPECIALIST)
    counter = make_user("motcua", unit=a, role=Role.COUNTER_OFFICER)
    observer = make_user("mttq", unit=a, role=Role.OBSERVER, full_name="Đặng Thị Hồng")
    admin = make_user("quantri", unit=a, role=Role.UNIT_ADMIN)
    other = make_user("chuyenvien2", unit=b, role=Role.SPECIALIST)
    observer_b = make_user("mttq2", unit=b, role=Role.OBSERVER)
    form = services.form_create(
        actor=leader,
        unit=a,
        code="TD01",
        title="Phiếu lấy ý kiến về Bộ phận Một cửa",
        questions=sample_questions(),
    )
    campaign = services.campaign_create(
        actor=leader,
        form=form,
        unit=a,
        kind="after_model",
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    campaign = services.campaign_open(actor=leader, campaign=campaign)
    return SimpleNamespace(
        province=province,
        a=a,
        b=b,
        leader=leader,
        specialist=specialist,
        counter=counter,
        observer=observer,
        admin=admin,
        other=other,
        observer_b=observer_b,
        form=form,
        campaign=campaign,
    )


def good_answers(**over) -> dict:
    answers = {"da_den": "co", "so_lan": "2", "hai_long": "4", "kenh": ["web"], "thai_do.lich_su": "5"}
    answers.update(over)
    return {k: v for k, v in answers.items() if v is not None}


def fill(campaign, n: int, **over) -> None:
    for _ in range(n):
        services.response_submit(campaign=campaign, answers=good_answers(**over), today=TODAY)
