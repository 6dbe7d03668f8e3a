"""Bulk staff import for an agency from a CSV file: a dry run that says what each row would do,
then the import in one transaction (services, kept apart from accounts.services for size).

Columns (header row, any order, case-insensitive): name, email, team, job role, start date
(optional; YYYY-MM-DD or DD/MM/YYYY). Existing people of the agency are updated; new people are
created and invited by email on commit; someone in another agency is an error for that row.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import Agency, JobRole, MembershipStatus, Team, User

COLUMNS = {"name": "name", "email": "email", "team": "team", "job role": "job_role"}
OPTIONAL = {"start date": "start_date"}
MAX_ROWS = 20_000
# The uploaded file waits in the cache between the dry run and the confirmation.
PENDING_SECONDS = 3600
# SQLite allows at most 999 parameters per query in older builds; batches stay under it.
BATCH = 900


def pending_key(token: str) -> str:
    return f"staff-import:{token}"


class Action:
    CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


@dataclass
class RowResult:
    line: int
    email: str
    name: str
    action: str
    errors: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)


@dataclass
class ImportPlan:
    rows: list[RowResult]
    new_teams: list[str]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def has_errors(self) -> bool:
        return any(row.action == Action.ERROR for row in self.rows)


def csv_date_parse(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"Start date {text!r} is not a date like 2026-09-01 or 01/09/2026.")


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.strip().partition(" ")
    return first[:150], last.strip()[:150]


def _read(csv_text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    headers = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
    missing = [c for c in COLUMNS if c not in headers]
    if missing:
        raise ValidationError(f"The file has no {', '.join(missing)} column (first row).")
    wanted = {**COLUMNS, **OPTIONAL}
    rows = []
    for raw in reader:
        rows.append(
            {key: (raw.get(headers[c]) or "").strip() for c, key in wanted.items() if c in headers}
        )
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"The file has more than {MAX_ROWS:,} rows; split it.")
    return rows


def _existing_by_email(emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for start in range(0, len(emails), BATCH):
        chunk = emails[start : start + BATCH]
        for user in User.objects.filter(email__in=chunk).only(
            "pk",
            "email",
            "first_name",
            "last_name",
            "agency_id",
            "team_id",
            "job_role_id",
            "started_on",
        ):
            found[user.email] = user
    return found


def staff_import_plan(*, agency: Agency, csv_text: str) -> ImportPlan:
    """What importing the CSV into the agency would do, row by row; writes nothing. Raises
    ValidationError for a file that cannot be read at all (no header, too many rows)."""
    rows = _read(csv_text)
    teams = {t.name.lower(): t for t in Team.objects.filter(agency=agency)}
    roles = {r.name.lower(): r for r in JobRole.objects.all()}
    emails = [row["email"].lower() for row in rows]
    existing = _existing_by_email(sorted(set(emails)))
    seen: set[str] = set()
    new_teams: dict[str, str] = {}
    results = []
    for line, row in enumerate(rows, start=2):
        email, errors = row["email"].lower(), []
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"{row['email'] or 'The email'} is not an email address.")
        if email in seen:
            errors.append("This email is on an earlier row too.")
        seen.add(email)
        if not row["name"]:
            errors.append("The name is missing.")
        role = roles.get(row["job_role"].lower())
        if role is None:
            errors.append(f"Job role {row['job_role']!r} is not one of the platform's job roles.")
        team_name = row["team"]
        if team_name and team_name.lower() not in teams:
            new_teams.setdefault(team_name.lower(), team_name)
        started_on = None
        if row.get("start_date"):
            try:
                started_on = csv_date_parse(row["start_date"])
            except ValueError as bad:
                errors.append(str(bad))
        user = existing.get(email)
        if user is not None and user.agency_id not in (None, agency.pk):
            errors.append("This person belongs to another agency; ask a partnership admin.")
        first, last = _split_name(row["name"])
        values = {
            "first_name": first,
            "last_name": last,
            "team_key": team_name.lower(),
            "job_role": role,
            "started_on": started_on,
        }
        if errors:
            action = Action.ERROR
        elif user is None:
            action = Action.CREATE
        elif (
            (user.first_name, user.last_name, user.job_role_id, user.started_on)
            == (first, last, role.pk, started_on)
            and (
                user.team_id == teams[team_name.lower()].pk
                if team_name.lower() in teams
                else not team_name and user.team_id is None
            )
            and user.agency_id == agency.pk
        ):
            action = Action.UNCHANGED
        else:
            action = Action.UPDATE
        results.append(
            RowResult(
                line=line,
                email=email,
                name=row["name"],
                action=action,
                errors=errors,
                values=values,
            )
        )
    return ImportPlan(rows=results, new_teams=sorted(new_teams.values()))


def staff_import_apply(
    *,
    agency: Agency,
    csv_text: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Import the CSV into the agency in one transaction: nothing is written if any row has an
    error (raises ValidationError; the plan says which). Creates missing teams, updates existing
    people, creates new ones (unconfirmed, no password) and enqueues their invitations on commit.
    Calls ``progress(done, total)`` as batches are written."""
    plan = staff_import_plan(agency=agency, csv_text=csv_text)
    if plan.has_errors:
        raise ValidationError(f"{plan.count(Action.ERROR)} rows have errors; nothing was imported.")
    total = len(plan.rows)
    with transaction.atomic():
        Team.objects.bulk_create(
            [Team(agency=agency, name=name) for name in plan.new_teams], batch_size=BATCH
        )
        teams = {t.name.lower(): t for t in Team.objects.filter(agency=agency)}
        existing = _existing_by_email([r.email for r in plan.rows if r.action == Action.UPDATE])
        updates = []
        for row in plan.rows:
            if row.action == Action.UPDATE:
                user = existing[row.email]
                _assign(user, row, teams, agency)
                updates.append(user)
        User.objects.bulk_update(
            updates,
            ["first_name", "last_name", "agency", "team", "job_role", "started_on"],
            batch_size=BATCH,
        )
        done = len(updates) + plan.count(Action.UNCHANGED)
        if progress:
            progress(done, total)
        unusable = make_password(None)
        new_rows = [row for row in plan.rows if row.action == Action.CREATE]
        created: list[User] = []
        for start in range(0, len(new_rows), BATCH):
            batch = []
            for row in new_rows[start : start + BATCH]:
                user = User(email=row.email, password=unusable)
                _assign(user, row, teams, agency)
                user.membership_status = MembershipStatus.APPROVED
                batch.append(user)
            created.extend(User.objects.bulk_create(batch))
            done += len(batch)
            if progress:
                progress(done, total)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, primary=True, verified=False) for u in created],
            batch_size=BATCH,
        )
        if created:
            from accounts.tasks import staff_invitations_send_task

            ids = [u.pk for u in created]
            for start in range(0, len(ids), 500):
                transaction.on_commit(
                    partial(staff_invitations_send_task.delay, ids[start : start + 500]),
                    robust=True,
                )
    return plan


