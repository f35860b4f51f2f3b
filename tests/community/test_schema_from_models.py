"""When the schema of a fresh database may be built from the models (`community.devserver`): only when
every migration operation is Django's own schema change or a data step; anything else migrates."""

from __future__ import annotations

import pytest
from django.db import migrations, models

from community import devserver


class Custom(migrations.operations.base.Operation):
    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        schema_editor.execute("CREATE TABLE made_by_hand (id integer)")


def plan_of(*operations):
    migration = migrations.Migration("0001_test", "community")
    migration.operations = list(operations)
    return [(migration, False)]


def noop(apps, schema_editor):
    pass


def test_schema_changes_are_left_to_the_models_and_data_steps_kept_in_order():
    data = migrations.RunPython(noop)
    sql = migrations.RunSQL("SELECT 1")
    inner = migrations.RunPython(noop)
    plan = plan_of(
        migrations.CreateModel("Thing", [("id", models.AutoField(primary_key=True))]),
        data,
        migrations.AddField("thing", "name", models.CharField(max_length=10, default="")),
        migrations.SeparateDatabaseAndState(database_operations=[inner]),
        sql,
    )
    assert devserver._data_steps(plan) == [("community", data), ("community", inner), ("community", sql)]


@pytest.mark.parametrize(
    "plan",
    [
        plan_of(Custom()),
        plan_of(migrations.SeparateDatabaseAndState(database_operations=[Custom()])),
        [(plan_of(migrations.RunPython(noop))[0][0], True)],
    ],
    ids=["a custom operation", "a custom operation inside SeparateDatabaseAndState", "a backwards step"],
)
def test_anything_else_means_migrating_for_real(plan):
    with pytest.raises(devserver._NotFromModels):
        devserver._data_steps(plan)
