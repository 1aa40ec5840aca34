"""Loading stage: turn one file into LangChain ``Document``s with citation-ready metadata.

One loader per format, chosen by file extension from :data:`LOADERS`:

* PDF (pypdf): one Document per page, ``page`` 1-based, ``page_label`` if the PDF defines labels.
* PPTX (python-pptx): one Document per slide (``slide``, ``slide_title``), plus one per slide with
  speaker notes (``is_notes=True``).
* DOCX, Markdown, plain text: headings start sections; ``page`` is the section number.

Every problem a trainer can fix (corrupt, encrypted, scanned, empty, too big, wrong format...) is
raised as :class:`LoadError` with a one-line reason, never as a library traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from langchain_core.documents import Document

from assistant.ingest.loaders import layout
from assistant.ingest.loaders.common import DAMAGED_HINT, LoadError, _mb
from assistant.ingest.loaders.pdf import load_pdf
from assistant.ingest.loaders.slides import load_pptx
from assistant.ingest.loaders.text import load_markdown, load_text
from assistant.ingest.loaders.word import load_docx

__all__ = ["LOADERS", "SUPPORTED_EXTENSIONS", "load_file"]

log = logging.getLogger(__name__)


def load_file(
    path: Path, root: Path, max_bytes: int | None = None, rules: layout.Rules | None = None
) -> list[Document]:
    """Load ``path`` into Documents whose ``source`` is relative to ``root`` (posix). ``rules``
    are the PDF layout thresholds (the ``pdf_*`` settings; their defaults when None).

    Every failure is a :class:`LoadError` whose text is a plain sentence; the library's own
    error behind it (if any) is logged on this module's logger with its traceback.
    """
    path = Path(path)
    ext = path.suffix.lower().lstrip(".")
    loader = LOADERS.get(ext)
    if loader is None:
        raise LoadError(_unsupported_message(ext))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"cannot open the file ({exc.strerror or 'not readable'})") from exc
    if size == 0:
        raise LoadError("the file is empty")
    if max_bytes is not None and size > max_bytes:
        raise LoadError(
            f"the file is too large ({_mb(size)}; the limit is {_mb(max_bytes)}) - "
            "split it or raise RBP_MAX_FILE_MB"
        )
    base = _base_metadata(path, root, ext)
    if loader is load_pdf and rules is not None:
        loader = partial(load_pdf, rules=rules)
    try:
        docs = loader(path, base)
    except LoadError as exc:
        if exc.__cause__ is not None:
            log.warning("%s: %s", path, exc, exc_info=exc.__cause__)
        raise
    except MemoryError as exc:
        raise LoadError("the file is too large to read into memory") from exc
    except Exception as exc:  # any parser failure is a damaged file from the user's view
        log.warning("%s: the %s reader failed", path, ext, exc_info=exc)
        raise LoadError(
            f"could not read this {ext.upper()} file: it looks damaged or was not saved "
            f"completely. {DAMAGED_HINT.get(ext, DAMAGED_HINT[''])}"
        ) from exc
    if not docs:
        raise LoadError("no text found in the file")
    return docs


def _unsupported_message(ext: str) -> str:
    supported = ", ".join(SUPPORTED_EXTENSIONS)
    hint = {"ppt": " (save it as .pptx)", "doc": " (save it as .docx)"}.get(ext, "")
    shown = f".{ext}" if ext else "(no extension)"
    return f"unsupported file type {shown}{hint}; supported: {supported}"


def _base_metadata(path: Path, root: Path, kind: str) -> dict[str, Any]:
    try:
        source = path.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        source = path.name
    kind = "md" if kind == "markdown" else kind
    return {"source": source, "file_name": path.name, "kind": kind}


# --------------------------------------------------------------------------------------------
# registry
# --------------------------------------------------------------------------------------------

Loader = Callable[[Path, dict[str, Any]], list[Document]]

#: Extension (lower case, no dot) -> loader. Error messages are built from these keys.
LOADERS: dict[str, Loader] = {
    "pdf": load_pdf,
    "pptx": load_pptx,
    "docx": load_docx,
    "md": load_markdown,
    "markdown": load_markdown,
    "txt": load_text,
}

#: Suffixes (with the dot, lower case, as ``Path.suffix.lower()``) that :func:`load_file` reads.
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(f".{ext}" for ext in LOADERS)