def _assign(user: User, row: RowResult, teams: dict[str, Team], agency: Agency) -> None:
    values = row.values
    user.first_name, user.last_name = values["first_name"], values["last_name"]
    user.agency = agency
    user.team = teams.get(values["team_key"]) if values["team_key"] else None
    user.job_role = values["job_role"]
    user.started_on = values["started_on"]


def staff_import_run(*, token: str) -> dict:
    """Import the file a dry run left in the cache under ``token``, recording progress there
    (``<key>:progress``: state, done, total, counts or error) for the progress page."""
    from django.core.cache import cache

    key = pending_key(token)
    pending = cache.get(key)
    if pending is None:
        state = {"state": "failed", "error": "The file had expired. Upload it again."}
        cache.set(f"{key}:progress", state, PENDING_SECONDS)
        return state

    def progress(done: int, total: int) -> None:
        state = {"state": "running", "done": done, "total": total}
        cache.set(f"{key}:progress", state, PENDING_SECONDS)

    agency = Agency.objects.get(pk=pending["agency_id"])
    try:
        plan = staff_import_apply(agency=agency, csv_text=pending["csv"], progress=progress)
    except ValidationError as error:
        state = {"state": "failed", "error": " ".join(error.messages)}
    else:
        counts = {a: plan.count(a) for a in (Action.CREATE, Action.UPDATE, Action.UNCHANGED)}
        state = {"state": "done", "done": len(plan.rows), "total": len(plan.rows), **counts}
        cache.delete(key)
    cache.set(f"{key}:progress", state, PENDING_SECONDS)
    return state
