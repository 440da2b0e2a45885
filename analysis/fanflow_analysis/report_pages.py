"""What the run, sweep and comparison reports share: a report is a list of :class:`Section` objects (figures,
notes, warnings, HTML tables) rendered with a jinja2 template of ``templates/`` into one self-contained HTML file
(figures embedded as base64 PNG), written with its PNG files in a folder beside it (:func:`figure_folder`),
both under temporary names and renamed at the end (:func:`write_atomically`), so a failure leaves no
half-written report."""

from __future__ import annotations

import base64
import html
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
#: Resolution of every report figure, dots per inch.
DPI = 110


@dataclass
class FigureFile:
    """One figure of a report: its PNG file name, caption and the PNG bytes."""

    name: str
    caption: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Section:
    """One section: heading, a sentence on what it shows, then warnings (results not to be trusted as they
    stand), notes (data that is absent), figures and HTML tables."""

    key: str
    title: str
    intro: str
    figures: list[FigureFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


def figure_png(name: str, caption: str, fig: Figure) -> FigureFile:
    """Renders `fig` to PNG bytes (at :data:`DPI`) and closes it."""
    path = Path(tempfile.mkstemp(suffix=".png")[1])
    try:
        fig.savefig(path, dpi=DPI)
        return FigureFile(name=name, caption=caption, png=path.read_bytes())
    finally:
        plt.close(fig)
        path.unlink(missing_ok=True)


def html_table(header: tuple[str, ...], rows: list[tuple[str, ...]], css_class: str = "") -> str:
    """An HTML table with `header` and `rows`, every cell escaped."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    attribute = f' class="{html.escape(css_class)}"' if css_class else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render(template: str, **context: object) -> str:
    """Renders the jinja2 `template` of ``templates/`` (HTML autoescaped, undefined names an error)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
                                     autoescape=jinja2.select_autoescape(["html", "j2"]),
                                     undefined=jinja2.StrictUndefined)
    return environment.get_template(template).render(**context)


def figure_folder(output: Path) -> Path:
    """Where the PNG files go: ``report_figures/`` beside ``report.html``."""
    return output.with_name(output.stem + "_figures")


def write_atomically(output: Path, page: str, figure_files: list[FigureFile]) -> None:
    """Writes the figures to a temporary folder and the page to a temporary file beside `output`, then renames
    both into place (the folder first), so no half-written report is ever visible under the final names."""
    folder = figure_folder(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=output.parent))
    staging.chmod(0o755)
    partial = output.with_name(f".{output.name}.partial")
    try:
        for figure in figure_files:
            (staging / figure.name).write_bytes(figure.png)
        partial.write_text(page, encoding="utf-8")
        if folder.is_dir():
            shutil.rmtree(folder)
        os.replace(staging, folder)
        os.replace(partial, output)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        partial.unlink(missing_ok=True)
