"""Writes for reports: rollups, evaluations, reminders, subscriptions, exports and traceability."""
