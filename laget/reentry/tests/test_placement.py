"""The placement check: the warning, its reason shown only to those with a basis, the override."""

import pytest

from laget.audit.models import AuditEvent
from laget.core.errors import DomainError
from laget.people.tests.factories import PersonFactory
from laget.reentry import placement
from laget.reentry.models import AffiliationKind, Placement


@pytest.fixture
def held(scene):
    """A member of network «nord» already in section B of the kriminalomsorg unit."""
    inmate = PersonFactory()
    placement.network_register(actor=scene.police, person=inmate, network_code="nord",
                               network_name="Nord-gjengen", kind=AffiliationKind.MEMBER)
    placement.placement_create(actor=scene.ko, person=inmate, section="Avdeling B",
                               kind="placement")
    return inmate


def test_same_network_warns_and_override_needs_a_reason(scene, held, draft_rules_in_force):
    newcomer = PersonFactory()
    placement.network_register(actor=scene.police, person=newcomer, network_code="nord",
                               network_name="Nord-gjengen", kind=AffiliationKind.MEMBER)
    check = placement.placement_check(actor=scene.ko, person=newcomer, section="avdeling  b")
    assert check.warning and check.reason_visible
    assert [(c.other, c.same_network) for c in check.conflicts] == [(held, True)]
    assert check.basis == "politi-kriminalomsorg"
    with pytest.raises(DomainError) as error:
        placement.placement_create(actor=scene.ko, person=newcomer, section="Avdeling B",
                                   kind="placement")
    assert error.value.code == "placement_warning"
    assert not Placement.objects.filter(person=newcomer).exists()
    made = placement.placement_create(actor=scene.ko, person=newcomer, section="Avdeling B",
                                      kind="placement", override_reason="Eneste ledige plass")
    assert made.warned and made.override_reason == "Eneste ledige plass"
    event = AuditEvent.objects.get(action="reentry.placement_override")
    assert "Eneste" not in str(event.details)
    # another section: no warning; a transfer ends the current placement
    moved = placement.placement_create(actor=scene.ko, person=newcomer, section="Avdeling C",
                                       kind="transfer")
    made.refresh_from_db()
    assert made.placed_to is not None and not moved.warned


def test_conflict_with_the_network_warns(scene, held):
    rival = PersonFactory()
    placement.network_register(actor=scene.police, person=rival, network_code="nord",
                               network_name="Nord-gjengen", kind=AffiliationKind.CONFLICT)
    assert placement.placement_check(actor=scene.ko, person=rival, section="Avdeling B").warning
    other = PersonFactory()
    placement.network_register(actor=scene.police, person=other, network_code="sor",
                               network_name="Sør", kind=AffiliationKind.MEMBER)
    assert not placement.placement_check(actor=scene.ko, person=other,
                                         section="Avdeling B").warning


def test_reason_hidden_without_a_basis(scene, held):
    """Without a rule in force for politi → kriminalomsorg (outside the demo the unreviewed rule
    is no basis) the caseworker learns only that a warning exists; nobody is named in the log."""
    newcomer = PersonFactory()
    placement.network_register(actor=scene.police, person=newcomer, network_code="nord",
                               network_name="Nord-gjengen", kind=AffiliationKind.MEMBER)
    check = placement.placement_check(actor=scene.ko, person=newcomer, section="Avdeling B")
    assert check.warning and not check.reason_visible and check.conflicts == []
    event = AuditEvent.objects.filter(action="reentry.placement",
                                      details__event="check").latest("occurred_at")
    assert [str(p) for p in event.subjects.values_list("person_id", flat=True)] == [
        str(newcomer.pk)]
    # the police see their own reason; NAV cannot run the check at all
    assert placement.reason_basis(scene.police, newcomer) == "own"
    assert placement.reason_basis(scene.nav, newcomer) is None
    with pytest.raises(DomainError):
        placement.placement_check(actor=scene.nav, person=newcomer, section="Avdeling B")
    assert placement.networks_for_police(actor=scene.ko) == []
    assert placement.networks_for_police(actor=scene.nav) == []


def test_only_police_register_networks(scene):
    with pytest.raises(DomainError):
        placement.network_register(actor=scene.ko, person=PersonFactory(), network_code="x",
                                   network_name="X", kind=AffiliationKind.MEMBER)
