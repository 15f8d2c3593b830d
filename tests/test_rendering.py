"""Nothing a student controls renders (issue 25, class "feedback spoofing"): results.json is HTML in which
every character a student wrote shows as written, only images the grader drew are images, the terminal
gets no control characters, and a spreadsheet opens no formula from a name."""

from __future__ import annotations

import csv
import io

from autograder import figures
from autograder.feedback import explain, fenced
from autograder.results import CheckResult, Report, to_csv
from autograder.sandbox import SubmissionError

FORGED_IMAGE = "![100/100](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGBgAAAABQABpfZFQAAAAABJRU5ErkJggg==)"
HOSTILE = ("# All tests passed\n[claim your grade](https://example.invalid/phish) <script>alert(1)</script> "
           "<img src=x onerror=alert(1)> " + FORGED_IMAGE + "\x1b[2J\x1b[32mPASS\x1b[0m")


def _report(output: str, submission: str = "hw.py") -> Report:
    result = CheckResult("a1_init", "1.1", "fans", 2.0, 0.0, output)
    return Report(submission=submission, results=[result], notes=[f"{submission} was graded as initializers.py."])


def _student_error() -> str:
    error = SubmissionError("exception", f"ValueError: {HOSTILE}", traceback=f"  File \"hw.py\", line 3\n{HOSTILE}")
    return explain(error, "hw.py")


def test_student_text_in_results_json_is_escaped_and_never_an_image():
    results = _report(_student_error() + "\n\n" + fenced(HOSTILE), submission="<b>" + HOSTILE).to_gradescope()
    for text in [results["output"]] + [t["output"] for t in results["tests"]]:
        assert "<script" not in text and "<img" not in text and "<b>" not in text
        assert "&lt;script&gt;" in text or "&lt;b&gt;" in text
    assert results["output_format"] == results["tests"][0]["output_format"] == "html"
    assert "# All tests passed" in results["tests"][0]["output"]  # shown as written, not as a heading


def test_only_the_graders_own_images_become_images():
    figure, axes = figures.new_figure()
    axes.plot([0, 1], [1, 0])
    drawn = figures.markdown_image(figure, "the grader's plot")
    html = _report(f"Your code printed:\n\n{fenced(FORGED_IMAGE)}\n\n{FORGED_IMAGE}\n\n{drawn}").to_gradescope()
    shown = html["tests"][0]["output"]
    assert shown.count("<img") == 1 and 'alt="the grader&#x27;s plot"' in shown
    assert not figures.has_images(FORGED_IMAGE) and figures.has_images(drawn)
    assert figures.strip_images(drawn) == "[figure: the grader's plot]" and figures.strip_images(FORGED_IMAGE) == FORGED_IMAGE


def test_student_text_before_a_graders_image_cannot_open_an_attribute():
    """A label quoted in a failure message, ``![x(" onerror="...``, followed (after the grader's hint) by
    the grader's own image: the image is matched alone, its source rebuilt from its data."""
    figure, axes = figures.new_figure()
    axes.plot([0, 1], [0, 1])
    drawn = figures.markdown_image(figure, "plot_comparison's figure")
    label = "![x(\" onerror=\"alert(document.domain)\" data-x=\""
    shown = figures.as_html(f"the y label is {label!r}, expected 'loss'.\n\nHint: label it.\n\n{drawn}")
    assert shown.count("<img") == 1 and shown.count("<") == shown.count("<div") + shown.count("</div") + 1
    image = shown[shown.index("<img"):]
    assert image.startswith('<img alt="plot_comparison&#x27;s figure" src="data:image/png;base64,')


def test_a_described_figure_is_redrawn_with_plain_labels():
    import torch

    axes = [{"title": "$\\frac{1}{0}$ " + "x" * 500, "xlabel": "\x1b[2J", "ylabel": "loss", "legend": True,
             "lines": [{"label": "zeros", "x": None, "y": torch.tensor([1.0, float("nan"), float("inf"), 0.5])}],
             "bars": torch.tensor([[0.0, 0.1, 3.0], [0.1, 0.1, 1e300]], dtype=torch.float64)}] * 20
    image = figures.redraw(axes, "your figure")
    assert figures.has_images(image)


def test_the_terminal_gets_no_control_characters():
    table = _report(_student_error(), submission="hw\x1b[2J.py").to_table()
    assert "\x1b" not in table


def test_csv_cells_never_start_a_formula():
    reports = [_report("", submission=name) for name in ("=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "ok")]
    rows = list(csv.DictReader(io.StringIO(to_csv(reports))))
    assert [row["submission"] for row in rows] == ["'=HYPERLINK(\"http://x\")", "'+1", "'-1", "'@SUM(A1)", "ok"]
    assert rows[0]["total"] == "0.0"


def test_check_saves_each_figure_as_png_and_the_feedback_names_the_file(tmp_path):
    """Issue 24, point 7: the terminal showed a placeholder, so a student never saw the graded figure."""
    from autograder.cli import _save_figures

    figure, axes = figures.new_figure()
    axes.plot([0, 1], [1, 0])
    drawn = figures.markdown_image(figure, "your figure")
    forged = "![forged](data:image/png;base64,iVBORw0KGgo=)"   # a student's text: stays text, no file
    report = Report("x", [CheckResult("a4_vanishing", "6.1", "plot", 2, 2, f"Passed.\n\n{drawn}\n\n{forged}")])
    [(name, path)] = _save_figures(report, tmp_path)
    assert name == "a4_vanishing 6.1" and path == tmp_path / "autograder-a4_vanishing-6.1.png"
    assert path.read_bytes().startswith(b"\x89PNG")
    assert f"[figure: your figure, saved as {path}]" in report.results[0].output and forged in report.results[0].output
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
