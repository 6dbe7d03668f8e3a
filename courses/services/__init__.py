"""Writes for courses: ``learning`` (enrolment, progress, answers, completion rules),
``certificates``, ``refreshers``, ``course_format`` and ``course_files`` (Markdown import/export).
"""
