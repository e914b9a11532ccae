"""Rule review in the admin: the loaded rulebook versions and their rules, read-only (a rule is
changed by loading a new version of the file). No entries, consents or disclosures here."""

from django.contrib import admin
from django.http import HttpRequest

from laget.sharing.models import Rule, RulebookVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(RulebookVersion)
class RulebookVersionAdmin(ReadOnlyAdmin):
    list_display = ("version", "title", "loaded_at", "loaded_by", "file_name")
    fields = ("version", "title", "loaded_at", "loaded_by", "file_name", "sha256")


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ("rule_id", "version", "effect", "citation", "citation_status", "reviewed_by",
                    "reviewed_on", "valid_from", "valid_to")
    list_filter = ("version", "effect", "citation_status")
    search_fields = ("rule_id", "citation")
    fields = ("version", "rule_id", "sources", "recipients", "categories", "purposes", "age_min",
              "age_max", "programme", "weapon_trigger", "effect", "citation", "citation_status",
              "explanation_nb", "explanation_en", "reviewed_by", "reviewed_on", "valid_from",
              "valid_to")
