"""PowerPoint loader (python-pptx): one Document per slide, speaker notes separately."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.ingest.loaders import structure
from assistant.ingest.loaders.common import (
    _BULLET_RE,
    DAMAGED_HINT,
    LoadError,
    _clean_meta_title,
    _title_from_name,
    check_zip,
    normalise_text,
)

# --------------------------------------------------------------------------------------------
# PPTX
# --------------------------------------------------------------------------------------------


def load_pptx(path: Path, base: dict[str, Any]) -> list[Document]:
    """One Document per slide with text, and one per slide with speaker notes."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    check_zip(path, "PowerPoint")
    try:
        prs = Presentation(str(path))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as exc:
        raise LoadError(
            f"this is not a valid PowerPoint (.pptx) file. {DAMAGED_HINT['pptx']}"
        ) from exc
    slides = [_slide_content(slide) for slide in prs.slides]
    title = _clean_meta_title(prs.core_properties.title or "")
    if not title:
        title = next((s.title for s in slides if s.title), "") or _title_from_name(path)
    docs: list[Document] = []
    for number, content in enumerate(slides, start=1):
        meta = {**base, "doc_title": title, "slide": number, "slide_title": content.title}
        if content.text:
            marks = structure.marks_json(content.marks)
            docs.append(
                Document(
                    page_content=content.text,
                    metadata={**meta, "is_notes": False, structure.KEY: marks},
                )
            )
        if content.notes:
            docs.append(_notes_document(content.notes, meta))
    return docs


#: The line that opens a slide's speaker notes passage (a label, never quoted as an answer).
NOTES_LABEL = "Speaker notes:"


def _notes_document(notes: str, meta: dict[str, Any]) -> Document:
    """The speaker notes of one slide, after a :data:`NOTES_LABEL` line marked as a heading;
    their own "Source:" lines, dates and captions are marked as on any page."""
    lines = notes.splitlines()
    marks = structure.mark_lines([NOTES_LABEL, *lines], ["heading", *[None] * len(lines)])
    return Document(
        page_content=f"{NOTES_LABEL}\n{notes}",
        metadata={**meta, "is_notes": True, structure.KEY: structure.marks_json(marks)},
    )


@dataclass
class _SlideContent:
    title: str
    text: str
    notes: str
    marks: list[tuple[str, str]] = field(default_factory=list)


def _slide_content(slide: Any) -> _SlideContent:
    title_shape = slide.shapes.title
    title = " ".join(title_shape.text_frame.text.split()) if title_shape is not None else ""
    lines = [title] if title else []
    roles: list[str | None] = ["heading"] if title else []
    for shape in _sorted_shapes(slide.shapes):
        if title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        found = list(_shape_lines(shape))
        lines.extend(found)
        roles.extend([_placeholder_role(shape)] * len(found))
    notes = ""
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        notes = normalise_text(frame.text) if frame is not None else ""
    tidy = [normalise_text(line) for line in lines]
    marks = structure.mark_lines(tidy, roles)
    return _SlideContent(title, normalise_text("\n".join(lines)), notes, marks)


def _placeholder_role(shape: Any) -> str | None:
    """Structure role of a placeholder's text: a subtitle is a heading; footer, date and slide
    number placeholders are page furniture; anything else is body text."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    if not getattr(shape, "is_placeholder", False):
        return None
    try:
        kind = shape.placeholder_format.type
    except ValueError:
        return None
    if kind in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.SLIDE_NUMBER):
        return "furniture"
    if kind in (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.TITLE):
        return "heading"
    return None


def _sorted_shapes(shapes: Any) -> list[Any]:
    """Reading order: top to bottom, then left to right."""
    return sorted(shapes, key=lambda s: ((s.top or 0), (s.left or 0)))


def _shape_lines(shape: Any) -> Iterator[str]:
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        for child in _sorted_shapes(shape.shapes):
            yield from _shape_lines(child)
        return
    if getattr(shape, "has_table", False) and shape.has_table:
        for row in shape.table.rows:
            cells = [" ".join(c.text_frame.text.split()) for c in row.cells]
            if any(cells):
                yield " | ".join(cells)
        return
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        bulleted = _is_body_placeholder(shape)
        for para in shape.text_frame.paragraphs:
            text = " ".join(para.text.replace("\v", " ").split())
            if not text:
                continue
            yield _bullet_prefix(para, bulleted, text) + text


def _is_body_placeholder(shape: Any) -> bool:
    from pptx.enum.shapes import PP_PLACEHOLDER

    if not shape.is_placeholder:
        return False
    try:
        kind = shape.placeholder_format.type
    except ValueError:
        return False
    return kind in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def _bullet_prefix(para: Any, inherited: bool, text: str) -> str:
    if _BULLET_RE.match(text):
        return "  " * para.level
    ppr = para._p.pPr
    tags = {child.tag.rsplit("}", 1)[-1] for child in ppr} if ppr is not None else set()
    if "buNone" in tags:
        return ""
    if tags & {"buChar", "buAutoNum", "buBlip"} or inherited:
        return "  " * para.level + "• "
    return ""
