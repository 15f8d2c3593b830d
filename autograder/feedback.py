"""Turn what went wrong into feedback a student can act on (markdown)."""

from __future__ import annotations

import re

from autograder.origin import Origin
from autograder.sandbox import SubmissionError

#: Control characters (ANSI escapes included) except tab and newline: student text must not move the
#: instructor's cursor, recolour their terminal or hide parts of a report.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_LEADS = {
    "not_implemented": "Not implemented yet: {message}",
    "missing": "Missing function: {message}.",
    "does_not_fit": "{message}",
    "import": "Your file could not be imported: {message}",
    "exception": "Your code raised {message}",
    "exit": "Your code called sys.exit/exit/quit ({message}); a graded function must return instead.",
    "memory": "Your code ran out of memory ({message}).",
    "timeout": "Your code {message} (an infinite loop, or far too much work?).",
    "crashed": "Your code crashed: {message}.",
    "exited": "Your code stopped early: {message}.",
    "bad_result": "Your code returned something the grader cannot read: {message}.",
    "internal": "The grader failed while running this check ({message}); please tell your instructor.",
    "probe_failed": "The grader's probe failed in the process that runs your code ({message}); unless your "
                    "code touches the grader's own modules, please tell your instructor.",
}


def explain(error: SubmissionError, source: Origin | str, at_import: bool = False) -> str:
    """Markdown for a failed sandboxed call: what happened, where in the student's file (``source``: its
    :class:`Origin`, or the file name), what it printed. ``at_import``: the file itself failed to import,
    so the hint is about the file, not about the check that happened to import it."""
    origin = Origin.of(source)
    message = origin.rewrite(error.message)
    if error.kind == "not_implemented":
        message = message.removeprefix("NotImplementedError").lstrip(": ") or "this function still raises NotImplementedError."
    parts = [_LEADS.get(error.kind, "{message}").format(message=message)]
    if error.kind == "import" and "No module named" in message:
        parts.append("When grading, your code can import Python's standard modules and the packages the "
                     "course uses (torch, torchvision, numpy, matplotlib, torchsummary, tqdm); nothing else is installed.")
    skipped = origin.skipped_line_hint(message)
    if skipped:
        parts.append(skipped)
    if error.traceback.strip():
        parts.append(f"Where, in {origin.name}:\n\n{fenced(origin.rewrite(error.traceback.rstrip()))}")
    if at_import and not skipped:   # the skipped line's note is the hint
        parts.append(f"Hint: {_import_hint(error)}")
    elif getattr(error, "hint", None):   # set by a check (expect.hint_on_error): what the function must do
        parts.append(f"Hint: {error.hint}")
    return "\n\n".join(parts)


def _import_hint(error: SubmissionError) -> str:
    """What to do about a file that does not import, by what went wrong."""
    if "SyntaxError" in error.message or "IndentationError" in error.message:
        return ("Python cannot read the line shown; fix it (`python -m py_compile FILE` shows the same error on "
                "your machine). Nothing of the file can be graded until it parses.")
    if error.kind in ("timeout", "memory", "exit"):
        return ("importing your file runs its top-level code: training, plotting, input() or exit() there runs "
                "(or stops) at grading too. Put such code under `if __name__ == \"__main__\":`.")
    return ("importing your file runs its top-level code, which raised the error shown. Keep only imports, "
            "definitions and constants at the top level (put experiments under `if __name__ == \"__main__\":`).")


def printed(outputs: list[str], limit: int = 4000) -> str:
    """What the student's code printed during a check, fenced so it cannot fake grader output."""
    text = "\n".join(o.rstrip() for o in outputs if o.strip())
    if not text:
        return ""
    if len(text) > limit:
        text = text[:limit] + "\n... [truncated]"
    return f"Your code printed:\n\n{fenced(text)}"


def fenced(text: str) -> str:
    """A Markdown code block that student text cannot close: the fence is longer than any run of
    backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


#: The longest feedback of one check (its figures included: about 40 KB each), so no student text can
#: grow results.json without bound.
OUTPUT_CAP_CHARS = 200_000


def capped(text: str) -> str:
    """``text`` cut to OUTPUT_CAP_CHARS, keeping its start and end (where the verdict and the figure are)."""
    if len(text) <= OUTPUT_CAP_CHARS:
        return text
    half = OUTPUT_CAP_CHARS // 2
    return f"{text[:half]}\n\n... [{len(text) - 2 * half:,} characters left out]\n\n{text[-half:]}"


def clean(text: str) -> str:
    """``text`` without control characters (tab and newline kept)."""
    return _CONTROL.sub("", text)
