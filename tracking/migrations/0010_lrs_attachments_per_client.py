"""Attachments belong to the client that sent them (issue 15).

Each stored part goes to every client whose statements carried it as a part (an attachment
without `fileUrl` needs its part, so such a client had the content); parts that only
`fileUrl` references or the platform sent stay the platform's (client NULL). Reversible: the
reverse keeps one row per hash.
"""

import django.db.models.deletion
from django.db import migrations, models


def scope_to_writers(apps, schema_editor):
    Attachment = apps.get_model("tracking", "Attachment")
    Statement = apps.get_model("tracking", "Statement")
    writers: dict[str, set] = {}
    rows = Statement.objects.filter(data__has_key="attachments").values_list("client_id", "data")
    for client_id, data in rows.iterator():
        for item in (data or {}).get("attachments") or []:
            if isinstance(item, dict) and "fileUrl" not in item and client_id is not None:
                writers.setdefault(item.get("sha2"), set()).add(client_id)
    for attachment in Attachment.objects.order_by("pk").iterator():
        owners = sorted(writers.get(attachment.sha2, ()))
        if not owners:
            continue
        first, *others = owners
        Attachment.objects.filter(pk=attachment.pk).update(client_id=first)
        Attachment.objects.bulk_create(
            [
                Attachment(
                    client_id=owner,
                    sha2=attachment.sha2,
                    content_type=attachment.content_type,
                    content=attachment.content,
                )
                for owner in others
            ]
        )


def one_row_per_hash(apps, schema_editor):
    Attachment = apps.get_model("tracking", "Attachment")
    seen = set()
    for pk, sha2 in Attachment.objects.order_by("pk").values_list("pk", "sha2").iterator():
        if sha2 in seen:
            Attachment.objects.filter(pk=pk).delete()
        seen.add(sha2)
    Attachment.objects.update(client_id=None)


class Migration(migrations.Migration):

    dependencies = [
        ('tracking', '0009_lrs_voiding_ref_index_partial'),
    ]

    operations = [
        migrations.AddField(
            model_name='attachment',
            name='client',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='attachments', to='tracking.lrsclient'),
        ),
        migrations.AlterField(
            model_name='attachment',
            name='sha2',
            field=models.CharField(max_length=128),
        ),
        migrations.RunPython(scope_to_writers, one_row_per_hash),
        migrations.AddConstraint(
            model_name='attachment',
            constraint=models.UniqueConstraint(fields=('client', 'sha2'), name='lrs_attachment_unique'),
        ),
        migrations.AddConstraint(
            model_name='attachment',
            constraint=models.UniqueConstraint(condition=models.Q(('client__isnull', True)), fields=('sha2',), name='lrs_attachment_platform_unique'),
        ),
    ]
