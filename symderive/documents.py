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
            plot = _plot(report, out, written)
            path = out / f"{report.name}.md"
            write_text_atomically(path, render_markdown(report, plot))
            written.append(path)
        if "tex" in formats or "pdf" in formats:
            tex = out / f"{report.name}.tex"
            write_text_atomically(tex, render_latex(report))
            if "tex" in formats:
                written.append(tex)
            if "pdf" in formats:
                written.append(compile_pdf(tex, out))
    return written


def _plot(report, out: Path, written: list) -> str:
    """The figure of the report's activation, written once into out/plots/;
    its path relative to out, or "" when there is none to draw."""
    from .catalog import lookup
    from .plot import write_plots

    activation = lookup(report.activation) if report.activation else None
    if activation is None or activation.vector:
        return ""
    path = out / "plots" / f"{activation.name}.svg"
    if path not in written:
        written.extend(write_plots([activation.name], out / "plots"))
    return f"plots/{activation.name}.svg"
