"""Tables as CSV and XLSX, and the board's assurance report as a PDF with charts."""

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Agency
from config.spreadsheets import spreadsheet_safe
from reports.selectors.scope import ReportFilters, report_agency_ids
from reports.selectors.summary import board_summary
from reports.selectors.tables import Table, report_table


def table_csv(*, table: Table) -> str:
    """The table as CSV text: a header row, then the rows exactly as on screen."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def table_xlsx(*, table: Table) -> bytes:
    """The table as an XLSX workbook of one sheet; numbers stay numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append(table.columns)
    for row in table.rows:
        sheet.append([spreadsheet_safe(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PDF_TABLES = (
    "figures",
    "breakdown",
    "required_events",
    "trend",
    "insight",
    "traceability",
    "evaluation",
)


def report_pdf(*, viewer, filters: ReportFilters) -> bytes:
    """The assurance report for the viewer's scope as PDF bytes (WeasyPrint, no network).

    The first page is the executive summary. The PDF is tagged (PDF/UA-1: structure tree,
    document title shown, language), so screen readers can read board papers too.
    """
    from weasyprint import HTML

    agency_ids = report_agency_ids(viewer=viewer, agency_id=filters.agency_id)
    agencies = Agency.objects.filter(pk__in=agency_ids)
    scope = agencies.get().name if len(agency_ids) == 1 else "All partner agencies"
    tables = {name: report_table(name=name, viewer=viewer, filters=filters) for name in PDF_TABLES}
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "tables": tables,
            "summary": board_summary(viewer=viewer, filters=filters),
            "filters": filters,
            "scope": scope,
            "generated_at": timezone.now(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_variant="pdf/ua-1")
