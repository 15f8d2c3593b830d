"""Figures in feedback: a small PNG rendered in the grader (never in a sandboxed child), and feedback as
HTML in which nothing a student wrote can render.

Gradescope renders a test's HTML output, including an ``<img>`` whose source is a ``data:`` URI, so a
figure travels inside results.json with no extra file. Only images this process rendered become
images: a data URI that a student prints, raises or names stays text. Plain-text renderings (the
terminal table, pytest and Otter messages) show a placeholder instead: :func:`strip_images`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import torch

#: 480 x 320 pixels: readable in Gradescope's test panel and about 30 KB of base64.
FIGSIZE_IN, DPI = (4.8, 3.2), 100

_IMAGE = re.compile(r"!\[(?P<alt>[^\]\[\n\"()<>]*)\]\(data:image/png;base64,(?P<data>[A-Za-z0-9+/=]+)\)")
_FENCE = re.compile(r"^(`{3,})$")
#: What the grader's own alt texts may hold (anything else becomes a space).
_ALT_UNSAFE = re.compile(r"[^A-Za-z0-9 ,.:;_'-]")

#: Digests of the images this process rendered, each as the whole markdown it wrote (alt text and all):
#: the only ones shown as images.
_RENDERED: set[str] = set()
_RENDERED_LOCK = threading.Lock()


def new_figure(columns: int = 1) -> tuple[Any, Any]:
    """A matplotlib figure and its axes (``columns`` side by side) on the Agg backend (no display)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(FIGSIZE_IN[0] if columns == 1 else min(2.4 * columns, 12.0), FIGSIZE_IN[1]), dpi=DPI)
    axes = [figure.add_subplot(1, columns, i + 1) for i in range(columns)]
    return figure, axes[0] if columns == 1 else axes


def markdown_image(figure: Any, alt: str) -> str:
    """The figure as a markdown image with an inline PNG."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return png_markdown(buffer.getvalue(), alt)


def png_markdown(png: bytes, alt: str) -> str:
    """PNG bytes rendered here as a markdown image with a ``data:`` URI, remembered as the grader's."""
    shown = _ALT_UNSAFE.sub(" ", alt)
    markdown = f"![{shown}](data:image/png;base64,{base64.b64encode(png).decode('ascii')})"
    with _RENDERED_LOCK:
        _RENDERED.add(hashlib.sha256(markdown.encode()).hexdigest())
    return markdown


def _rendered_here(match: re.Match) -> bool:
    with _RENDERED_LOCK:
        return hashlib.sha256(match.group(0).encode()).hexdigest() in _RENDERED


def has_images(text: str) -> bool:
    return any(_rendered_here(m) for m in _IMAGE.finditer(text))


def strip_images(text: str) -> str:
    """``text`` with every image the grader rendered replaced by ``[figure: alt]`` (for plain text)."""
    return _IMAGE.sub(lambda m: f"[figure: {m['alt']}]" if _rendered_here(m) else m.group(0), text)


def as_html(text: str) -> str:
    """Feedback as HTML that shows every character as written: text escaped and kept as preformatted
    paragraphs, each fenced block (``feedback.fenced``) as a code block, and only the grader's own
    images as ``<img>``. A heading, link, tag or image that a student wrote stays text."""
    parts, paragraph, block, fence = [], [], [], None
    for line in text.split("\n"):
        if fence is not None:
            if line == fence:
                parts.append(f"<pre><code>{_escape(chr(10).join(block))}</code></pre>")
                block, fence = [], None
            else:
                block.append(line)
        elif _FENCE.match(line):
            parts.append(_paragraph(paragraph))
            paragraph, fence = [], line
        else:
            paragraph.append(line)
    parts.append(_paragraph(paragraph + ([fence] + block if fence is not None else [])))
    return "\n".join(p for p in parts if p)


def _paragraph(lines: list[str]) -> str:
    text = "\n".join(lines).strip("\n")
    if not text.strip():
        return ""
    pieces, last = [], 0
    for match in _IMAGE.finditer(text):
        if _rendered_here(match):
            pieces.append(_escape(text[last:match.start()]))
            pieces.append(f'<img alt="{html.escape(match["alt"])}" src="data:image/png;base64,{match["data"]}">')
            last = match.end()
    pieces.append(_escape(text[last:]))
    return f'<div style="white-space: pre-wrap">{"".join(pieces).strip()}</div>'


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _plain(text: str, limit: int = 80) -> str:
    """Student text for a figure: one line, no control characters, no mathtext, at most ``limit`` characters."""
    text = re.sub(r"[\x00-\x1f\x7f-\x9f\]\[]", " ", str(text))[:limit]
    return text.replace("$", r"\$")


# -- a student's figure, redrawn ---------------------------------------------------------------------

#: The most of a described figure the grader redraws (axes, lines per axis, points per line, bars).
MAX_AXES, MAX_LINES, MAX_POINTS, MAX_BARS = 8, 12, 2_000, 400


def redraw(axes: list[dict], alt: str) -> str:
    """A figure described by a probe (per axis: title, labels, legend, lines, bars), drawn here from that
    description as a markdown image: the student sees what the grader read, and no pixel of it comes
    from the student's process. Labels are shown as plain text (no mathtext)."""
    import torch  # here, not at the top: the CLI imports this module long before it needs torch

    figure, drawn = new_figure(max(1, min(len(axes), MAX_AXES)))
    drawn = drawn if isinstance(drawn, list) else [drawn]
    for ax, seen in zip(drawn, axes[:MAX_AXES]):
        for line in seen["lines"][:MAX_LINES]:
            if line["y"] is None:
                continue
            y = _finite(line["y"])
            x = _finite(line["x"]) if line["x"] is not None and line["x"].numel() == y.numel() else torch.arange(len(y))
            step = max(1, len(y) // MAX_POINTS)
            ax.plot(x[::step].numpy(), y[::step].numpy(), label=_plain(line["label"]) or None)
        bars = _finite(seen["bars"][:MAX_BARS])
        if len(bars):
            ax.bar(bars[:, 0].numpy(), bars[:, 2].numpy(), width=bars[:, 1].numpy(), align="edge")
        ax.set_title(_plain(seen["title"]), fontsize=8)
        ax.set_xlabel(_plain(seen["xlabel"]), fontsize=8)
        ax.set_ylabel(_plain(seen["ylabel"]), fontsize=8)
        ax.tick_params(labelsize=6)
        if seen["legend"] and ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=6)
    figure.tight_layout()
    return markdown_image(figure, alt)


def _finite(values: torch.Tensor) -> torch.Tensor:
    return values.double().nan_to_num(nan=0.0, posinf=1e9, neginf=-1e9).clamp(-1e9, 1e9)


def save_images(text: str, path_for: Callable[[int], Path]) -> tuple[str, list[Path]]:
    """Write every image the grader rendered in ``text`` as a PNG file (the ``i``-th to ``path_for(i)``),
    and replace it by ``[figure: alt, saved as PATH]``: a terminal cannot show the figure, a file can."""
    saved: list[Path] = []

    def save(match: re.Match) -> str:
        if not _rendered_here(match):
            return match.group(0)
        path = path_for(len(saved))
        try:
            path.write_bytes(base64.b64decode(match["data"]))
        except OSError:
            return f"[figure: {match['alt']}]"
        saved.append(path)
        return f"[figure: {match['alt']}, saved as {path}]"

    return _IMAGE.sub(save, text), saved
