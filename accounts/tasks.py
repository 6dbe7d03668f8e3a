"""Celery tasks for accounts: thin wrappers; the services do the work."""

from celery import shared_task

from accounts.services import (
    accounts_retention_apply,
    leavers_deactivate,
    membership_decision_notify,
    membership_pending_notify,
    staff_invitations_send,
)


@shared_task(name="accounts.membership_pending_notify", acks_late=True)
def membership_pending_notify_task(user_id: int) -> int:
    """Tell an agency's leads that a new member is waiting for approval."""
    return membership_pending_notify(user_id=user_id)


@shared_task(name="accounts.membership_decision_notify", acks_late=True)
def membership_decision_notify_task(user_id: int) -> bool:
    """Tell a member whether their agency approved them."""
    return membership_decision_notify(user_id=user_id)


@shared_task(name="accounts.retention_apply", soft_time_limit=1800, time_limit=2000)
def retention_apply_task() -> dict:
    """Erase accounts past their retention periods (daily, beat)."""
    return accounts_retention_apply()


@shared_task(
    name="accounts.staff_invitations_send", acks_late=True, soft_time_limit=600, time_limit=660
)
def staff_invitations_send_task(user_ids: list[int]) -> int:
    """Invite a batch of imported people by email (staff import, on commit)."""
    return staff_invitations_send(user_ids=user_ids)


@shared_task(name="accounts.staff_import_apply", soft_time_limit=300, time_limit=360)
def staff_import_apply_task(token: str) -> dict:
    """Run a confirmed staff import (its file waits in the cache under the token)."""
    from accounts.staff_import import staff_import_run

    return staff_import_run(token=token)


@shared_task(name="accounts.leavers_deactivate")
def leavers_deactivate_task() -> int:
    """Stop leavers signing in from their leaving date (daily, beat)."""
    return leavers_deactivate()
