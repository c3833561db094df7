"""Write the rendered documents of verified reports to a folder, each file
atomically (a temporary file renamed into place), so a failed or interrupted
run leaves earlier outputs intact."""

from __future__ import annotations

from pathlib import Path


def write_documents(reports, out: Path, formats: list[str]) -> list[Path]:
    from .render import compile_pdf, render_latex, render_markdown, write_text_atomically

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for report in reports:
        if "md" in formats:
            path = out / f"{report.name}.md"
            write_text_atomically(path, render_markdown(report))
            written.append(path)
        if "tex" in formats or "pdf" in formats:
            tex = out / f"{report.name}.tex"
            write_text_atomically(tex, render_latex(report))
            if "tex" in formats:
                written.append(tex)
            if "pdf" in formats:
                written.append(compile_pdf(tex, out))
    return written
