"""Admin for «unge forbilder» programmes: an administrator sets up a programme — who runs it, for
which bydel and ages, its capacity, whether it takes applications — and publishes its criteria.
Programmes and criteria hold no personal data; applications, mentors and mentorships (which do)
are not in the admin: they are read and written only through the programme's pages, audited."""

from django.contrib import admin

from laget.mentors.models import Criterion, Programme


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 1
    fields = ("position", "text", "required")
    ordering = ("position",)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "district", "capacity", "open_for_applications")
    list_filter = ("open_for_applications", "district")
    search_fields = ("name", "agency__name")
    fields = ("name", "description", "agency", "district", "age_min", "age_max", "capacity",
              "open_for_applications")
    inlines = [CriterionInline]
