"""Admin for API clients: read and deactivate. Clients and tokens are created with
`manage.py apiclient`, which shows a token once; the admin never shows a token's hash."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from laget.apiclients import services
from laget.apiclients.models import ApiClient, ApiToken


class ApiTokenInline(admin.TabularInline):
    model = ApiToken
    extra = 0
    fields = ("prefix", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "active", "created_at")
    list_filter = ("active",)
    search_fields = ("name", "agency__name")
    fields = ("agency", "name", "scopes", "active", "created_by", "created_at")
    readonly_fields = ("agency", "name", "scopes", "active", "created_by", "created_at")
    inlines = [ApiTokenInline]
    actions = ["deactivate"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Deaktiver valgte klienter (alle nøkler slutter å virke)"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
        for client in queryset.filter(active=True):
            services.client_deactivate(client=client, by=request.user)  # type: ignore[arg-type]
