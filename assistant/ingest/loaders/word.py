"""Word loader (python-docx): headings start sections; a section is a "page"."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.ingest.loaders.common import (
    DAMAGED_HINT,
    LoadError,
    _clean_meta_title,
    _Section,
    _sections_to_docs,
    _title_from_name,
    check_zip,
)


def load_docx(path: Path, base: dict[str, Any]) -> list[Document]:
    """Headings (Title, Heading n) start sections; tables are read row by row."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(path, "Word")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise LoadError(f"this is not a valid Word (.docx) file. {DAMAGED_HINT['docx']}") from exc
    sections = [_Section()]
    first_heading = ""
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            rows = [_docx_row(row) for row in block.rows]
            rows = [r for r in rows if r]
            sections[-1].lines.extend([*rows, ""])
            sections[-1].has_body = sections[-1].has_body or bool(rows)
            continue
        text = " ".join(block.text.split())
        if not text:
            continue
        if _docx_is_heading(block):
            first_heading = first_heading or text
            sections.append(_Section(heading=text, lines=[text], roles={text: _style_role(block)}))
        else:
            line = _docx_prefix(block) + text
            sections[-1].lines.extend([line, ""])
            sections[-1].has_body = True
            role = _BODY_STYLE_ROLES.get(_style_name(block))
            if role:
                sections[-1].roles[line] = role
    title = _clean_meta_title(document.core_properties.title or "") or first_heading
    return _sections_to_docs(sections, base, title or _title_from_name(path))


def _docx_row(row: Any) -> str:
    cells: list[str] = []
    for cell in row.cells:
        text = " ".join(cell.text.split())
        if not cells or text != cells[-1]:  # merged cells repeat their text
            cells.append(text)
    return " | ".join(cells) if any(cells) else ""


#: Paragraph styles of body paragraphs that are not body text, with their structure role.
_BODY_STYLE_ROLES = {"Caption": "caption", "Subtitle": "heading"}


def _style_name(para: Any) -> str:
    return (para.style.name if para.style is not None else "") or ""


def _docx_is_heading(para: Any) -> bool:
    name = _style_name(para)
    return name == "Title" or name.startswith("Heading")


def _style_role(para: Any) -> str:
    """A heading paragraph's structure role: the document title or a heading."""
    return "title" if _style_name(para) == "Title" else "heading"


def _docx_prefix(para: Any) -> str:
    name = (para.style.name if para.style is not None else "") or ""
    ppr = para._p.pPr
    numbered = ppr is not None and ppr.numPr is not None
    if "List" in name or numbered:
        return "• "
    return ""
