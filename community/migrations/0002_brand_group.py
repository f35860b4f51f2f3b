from django.db import migrations

BRAND_GROUP = "brand"


def create_brand_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=BRAND_GROUP)


class Migration(migrations.Migration):
    """Brand staff are the members of this group (and superusers)."""

    dependencies = [("community", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_brand_group, migrations.RunPython.noop)]
