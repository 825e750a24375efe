"""Write a text plan as a real Word file (python-docx) and a real PDF (fpdf2), for the tests:
paragraphs stay paragraphs, runs of tab-separated lines become tables, a cell's list items and
HTML fragments become the cell's own paragraphs."""
from __future__ import annotations

from pathlib import Path

from graph_build.tables import clean_cell


def blocks(lines: list[str]) -> list[tuple[str, object]]:
    """``("p", text)`` for a paragraph, ``("table", rows)`` for a run of tab-separated lines,
    each row a list of cells, each cell a list of paragraphs."""
    out: list[tuple[str, object]] = []
    for line in lines:
        if "\t" in line:
            row = [clean_cell(c).split("\n") if c.strip() else [""] for c in line.split("\t")]
            if out and out[-1][0] == "table":
                out[-1][1].append(row)  # type: ignore[union-attr]
            else:
                out.append(("table", [row]))
        else:
            out.append(("p", line))
    return out


def write_docx(lines: list[str], path: Path) -> Path:
    import docx
    document = docx.Document()
    for kind, content in blocks(lines):
        if kind == "p":
            document.add_paragraph(content)
            continue
        rows = content
        width = max(len(r) for r in rows)
        table = document.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            for cell, paras in zip(cells, row + [[""]] * (width - len(row))):
                cell.paragraphs[0].text = paras[0]
                for extra in paras[1:]:
                    cell.add_paragraph(extra)
    document.save(str(path))
    return path


def write_pdf(lines: list[str], path: Path) -> Path:
    import matplotlib
    from fpdf import FPDF
    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"  # has every Vietnamese letter
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", fname=str(font))
    pdf.set_font("DejaVu", size=9)
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    for kind, content in blocks(lines):
        if kind == "p":
            if content.strip():
                pdf.multi_cell(0, 4.5, content, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
            continue
        rows = content
        width = max(len(r) for r in rows)
        widths = {5: (12, 120, 35, 50, 55), 4: (12, 100, 80, 80)}.get(width, tuple([272 / width] * width))
        with pdf.table(col_widths=widths, first_row_as_headings=False, line_height=4.5,
                       text_align="LEFT") as table:
            for row in rows:
                r = table.row()
                for paras in row + [[""]] * (width - len(row)):
                    r.cell("\n".join(paras))
        pdf.ln(3)
    pdf.output(str(path))
    return path
