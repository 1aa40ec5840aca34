"""PDF layout: lines with their font size, weight and position, read from pypdf's text visitor.

pypdf's ``extract_text`` output is exactly the concatenation of the pieces its visitor sees, so
each line of the page text can be given the font and position it was drawn with. From those the
PDF loader learns, per document:

* the body font size (the size most characters are set in);
* headings (clearly larger than body text, or wholly bold and short) and the title (the largest
  heading at the top of the first page);
* page furniture: small or repeated lines in the top or bottom margin (running headers, footers);
* small print elsewhere (bylines and source notes under a title, captions);
* wrapped lines: a body line that continues the previous one (same size, ordinary line spacing,
  the previous line fills the column) is joined to it, so sentences are never cut at line ends;
* bullets drawn as a separate glyph become a ``•`` at the start of their item.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assistant.settings import Settings, prefixed
from assistant.settings import default as _default

#: A font metric, not a tunable: average glyph width as a share of the font size (Helvetica-like).
_WIDTH_PER_SIZE = 0.5
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_BULLET_GLYPH = re.compile(
    r"^(?:[\x7f\u2022\u25cf\u25aa\u25a0\u2023\u2043\u25e6\u00b7*\-\u2013]|\(?(\d{1,2})[.)]?)$"
)
_BULLET_START = re.compile(
    r"^\s*(?:[\u2022\u25cf\u25aa\u25a0\u2023\u2043\u25e6*\-\u2013]|\d{1,2}[.)])\s"
)


@dataclass
class Line:
    """One line of a page's text with how it was drawn."""

    text: str
    size: float = 0.0
    bold: float = 0.0
    x: float = 0.0
    y: float = 0.0
    role: str | None = None
    chars: int = 0

    @property
    def width(self) -> float:
        return len(self.text.strip()) * self.size * _WIDTH_PER_SIZE


@dataclass
class Page:
    lines: list[Line]
    width: float
    height: float


@dataclass
class _Builder:
    lines: list[Line] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    sizes: Counter[float] = field(default_factory=Counter)
    bold_chars: int = 0
    pos: tuple[float, float] | None = None

    def add(self, piece: str, size: float, bold: bool, pos: tuple[float, float]) -> None:
        parts = piece.split("\n")
        for i, part in enumerate(parts):
            if i:
                self.close()
            if part:
                self.text.append(part)
                n = len(part.strip())
                if n:
                    self.sizes[round(size, 1)] += n
                    self.bold_chars += n if bold else 0
                    self.pos = self.pos or pos

    def close(self) -> None:
        text = "".join(self.text)
        chars = sum(self.sizes.values())
        size = self.sizes.most_common(1)[0][0] if self.sizes else 0.0
        x, y = self.pos or (0.0, 0.0)
        self.lines.append(
            Line(text, size, self.bold_chars / chars if chars else 0.0, x, y, None, chars)
        )
        self.text, self.sizes, self.bold_chars, self.pos = [], Counter(), 0, None


def read_page(page: Any) -> Page:
    """The lines of ``page`` (as ``extract_text`` splits them) with font size, weight, place."""
    builder = _Builder()

    def visit(text: str, cm: Any, tm: Any, font: Any, font_size: float) -> None:
        if not text:
            return
        m = _multiply(tm, cm) if cm is not None and tm is not None else (1, 0, 0, 1, 0, 0)
        scale = (m[2] ** 2 + m[3] ** 2) ** 0.5 or 1.0
        name = str((font or {}).get("/BaseFont", "")) if hasattr(font, "get") else ""
        builder.add(text, float(font_size) * scale, bool(_BOLD.search(name)), (m[4], m[5]))

    page.extract_text(visitor_text=visit)
    builder.close()
    box = page.mediabox
    return Page(builder.lines, float(box.width), float(box.height))


def _multiply(a: Any, b: Any) -> tuple[float, ...]:
    """The 2D affine matrix product ``a x b`` in PDF's six-number form."""
    a0, a1, a2, a3, a4, a5 = (float(v) for v in a)
    b0, b1, b2, b3, b4, b5 = (float(v) for v in b)
    return (
        a0 * b0 + a1 * b2,
        a0 * b1 + a1 * b3,
        a2 * b0 + a3 * b2,
        a2 * b1 + a3 * b3,
        a4 * b0 + a5 * b2 + b4,
        a4 * b1 + a5 * b3 + b5,
    )


