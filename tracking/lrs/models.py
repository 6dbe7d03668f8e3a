"""Learning Record Store storage: statements, their query index, attachments, documents, clients.

Statements are append-only: a row is written once; the only later change is the `voided` flag,
which xAPI 1.0.3 Data 2.3.2 requires the LRS to honour on retrieval.
"""

from django.db import models


class LRSClient(models.Model):
    """A system allowed to use /xapi/ with HTTP Basic credentials (Communication 4.0)."""

    name = models.CharField(max_length=200, help_text="Who uses these credentials, and why.")
    key = models.CharField(max_length=64, unique=True, editable=False)
    # A SHA-256 of a 32-byte random secret: enough for a high-entropy token, and fast enough to
    # check on every request (a password hasher would cost ~100 ms per request).
    secret_hash = models.CharField(max_length=64, editable=False)
    is_active = models.BooleanField(default=True)
    can_write_statements = models.BooleanField("Write statements", default=True)
    can_read_own = models.BooleanField("Read own statements", default=True)
    can_read_all = models.BooleanField("Read all statements", default=False)
    can_use_documents = models.BooleanField(
        "Documents (state, profiles, activities, agents)", default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "LRS client"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    """One stored statement: its JSON as stored, plus indexed columns for each query filter."""

    statement_id = models.UUIDField(unique=True)
    data = models.JSONField()
    actor_ifi = models.TextField()
    verb_id = models.TextField()
    # NULL (not "") when the object is not an Activity, so such rows sort apart in the index.
    activity_id = models.TextField(null=True, blank=True)  # noqa: DJ001
    registration = models.UUIDField(null=True, blank=True)
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    # The statement a StatementRef object points at (voiding statements among them).
    ref_statement_id = models.UUIDField(null=True, blank=True)
    is_voiding = models.BooleanField(default=False)
    # db_index off: the (client, stored, id) index below serves the foreign key too.
    client = models.ForeignKey(
        LRSClient, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )

    class Meta:
        indexes = [
            models.Index(fields=["stored", "id"], name="lrs_stmt_stored"),
            models.Index(fields=["actor_ifi", "stored", "id"], name="lrs_stmt_actor"),
            models.Index(fields=["verb_id", "stored", "id"], name="lrs_stmt_verb"),
            models.Index(fields=["activity_id", "stored", "id"], name="lrs_stmt_activity"),
            models.Index(fields=["registration", "stored", "id"], name="lrs_stmt_registration"),
            # Only voiding statements: the index answers "is this id voided?" on ingest
            # (storage.statements_existing), and most statements then add no entry.
            models.Index(
                fields=["ref_statement_id"],
                condition=models.Q(is_voiding=True),
                name="lrs_stmt_ref",
            ),
            # Statements with a StatementRef object, in stored order: the "targets a match"
            # half of a filtered query (Communication 2.1.3) scans only these.
            models.Index(
                fields=["stored", "id"],
                condition=models.Q(ref_statement_id__isnull=False),
                name="lrs_stmt_referencing",
            ),
            models.Index(fields=["client", "stored", "id"], name="lrs_stmt_client"),
        ]

    def __str__(self) -> str:
        return str(self.statement_id)


class IndexKind(models.IntegerChoices):
    # An agent has one row per statement: AGENT if it is the actor or object, else
    # RELATED_AGENT; a client's authority has none (found through Statement.client).
    AGENT = 1, "Actor or object agent"
    RELATED_AGENT = 2, "Other agent in the statement"
    RELATED_ACTIVITY = 3, "Any activity in the statement"


class StatementIndex(models.Model):
    """A (statement, agent or activity) reference for `agent`, `related_*` query filters."""

    # db_index off: the unique (statement, kind, value) constraint serves the foreign key too.
    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="refs", db_index=False
    )
    kind = models.PositiveSmallIntegerField(choices=IndexKind.choices)
    value = models.TextField()
    # Copied from the statement so one index scan both filters and orders (Communication 2.1.3).
    stored = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "kind", "value"], name="lrs_index_unique")
        ]
        indexes = [
            models.Index(fields=["kind", "value", "stored", "statement"], name="lrs_index_lookup")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Attachment(models.Model):
    """Attachment content, stored once per client and SHA-256 (Data 2.4.11).

    Scoped to the client that sent it (NULL: the platform): a statement's attachments are
    served from its own writer's parts, so knowing a hash never yields another system's file.
    """

    client = models.ForeignKey(
        LRSClient,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_index=False,
        related_name="attachments",
    )
    sha2 = models.CharField(max_length=128)
    content_type = models.CharField(max_length=255)
    content = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "sha2"], name="lrs_attachment_unique"),
            # NULLs are distinct in a unique constraint: the platform's parts need their own.
            models.UniqueConstraint(
                fields=["sha2"],
                condition=models.Q(client__isnull=True),
                name="lrs_attachment_platform_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.sha2


class DocumentKind(models.TextChoices):
    STATE = "state", "State"
    ACTIVITY_PROFILE = "activity_profile", "Activity profile"
    AGENT_PROFILE = "agent_profile", "Agent profile"


class Document(models.Model):
    """A State, Activity Profile or Agent Profile document (Communication 2.2 to 2.7).

    Each LRS client has its own namespace of documents: the spec (Communication 2.2) leaves
    who may see a document to the LRS, and one client must not read or overwrite another's
    learners' state. NULL is a document stored before documents were partitioned; no client
    is served those (it cannot be told which client wrote them).
    """

    # db_index off: the unique constraint and the scope index both start with the client.
    client = models.ForeignKey(
        LRSClient,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="documents",
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    activity_id = models.TextField(blank=True, default="")
    agent_ifi = models.TextField(blank=True, default="")
    # "" when the State has no registration: a NULL would defeat the unique constraint.
    registration = models.CharField(max_length=36, blank=True, default="")
    document_id = models.TextField()
    content = models.BinaryField()
    content_type = models.CharField(max_length=255)
    etag = models.CharField(max_length=40)
    updated = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "client",
                    "kind",
                    "activity_id",
                    "agent_ifi",
                    "registration",
                    "document_id",
                ],
                name="lrs_document_unique",
            )
        ]
        indexes = [
            models.Index(
                fields=["client", "kind", "activity_id", "agent_ifi", "updated"],
                name="lrs_document_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.document_id}"


class Activity(models.Model):
    """The canonical definition of an activity, as last given in a statement (Comm. 2.5)."""

    activity_id = models.TextField(unique=True)
    definition = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.activity_id
