"""One index row per agent per statement (issue 6, ingest speed).

Drops the RELATED_AGENT rows that repeat an AGENT row of the same statement (related_agents
queries now read both kinds), and the rows of a client's own authority on that client's
statements (found through tracking_statement.client_id). The authority is matched with the
current SITE_URL, as the query does; a row for an authority stored under another SITE_URL
stays and is still found. Reversible: the reverse writes the dropped rows back.
"""

from django.conf import settings
from django.db import migrations, models

AGENT, RELATED_AGENT = 1, 2


def _authority_ifi(key: str) -> str:
    return f"account:{settings.SITE_URL} {key}"


def forward(apps, schema_editor):
    StatementIndex = apps.get_model("tracking", "StatementIndex")
    LRSClient = apps.get_model("tracking", "LRSClient")
    repeats = StatementIndex.objects.filter(
        models.Exists(
            StatementIndex.objects.filter(
                statement=models.OuterRef("statement"), kind=AGENT, value=models.OuterRef("value")
            )
        ),
        kind=RELATED_AGENT,
    )
    repeats.delete()
    for pk, key in LRSClient.objects.values_list("pk", "key"):
        StatementIndex.objects.filter(
            kind=RELATED_AGENT, value=_authority_ifi(key), statement__client_id=pk
        ).delete()


def backward(apps, schema_editor):
    index = apps.get_model("tracking", "StatementIndex")._meta.db_table
    statements = apps.get_model("tracking", "Statement")._meta.db_table
    LRSClient = apps.get_model("tracking", "LRSClient")
    schema_editor.execute(
        f"INSERT INTO {index} (statement_id, kind, value, stored) "
        f"SELECT statement_id, %s, value, stored FROM {index} a WHERE a.kind = %s "
        f"AND NOT EXISTS (SELECT 1 FROM {index} b WHERE b.statement_id = a.statement_id "
        "AND b.kind = %s AND b.value = a.value)",
        [RELATED_AGENT, AGENT, RELATED_AGENT],
    )
    for pk, key in LRSClient.objects.values_list("pk", "key"):
        schema_editor.execute(
            f"INSERT INTO {index} (statement_id, kind, value, stored) "
            f"SELECT s.id, %s, %s, s.stored FROM {statements} s WHERE s.client_id = %s "
            f"AND NOT EXISTS (SELECT 1 FROM {index} b WHERE b.statement_id = s.id "
            "AND b.kind = %s AND b.value = %s)",
            [RELATED_AGENT, _authority_ifi(key), pk, RELATED_AGENT, _authority_ifi(key)],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0007_lrs_documents_per_client"),
    ]

    operations = [
        migrations.AlterField(
            model_name="statementindex",
            name="kind",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "Actor or object agent"),
                    (2, "Other agent in the statement"),
                    (3, "Any activity in the statement"),
                ]
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
