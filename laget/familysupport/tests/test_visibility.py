"""A relocation application exists only for the coordinator who registered it, the deciding
leader and the named handlers; a protected destination only for the first two, and never in a
list, an audit event's details or a page for anyone else. Referrals are seen by the case's
readers and the provider only."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from laget.accounts.models import AgencyType, Role
from laget.audit.models import AuditEvent
from laget.core.errors import NotFound
from laget.familysupport import access, selectors, services
from laget.familysupport.tests.conftest import actor_of
from laget.people.models import AddressProtection

pytestmark = pytest.mark.django_db


def relocate(scene, protected=True):
    return services.relocation_create(
        actor=scene.coordinator, case=scene.case, guardian_ids=[scene.mother.pk],
        leader=scene.leader.user, handlers=[scene.caseworker.user], grounds="Må flytte.",
        reasons=["kriminelt_miljo"], destination_number="4601", protected=protected,
        cost_moving=10_000, cost_deposit=0, cost_other=0)


def test_strangers_do_not_know_the_application_exists(scene):
    application = relocate(scene)
    for stranger in (scene.other_coordinator, scene.other_leader, scene.school,
                     scene.sondre_leader, scene.provider):
        with pytest.raises(NotFound):
            selectors.relocation_get_for(actor=stranger, application_id=application.pk)
        assert selectors.relocation_list_for(actor=stranger) == []
    denied = AuditEvent.objects.filter(action="familysupport.relocation_view", outcome="denied")
    assert denied.count() == 5


def test_protected_destination_only_for_the_registrar_and_the_deciding_leader(scene):
    application = relocate(scene, protected=True)
    for reader in (scene.coordinator, scene.leader):
        view = selectors.relocation_get_for(actor=reader, application_id=application.pk)
        assert view.destination == "4601 Bergen"
    view = selectors.relocation_get_for(actor=scene.caseworker, application_id=application.pk)
    assert view.destination is None and view.protected
    reads = AuditEvent.objects.filter(action="familysupport.relocation_view",
                                      details__view="destination")
    assert reads.count() == 2
    assert {e.actor_id for e in reads} == {scene.coordinator.user.pk, scene.leader.user.pk}
    for event in AuditEvent.objects.all():
        assert "Bergen" not in str(event.details) and "4601" not in str(event.details)


def test_unprotected_destination_is_seen_by_the_handlers(scene):
    application = relocate(scene, protected=False)
    view = selectors.relocation_get_for(actor=scene.caseworker, application_id=application.pk)
    assert view.destination == "4601 Bergen"


@pytest.mark.parametrize("who", ["person", "guardian"])
def test_address_protection_hides_the_destination_without_the_flag(scene, who):
    target = scene.case.person if who == "person" else scene.mother
    target.address_protection = AddressProtection.STRENGT_FORTROLIG
    target.save()
    application = relocate(scene, protected=False)
    application.refresh_from_db()
    assert access.destination_protected(application)
    view = selectors.relocation_get_for(actor=scene.caseworker, application_id=application.pk)
    assert view.destination is None
    view = selectors.relocation_get_for(actor=scene.leader, application_id=application.pk)
    assert view.destination == "4601 Bergen"


def test_pages_hide_the_destination_and_404_strangers(scene, login):
    application = relocate(scene)
    url = reverse("web:familysupport_relocation_detail", args=[application.pk])
    list_url = reverse("web:familysupport_relocation_list")
    coordinator = login(Client(), scene.coordinator.user)
    page = coordinator.get(url).content.decode()
    assert "Bergen" in page
    assert "Bergen" not in coordinator.get(list_url).content.decode()
    handler = login(Client(), scene.caseworker.user)
    page = handler.get(url).content.decode()
    assert "Bergen" not in page and "4601" not in page and "Skjermet" in page
    for stranger in (scene.other_coordinator, scene.other_leader, scene.sondre_leader):
        client = login(Client(), stranger.user)
        assert client.get(url).status_code == 404
        assert str(application.pk) not in client.get(list_url).content.decode()
    # the case page never shows a link to the application to those who may not see it
    case_url = reverse("web:case_detail", args=[scene.case.pk])
    other = login(Client(), scene.other_coordinator.user)
    assert str(application.pk) not in other.get(case_url).content.decode()


def test_referral_is_seen_by_the_team_and_the_provider_only(scene, make_member):
    scene.consent()
    [referral] = services.parent_referral_create(
        actor=scene.coordinator, case=scene.case, guardian_ids=[scene.mother.pk],
        offer=scene.offer, text="Veiledning.")
    for reader in (scene.coordinator, scene.school, scene.provider, scene.leader):
        assert selectors.referral_get_for(actor=reader, referral_id=referral.pk) == referral
    other_club = actor_of(make_member(Role.CASEWORKER, agency_type=AgencyType.FRITID))
    for stranger in (scene.sondre_leader, other_club):
        with pytest.raises(NotFound):
            selectors.referral_get_for(actor=stranger, referral_id=referral.pk)
    assert selectors.referrals_received_for(actor=scene.provider) == [referral]
    assert selectors.referrals_received_for(actor=other_club) == []


def test_crawl_never_shows_the_protected_destination_to_others(scene, login):
    """Every familysupport page, GET and POST, for every role without the need: never a 500,
    never the destination."""
    from laget.web.urls_familysupport import urlpatterns

    scene.consent()
    [referral] = services.parent_referral_create(
        actor=scene.coordinator, case=scene.case, guardian_ids=[scene.mother.pk],
        offer=scene.offer, text="Veiledning.")
    application = relocate(scene)
    kwargs = {"case_id": scene.case.pk, "parent_referral_id": referral.pk,
              "relocation_id": application.pk}
    urls = [reverse(f"web:{p.name}", kwargs={k: kwargs[k] for k in p.pattern.converters})
            for p in urlpatterns]
    assert len(urls) == 10
    for actor in (scene.caseworker, scene.other_coordinator, scene.other_leader, scene.school,
                  scene.sondre_leader, scene.provider):
        client = login(Client(), actor.user)
        for url in urls:
            for method in (client.get, client.post):
                response = method(url)
                assert response.status_code < 500, (url, actor)
                body = response.content.decode(errors="replace")
                # a blank registration form lists every municipality; none chosen
                assert 'value="4601" selected' not in body, (url, actor)
                body = re.sub(r"<select .*?</select>", "", body, flags=re.S)
                assert "Bergen" not in body and "4601" not in body, (url, actor)
