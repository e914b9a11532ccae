"""Admin for the school register: an administrator keeps a school's name, level and its miljøteam
(the school's staff who work on the school environment). The register itself comes from
`manage.py import_schools`; incidents, requests and school changes (which hold personal data) are
not in the admin: they are read and written only through the pages, audited."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from laget.accounts.models import Membership, User
from laget.schools.models import School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "orgnr", "district", "level", "source")
    list_filter = ("level", "district", "source")
    search_fields = ("name", "orgnr")
    fields = ("name", "orgnr", "district", "level", "source", "agency", "miljoteam")
    readonly_fields = ("orgnr", "source", "agency")
    filter_horizontal = ("miljoteam",)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):  # type: ignore[no-untyped-def]
        if db_field.name == "miljoteam":
            # only the school's own staff can be on its miljøteam
            match = request.resolver_match
            school_id = match.kwargs.get("object_id") if match else None
            staff: QuerySet[User] = User.objects.none()
            if school_id:
                agency_id = (School.objects.filter(pk=school_id)
                             .values_list("agency_id", flat=True).first())
                staff = User.objects.filter(pk__in=Membership.objects.filter(
                    agency_id=agency_id).values("user_id"))
            kwargs["queryset"] = staff
        return super().formfield_for_manytomany(db_field, request, **kwargs)
