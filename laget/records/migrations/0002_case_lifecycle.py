"""The case lifecycle (laget.cases): "open" becomes assessment → active → closing → closed.
Existing open cases were being worked on, so they become active; one case per person that is not
closed."""

from django.db import migrations, models


def open_to_active(apps, schema_editor):
    Case = apps.get_model("records", "Case")
    Case.objects.filter(status="open").update(status="active")


def back_to_open(apps, schema_editor):
    Case = apps.get_model("records", "Case")
    Case.objects.exclude(status="closed").update(status="open")


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="case",
            name="records_case_one_open",
        ),
        migrations.AlterField(
            model_name="case",
            name="status",
            field=models.CharField(choices=[("assessment", "Vurdering"), ("active", "Aktiv"), ("closing", "Avsluttes"), ("closed", "Avsluttet")], default="assessment", max_length=10, verbose_name="status"),
        ),
        migrations.RunPython(open_to_active, back_to_open),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "closed"), _negated=True), fields=("person",), name="records_case_one_open"),
        ),
    ]
