"""For migrations that move models from one app to another while their tables stay where they are."""

from __future__ import annotations

from django.db import migrations


def relabel_content_types(old_label: str, new_label: str, models: tuple[str, ...]) -> migrations.RunPython:
    """Generic references (activities, notifications, the audit log, permissions) point at content types:
    the moved models keep theirs, relabelled, so nothing that referred to them is lost. Reversible."""

    def relabel(source: str, target: str):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            for model in models:
                if not content_type.objects.filter(app_label=target, model=model).exists():
                    content_type.objects.filter(app_label=source, model=model).update(app_label=target)

        return run

    return migrations.RunPython(relabel(old_label, new_label), relabel(new_label, old_label))
