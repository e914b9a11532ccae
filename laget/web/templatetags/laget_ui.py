"""Template helpers that render Django form fields with Punkt's classes and ARIA wiring."""

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def pkt_widget(field: BoundField) -> SafeString:
    widget_type = field.widget_type
    css = "pkt-input pkt-input--fullwidth"
    if widget_type == "select":
        css = "pkt-input pkt-input--fullwidth laget-select"
    attrs: dict[str, str] = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def national_id_display(number: str | None) -> str:
    """DDMMYY NNNNN for reading aloud and comparing with paper."""
    if not number:
        return ""
    return f"{number[:6]} {number[6:]}"
