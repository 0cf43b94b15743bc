"""The denouncer sealed, by role: only the designated handler opens the identity, with a reason, logged; the
verifier, a second leader, the desk, the observer, the province and another ward never see it."""

import pytest

from cqtt.accounts.models import Role
from cqtt.complaints import services
from cqtt.complaints.models import IdentityAccess
from cqtt.core.errors import NotInScope, PermissionDenied, ServiceError
from tests.complaints.conftest import PERSON, receive
from tests.dossiers.conftest import at
from tests.factories import make_user

pytestmark = pytest.mark.django_db
REASON = "Cần mời người tố cáo đến cung cấp thêm chứng cứ."


def test_only_the_handler_opens_a_denouncers_identity_and_each_opening_is_logged(world, leader2, supervisor):
    case = receive(world)
    services.case_assign(actor=world.leader, case=case, assignee=world.specialist.username)
    for who in (world.specialist, leader2, world.counter_a, world.observer, supervisor):
        with pytest.raises(PermissionDenied):
            services.identity_reveal(actor=who, case=case, reason=REASON)
    with pytest.raises(NotInScope):
        services.identity_reveal(actor=world.counter_b, case=case, reason=REASON)
    with pytest.raises(ServiceError):
        services.identity_reveal(actor=world.leader, case=case, reason="xem")
    assert not IdentityAccess.objects.exists()
    identity = services.identity_reveal(
        actor=world.leader, case=case, reason=REASON, at=at(2026, 12, 2, 10, 0)
    )
    assert identity.full_name == PERSON["full_name"]
    log = IdentityAccess.objects.get()
    assert (log.user, log.reason, log.via) == (world.leader, REASON, "page")


def test_the_handler_is_reassigned_only_by_the_handler(world, leader2):
    case = receive(world)
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=leader2, case=case, handler=leader2.username)
    case = services.case_assign(actor=world.leader, case=case, handler=leader2.username)
    with pytest.raises(PermissionDenied):
        services.identity_reveal(actor=world.leader, case=case, reason=REASON)
    assert services.identity_reveal(actor=leader2, case=case, reason=REASON).full_name == PERSON["full_name"]


def test_a_case_received_at_the_desk_gets_its_handler_on_acceptance(world, leader2):
    case = receive(world, actor=world.counter_a)
    with pytest.raises(PermissionDenied):
        services.identity_reveal(actor=world.counter_a, case=case, reason=REASON)
    case = services.case_accept(actor=leader2, case=case)
    assert case.handler == leader2


def test_a_complainants_verifier_may_open_it_too_logged(world):
    case = receive(world, kind="complaint")
    services.case_assign(actor=world.leader, case=case, assignee=world.specialist.username)
    assert services.identity_reveal(actor=world.specialist, case=case, reason=REASON).full_name
    assert IdentityAccess.objects.filter(user=world.specialist).count() == 1


def test_a_leader_of_another_ward_is_404(world):
    other = make_user("lanhdao2", unit=world.b, role=Role.LEADER)
    case = receive(world)
    with pytest.raises(NotInScope):
        services.identity_reveal(actor=other, case=case, reason=REASON)
