"""Writes for events: ``booking`` (places, approval, waiting list, reminders), ``attendance``
(the register, corrections, certificates) and ``calendar`` (iCalendar files and email)."""
