"""Load Oslo's districts, subdistricts, boundaries and population from data/areas, so that every
fresh database knows the city. The full load takes one to two seconds (SQLite, PostgreSQL).

The importer writes through the historical models passed in here. If the area models change shape
later, freeze a copy of the writer into this migration instead of letting it follow the app code.
"""

from django.db import migrations

from laget.areas.importer import AreaModels, default_data_dir, import_areas


def load_areas(apps, schema_editor):
    import_areas(
        data_dir=default_data_dir(),
        area_models=AreaModels.from_apps(apps),
        using=schema_editor.connection.alias,
    )


def unload_areas(apps, schema_editor):
    alias = schema_editor.connection.alias
    for name in ("PopulationByAge", "PopulationByAgeBand", "Subdistrict", "District"):
        apps.get_model("areas", name).objects.using(alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]

    operations = [migrations.RunPython(load_areas, unload_areas)]
