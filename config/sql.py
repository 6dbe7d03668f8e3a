"""A small builder for the WHERE clause of hand-written, parameterised SQL.

The few queries written by hand rather than with the ORM (the LRS statement queries, the
directory search on PostgreSQL) add their conditions one by one with ``%s`` placeholders; the
parameters stay beside their conditions, in order.
"""


class SQL:
    """A WHERE clause and its parameters, built up condition by condition (``%s`` placeholders)."""

    def __init__(self):
        self.conditions: list[str] = []
        self.params: list = []

    def add(self, condition: str, *params) -> None:
        self.conditions.append(condition)
        self.params.extend(params)

    def where(self) -> str:
        """The conditions joined with AND; ``1 = 1`` when there are none."""
        return " AND ".join(self.conditions) or "1 = 1"