def body_size(pages: list[Page]) -> float:
    """The font size most characters of the document are set in."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[line.size] += line.chars
    return sizes.most_common(1)[0][0] if sizes else 0.0


@dataclass(frozen=True)
class Rules:
    """The layout thresholds (the ``pdf_*`` settings; defaults are the settings' defaults)."""

    #: A heading is set at least this much larger than body text (or bold, see below).
    heading_size: float = _default("pdf_heading_size")
    #: Small print is set at most this share of the body size.
    small_size: float = _default("pdf_small_size")
    #: Top and bottom bands of the page (share of its height) where furniture sits.
    margin_band: float = _default("pdf_margin_band")
    #: Wrapped lines of one paragraph are at most this many font sizes apart.
    wrap_leading: float = _default("pdf_wrap_leading")
    #: A line that wraps fills at least this share of the text column.
    full_line: float = _default("pdf_full_line")
    #: A bold line of at most this many words, not ending like a sentence, is a heading.
    bold_heading_words: int = _default("pdf_bold_heading_words")

    @classmethod
    def from_settings(cls, settings: Settings) -> Rules:
        """The rules of ``settings``: each field from the setting ``pdf_<field>``."""
        return prefixed(cls, settings, "pdf_")

    def in_margin(self, line: Line, page: Page) -> bool:
        """Whether ``line`` sits in the top or bottom band of ``page``."""
        band = self.margin_band
        return line.y > page.height * (1 - band) or line.y < page.height * band


def classify(pages: list[Page], rules: Rules | None = None) -> None:
    """Set ``role`` on every line of ``pages`` (None for body text); see the module docstring."""
    rules = rules or Rules()
    body = body_size(pages)
    if not body:
        return
    repeated = _repeated_lines(pages, rules)
    for number, page in enumerate(pages):
        seen_body = False
        for line in page.lines:
            if not line.text.strip():
                continue
            line.role = _role(line, page, body, repeated, rules)
            if line.role is None:
                seen_body = True
            elif line.role == "small":
                line.role = "caption" if seen_body else "byline"
        if page.width > page.height:
            _slide_roles(page)
        elif number == 0:
            _mark_title(page)


def _slide_roles(page: Page) -> None:
    """A landscape page is a slide: like a slide's title placeholder, only the heading lines
    at its top are its title; bold, large or small lines below it are the slide's content."""
    title_size: float | None = None
    top = True
    for line in page.lines:
        if not line.text.strip() or line.role == "furniture":
            continue
        if top and line.role == "heading":
            title_size = title_size or line.size
            if abs(line.size - title_size) <= 0.5:
                continue
        top = False
        line.role = None


def _role(line: Line, page: Page, body: float, repeated: set[str], rules: Rules) -> str | None:
    text = line.text.strip()
    small = line.size < body * rules.small_size
    if rules.in_margin(line, page) and (small or _furniture_key(text) in repeated):
        return "furniture"
    if line.size >= body * rules.heading_size:
        return "heading"
    short = len(text.split()) <= rules.bold_heading_words
    if line.bold >= 0.95 and short and not text.endswith((".", ",")):
        return "heading"
    if line.size <= body * rules.small_size and not _BULLET_GLYPH.match(text):
        return "small"
    return None


def _mark_title(page: Page) -> None:
    """The largest heading lines at the top of the first page (before body text) are its title."""
    top: list[Line] = []
    for line in page.lines:
        if not line.text.strip() or line.role == "furniture":
            continue
        if line.role != "heading":
            break
        top.append(line)
    if top:
        biggest = max(line.size for line in top)
        for line in top:
            if line.size >= biggest - 0.5:
                line.role = "title"


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _repeated_lines(pages: list[Page], rules: Rules) -> set[str]:
    """Lines (digits ignored) that open or close at least two pages in the margin bands."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        keys = {
            _furniture_key(line.text)
            for line in page.lines
            if line.text.strip() and rules.in_margin(line, page)
        }
        counts.update(keys)
    return {key for key, n in counts.items() if n >= 2}


def joined_lines(page: Page, column: float, rules: Rules | None = None) -> list[Line]:
    """The page's lines with wrapped body lines joined and separate bullet glyphs attached."""
    rules = rules or Rules()
    out: list[Line] = []
    bullet = ""  # the marker of a bullet or number drawn on a line of its own
    for line in page.lines:
        text = line.text.strip()
        if not text:
            out.append(line)
            continue
        glyph = _BULLET_GLYPH.match(text)
        if glyph and line.role is None:
            bullet = f"{glyph.group(1)}." if glyph.group(1) else "•"
            continue
        if bullet:
            line = Line(
                f"{bullet} {text}", line.size, line.bold, line.x, line.y, line.role, line.chars
            )
            bullet = ""
        prev = out[-1] if out else None
        if prev is not None and _same_heading(prev, line, rules):
            out[-1] = Line(
                f"{prev.text.rstrip()} {text}", prev.size, prev.bold, prev.x, line.y, prev.role
            )
            continue
        if prev is not None and _wraps(prev, line, column, rules):
            out[-1] = Line(
                f"{prev.text.rstrip()} {text}",
                prev.size,
                prev.bold,
                prev.x,
                line.y,
                None,
                prev.chars,
            )
            continue
        out.append(line)
    return out


def _same_heading(prev: Line, line: Line, rules: Rules) -> bool:
    """A title or heading set over two lines (same role and size, ordinary line spacing)."""
    if prev.role not in ("title", "heading") or line.role != prev.role:
        return False
    gap = prev.y - line.y
    return abs(prev.size - line.size) <= 0.5 and 0 < gap <= rules.wrap_leading * line.size


def _wraps(prev: Line, line: Line, column: float, rules: Rules) -> bool:
    """Whether ``line`` carries on the paragraph ``prev`` started (a line wrapped by width)."""
    if prev.role is not None or line.role is not None or not prev.text.strip():
        return False
    if abs(prev.size - line.size) > 0.5 or _BULLET_START.match(line.text):
        return False
    gap = prev.y - line.y
    if not 0 < gap <= rules.wrap_leading * line.size or line.x < prev.x - 3:
        return False
    return prev.width >= rules.full_line * column and not prev.text.rstrip().endswith(":")


def column_width(pages: list[Page]) -> float:
    """The width text may fill: the page width less the left margin on both sides."""
    xs = [line.x for page in pages for line in page.lines if line.role is None and line.chars]
    width = max((page.width for page in pages), default=0.0)
    left = statistics.median(xs) if xs else 0.0
    return max(width - 2 * left, width * 0.5)
