"""Cells written to CSV and XLSX files that spreadsheet programs must not run as formulas."""

# Spreadsheet formula injection (OWASP "CSV injection"): text starting with these is quoted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """The value with a leading apostrophe when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def spreadsheet_unescape(value: str) -> str:
    """Undo ``spreadsheet_safe`` on a cell read back from a file this project wrote."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
