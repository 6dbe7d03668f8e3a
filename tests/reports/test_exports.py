"""Exports read back equal to the screen; the PDF renders; spreadsheet formulas are defused."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.selectors.tables import Table
from reports.services.exports import table_csv


def screen_tables(html: str) -> dict[str, list[list[str]]]:
    """Every report table on a page as text rows (header first), by table name."""
    soup = BeautifulSoup(html, "html.parser")
    tables = {}
    for wrapper in soup.select("div.app-report-table, form table"):
        table = wrapper if wrapper.name == "table" else wrapper.find("table")
        if table is None:
            continue
        name = wrapper.get("id", "table-staff").removeprefix("table-")
        rows = []
        for tr in table.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
            if name == "staff":
                cells = cells[1:]  # the Remind checkbox column is not data
            rows.append(cells)
        tables[name] = rows
    return tables


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[value(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def value(cell):
    """A cell as a number when it is one (XLSX keeps 10.0 as the number 10), else text."""
    if cell is None:
        return ""
    try:
        return float(cell)
    except ValueError:
        return str(cell)


@pytest.mark.parametrize("who", ["admin", "police_lead"])
def test_every_dashboard_table_exports_equal_to_the_screen(client, world, who):
    client.force_login(getattr(world, who))
    params = {"course": world.course.pk, "group_by": "agency" if who == "admin" else "team"}
    page = client.get(reverse("reports:dashboard"), params)
    shown = screen_tables(page.content.decode())
    names = {"figures", "breakdown", "trend"} | ({"staff"} if who == "police_lead" else set())
    assert names <= set(shown)
    for name in names:
        url_csv = reverse("reports:export_csv", args=[name])
        url_xlsx = reverse("reports:export_xlsx", args=[name])
        assert csv_rows(client.get(url_csv, params)) == shown[name], name
        expected = [[value(cell) for cell in row] for row in shown[name]]
        assert xlsx_rows(client.get(url_xlsx, params)) == expected, name


def test_export_links_on_screen_carry_the_filters(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("reports:dashboard"), {"course": world.course.pk})
    soup = BeautifulSoup(page.content, "html.parser")
    link = soup.find("a", href=lambda h: h and h.startswith("/reports/export/breakdown.csv"))
    assert f"course={world.course.pk}" in link["href"] and "group_by=sector" in link["href"]
    assert {row[0] for row in csv_rows(client.get(link["href"]))[1:]} == {"Police", "Health"}


def test_breakdown_by_sector_export_matches_hand_computed_figures(client, world):
    client.force_login(world.admin)
    rows = csv_rows(
        client.get(reverse("reports:export_csv", args=["breakdown"]), {"group_by": "sector"})
    )
    assert rows[0][:4] == ["Sector", "Course", "Module", "Required"]
    police = next(r for r in rows if r[0] == "Police" and r[2] == "Whole course")
    assert police[3:9] == ["6", "4", "1", "1", "2", "1"]
    assert police[11:] == ["10.0", "16.7"]


def test_pdf_report_renders_with_pages(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("reports:pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) >= 3
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Safeguarding training assurance report" in text and "Police" in text


def test_pdf_first_page_is_an_executive_summary(client, world, travel):
    client.force_login(world.admin)
    first = PdfReader(io.BytesIO(client.get(reverse("reports:pdf")).content)).pages[0]
    text = " ".join(first.extract_text().split())
    # a1, b1 and b2 hold valid completions; the agencies declare 10 + 20 staff.
    assert "3 of 30 staff (10%) hold a valid completion" in text
    # Six police staff must complete the course: a1 has, a4 (revoked) and a5 are overdue.
    assert "1 of 6 required courses met (17%); 2 overdue" in text
    assert "Children missing from home and care: Missing children" in text
    assert "3 of 30 staff completed (10%)" in text
    # 1 June: May (b2) against April (b1).
    assert "1 course completion in May 2026, against 1 in April 2026" in text


def test_pdf_is_tagged_with_title_and_language(client, world):
    client.force_login(world.police_lead)
    pdf = PdfReader(io.BytesIO(client.get(reverse("reports:pdf")).content))
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert pdf.metadata.title == "Safeguarding training assurance report"
    assert "Police" in pdf.pages[0].extract_text()


def test_csv_defuses_spreadsheet_formulas():
    table = Table(name="t", title="T", columns=["Name"], rows=[["=HYPERLINK(1)"], ["Sam"]])
    assert table_csv(table=table).splitlines()[1:] == ["'=HYPERLINK(1)", "Sam"]
