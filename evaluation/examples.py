"""Error examples for reports: a text snippet with highlighted character ranges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Highlight classes: a gold span the system missed, a predicted span with no gold, a span
#: both have (wrong speaker, wrong unit, wrong label), a target word (stance examples).
MARKS = ("gold", "pred", "both", "target")


@dataclass
class Example:
    """One error: its category, document, snippet, highlights in the snippet and a note."""

    category: str
    doc: str
    text: str
    marks: list[tuple[int, int, str]] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "doc": self.doc,
            "text": self.text,
            "marks": [list(m) for m in self.marks],
            "note": self.note,
        }


def snippet(
    text: str,
    start: int,
    end: int,
    mark: str = "gold",
    *,
    width: int = 100,
    max_span: int = 360,
) -> tuple[str, list[tuple[int, int, str]]]:
    """``text[start:end]`` with up to ``width`` characters of context on each side.

    Context is cut at whitespace and marked with an ellipsis; a span longer than
    ``max_span`` keeps its two ends around an ellipsis. Line breaks become spaces.
    """
    if mark not in MARKS:
        raise ValueError(f"mark must be one of {', '.join(MARKS)}, not {mark!r}")
    start, end = max(0, start), min(len(text), end)
    left = max(0, start - width)
    if left > 0:
        cut = text.find(" ", left, start)
        left = cut + 1 if cut != -1 else left
    right = min(len(text), end + width)
    if right < len(text):
        cut = text.rfind(" ", end, right)
        right = cut if cut != -1 else right
    prefix = ("…" if left > 0 else "") + text[left:start]
    suffix = text[end:right] + ("…" if right < len(text) else "")
    marks: list[tuple[int, int, str]] = []
    if end - start > max_span:
        half = max_span // 2
        head, tail = text[start : start + half], text[end - half : end]
        body = f"{head} … {tail}"
        marks.append((len(prefix), len(prefix) + len(head), mark))
        tail_at = len(prefix) + len(head) + 3
        marks.append((tail_at, tail_at + len(tail), mark))
    else:
        body = text[start:end]
        marks.append((len(prefix), len(prefix) + len(body), mark))
    out = (prefix + body + suffix).replace("\r", " ").replace("\n", " ")
    return out, marks


def example(
    category: str,
    doc: str,
    text: str,
    start: int,
    end: int,
    mark: str,
    note: str = "",
) -> Example:
    """An :class:`Example` highlighting ``text[start:end]``."""
    snip, marks = snippet(text, start, end, mark)
    return Example(category, doc, snip, marks, note)
