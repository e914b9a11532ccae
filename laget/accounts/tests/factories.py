import factory
from factory.django import DjangoModelFactory

from laget.accounts.models import Agency, AgencyType, Membership, Role, User

TEST_PASSWORD = "Riktig-hest-batteri-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Testesen{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.laget.invalid")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"virksomhet-{n}")
    name = factory.Sequence(lambda n: f"Testvirksomhet {n}")
    type = AgencyType.BYDEL
    district_id = "030111"
    is_synthetic = True


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CASEWORKER
