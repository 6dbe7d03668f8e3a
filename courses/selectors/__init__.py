"""Reads for courses, one module per concern: ``structure`` (catalogue, modules, sections,
blocks), ``learner`` (a learner's view of a course and a module), ``requirements`` (My learning,
required learning), ``action_plans`` and ``records`` (certificates, personal data)."""
