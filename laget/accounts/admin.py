"""Admin for agencies, staff users and their roles — staff data and reference data only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from laget.accounts.models import Agency, ExternalIdentity, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("agency", "role", "title", "valid_from", "valid_to")
    autocomplete_fields = ("agency",)


class ExternalIdentityInline(admin.TabularInline):
    """Links to single sign-on accounts: an administrator links by hand what the first login
    could not link by a verified e-mail address (see laget.accounts.sso)."""

    model = ExternalIdentity
    extra = 0
    fields = ("issuer", "subject", "last_login")
    readonly_fields = ("last_login",)


@admin.register(User)
class LagetUserAdmin(UserAdmin):
    inlines = [MembershipInline, ExternalIdentityInline]
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff", "last_login")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "district", "code", "is_synthetic")
    list_filter = ("type", "district")
    search_fields = ("name", "code")
    fields = ("code", "name", "type", "district", "is_synthetic")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role", "valid_from", "valid_to")
    list_filter = ("role", "agency__type")
    search_fields = ("user__username", "agency__name")
    autocomplete_fields = ("agency",)
    fields = ("user", "agency", "role", "title", "valid_from", "valid_to")
