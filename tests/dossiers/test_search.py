"""Staff search (issue 11 §6, ADR 0012): one box on the work lists and `?q=` on the API find dossiers by code,
applicant name with or without diacritics, ID number or phone, within the user's units only."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from cqtt.dossiers import rules
from cqtt.dossiers.models import Dossier
from cqtt.dossiers.selectors import dossier_list_for
from cqtt.dossiers.services import dossier_intake

from .conftest import applicant, at, documents_for, receive

pytestmark = pytest.mark.django_db


def _codes(user, text):
    return {d.code for d in dossier_list_for(user=user, search=rules.search_query(text))}


@pytest.fixture
def three(world, frozen_clock):
    """Two dossiers in ward A, one in ward B; distinct applicants."""
    binh = receive(world)
    lan = dossier_intake(
        actor=world.counter_a,
        procedure_code=world.birth.code,
        applicant=applicant(full_name="Đặng Thị Lan", id_number="001190004321", phone="0387654321"),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 10, 0),
        counter=world.counter,
    ).dossier
    other = dossier_intake(
        actor=world.counter_b,
        procedure_code=world.birth.code,
        applicant=applicant(full_name="Phạm Văn Bình", id_number="079085009999", phone="0912000111"),
        documents=documents_for(world.birth),
        at=at(2026, 11, 23, 11, 0),
    ).dossier
    return binh, lan, other


# --- the query's rules -------------------------------------------------------------------------------------


def test_a_whole_code_is_matched_exactly_and_case_does_not_matter():
    q = rules.search_query(" 000.00.27.h29-261124-0001 ")
    assert q.code == "000.00.27.H29-261124-0001" and not q.words and not q.marks


def test_words_are_folded_and_numbers_normalised():
    q = rules.search_query("NGUYỄN  văn, +84912345678 ０７９")
    assert q.words == ("nguyen", "van")
    assert q.marks == ("0912345678", "079")


@pytest.mark.parametrize(
    "text, message",
    [
        ("a", "ít nhất một từ 2 chữ cái hoặc 3 chữ số"),
        ("a 12", "ít nhất một từ 2 chữ cái hoặc 3 chữ số"),
        ("a b c d e f g h", "tối đa 6 từ"),
        ("x" * 101, "dài quá 100 ký tự"),
    ],
)
def test_a_query_that_would_read_everything_is_refused_in_vietnamese(text, message):
    with pytest.raises(rules.SearchRefused, match=message):
        rules.search_query(text)


def test_search_text_is_folded_with_a_leading_space():
    assert (
        rules.search_text("X-261124-0001", "Đặng Thị Lan", "001", "0912")
        == " x-261124-0001 dang thi lan 001 0912"
    )


# --- the selector --------------------------------------------------------------------------------------------


def test_finds_by_name_with_or_without_diacritics_only_in_the_users_units(world, three):
    binh, lan, other = three
    assert _codes(world.counter_a, "Phạm Văn Bình") == {binh.code}
    assert _codes(world.counter_a, "pham binh") == {binh.code}  # words need not be adjacent
    assert _codes(world.counter_a, "DANG thi") == {lan.code}
    assert _codes(world.counter_b, "pham van binh") == {other.code}  # ward B sees only its own
    assert _codes(world.counter_a, "ngu") == set()  # a word's beginning, not any substring ("nguyen")
    assert _codes(world.counter_a, "dang an") == set()  # "an" is not the beginning of "Lan"
    assert _codes(world.counter_a, "la") == {lan.code}  # 2 letters: a word's beginning


def test_finds_by_code_id_number_phone_and_last_digits(world, three):
    binh, lan, other = three
    assert _codes(world.counter_a, binh.code) == {binh.code}
    assert _codes(world.counter_a, other.code) == set()  # another ward's code: nothing
    assert _codes(world.counter_a, "001190004321") == {lan.code}
    assert _codes(world.counter_a, "0387 654 321") == {lan.code}
    assert _codes(world.counter_a, "+84387654321") == {lan.code}
    assert _codes(world.leader, "4321") == {lan.code}
    assert _codes(world.leader, binh.code.split("-", 1)[1]) == {binh.code}  # the date and number of a code


def test_the_observer_finds_by_name_and_code_but_not_by_the_numbers_it_sees_masked(world, three):
    binh, lan, _ = three
    assert _codes(world.observer, "Đặng Thị Lan") == {lan.code}
    assert _codes(world.observer, binh.code) == {binh.code}
    assert _codes(world.observer, "001190004321") == set()
    assert _codes(world.observer, "0387654321") == set()


def test_an_observer_who_also_works_in_another_ward_finds_numbers_only_there(world, three):
    from cqtt.accounts.models import Role
    from cqtt.accounts.services import role_grant

    _, lan, other = three
    role_grant(user=world.observer, unit=world.b, role=Role.COUNTER_OFFICER)
    assert _codes(world.observer, "0912000111") == {other.code}  # ward B: its own counter work, full values
    assert _codes(world.observer, "0387654321") == set()  # ward A: observer only, masked
    assert _codes(world.observer, lan.code.split("-", 1)[1]) == {lan.code}  # a code's part still matches


def test_the_provincial_supervisor_searches_every_commune(world, three):
    from cqtt.accounts.models import Role
    from tests.factories import make_user

    binh, _, other = three
    supervisor = make_user("giamsat", unit=world.city, role=Role.PROVINCIAL_SUPERVISOR)
    assert _codes(supervisor, "pham van binh") == {binh.code, other.code}


def test_the_search_text_is_written_at_intake(world, frozen_clock):
    d = receive(world)
    d.refresh_from_db()
    assert d.search_text == rules.search_text(d.code, "Phạm Văn Bình", "079085001234", "0912345678")


# --- the page and the API -----------------------------------------------------------------------------------


def test_the_work_list_search_box_lists_what_it_finds(client, world, three):
    binh, lan, other = three
    client.force_login(world.leader)
    page = client.get(reverse("dossiers:worklists"), {"q": "dang thi lan"})
    html = page.content.decode()
    assert page.status_code == 200
    assert lan.code in html and binh.code not in html and other.code not in html
    assert 'value="dang thi lan"' in html
    assert "Kết quả tìm «dang thi lan»" in html


def test_the_work_list_explains_a_refused_query_and_lists_nothing(client, world, three):
    client.force_login(world.leader)
    html = client.get(reverse("dossiers:worklists"), {"q": "a"}).content.decode()
    assert "Nhập ít nhất một từ 2 chữ cái" in html
    assert "Không có hồ sơ nào." in html
    assert three[0].code not in html


def test_the_api_takes_q(world, three):
    binh, lan, other = three
    api = APIClient()
    api.force_authenticate(world.counter_a)
    body = api.get("/api/v1/dossiers/", {"q": "Pham Van Binh"}).json()
    assert [r["code"] for r in body["results"]] == [binh.code]
    assert body["count"] == 1
    refused = api.get("/api/v1/dossiers/", {"q": "a"})
    assert refused.status_code == 400
    assert "ít nhất một từ 2 chữ cái" in str(refused.json())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_postgresql_serves_a_name_search_from_the_trigram_index(world, three):
    with connection.cursor() as cursor:
        # a GIN index is read by bitmap scans only; with three rows, the planner must be told not to read the table
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        plan = Dossier.objects.filter(search_text__contains=" dang thi").order_by().explain()
        cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    assert "dossier_search_trgm" in plan


def test_the_observer_is_told_why_numbers_find_nothing(client, world, three):
    client.force_login(world.observer)
    html = client.get(reverse("dossiers:worklists"), {"q": "0387654321"}).content.decode()
    assert "tìm theo mã hồ sơ hoặc họ tên" in html and "Không có hồ sơ nào." in html
    client.force_login(world.leader)
    assert "tìm theo mã hồ sơ hoặc họ tên" not in client.get(reverse("dossiers:worklists")).content.decode()
