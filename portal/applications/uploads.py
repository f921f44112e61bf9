"""What a resident uploads, checked by its content (never by its name) and cleaned before it is kept.

Accepted: JPEG, PNG (re-encoded, so that no EXIF such as GPS survives; a phone photo is turned upright first) and
PDF (opened to prove it is readable and not encrypted). Refused, each with its own ``code``: empty files, files
over the size limit, anything else (SVG, HEIC, executables however named), images too large to decode safely
(decompression bombs), broken or encrypted files. No Flask here.
"""

from __future__ import annotations

import io
import unicodedata
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.errors import PdfReadError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is larger than any phone's; more is a bomb, not a document
MAX_PDF_PAGES = 100
DISPLAY_NAME_MAX = 80

JPEG, PNG, PDF = "image/jpeg", "image/png", "application/pdf"


class UploadRefused(ValueError):
    """``code``: empty, too_large, type, image_too_large, broken, encrypted."""

    def __init__(self, code: str, name: str, size: int = 0) -> None:
        super().__init__(code)
        self.code, self.name, self.size = code, name, size


@dataclass(frozen=True)
class CleanFile:
    name: str  # safe to show: no path, no control characters, bounded length
    content_type: str
    data: bytes


def display_name(raw: str | None) -> str:
    """The file's name as the resident knows it, made safe to show: the last path part, no NUL or other control
    characters, at most ``DISPLAY_NAME_MAX`` characters (the extension kept)."""
    name = (raw or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    if len(name) > DISPLAY_NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = (stem if dot else name)[: DISPLAY_NAME_MAX - len(ext) - 2] + "…" + ("." + ext if ext else "")
    return name or "file"


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    return None


def _clean_image(data: bytes, kind: str, name: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise UploadRefused("image_too_large", name)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused("image_too_large", name) from None
    except Exception:  # Pillow raises many kinds for a broken file; every one means the same to the resident
        raise UploadRefused("broken", name) from None
    out = io.BytesIO()
    if kind == JPEG:
        upright.convert("RGB").save(out, "JPEG", quality=88, optimize=True)  # no exif= : none is written
    else:
        clean = upright if upright.mode in ("1", "L", "LA", "P", "RGB", "RGBA") else upright.convert("RGBA")
        clean.save(out, "PNG", optimize=True)  # Pillow writes no text chunks unless given pnginfo
    return out.getvalue()


def _check_pdf(data: bytes, name: str) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UploadRefused("encrypted", name)
        pages = len(reader.pages)
        if not 1 <= pages <= MAX_PDF_PAGES:
            raise UploadRefused("broken", name)
        reader.pages[0].mediabox  # noqa: B018 - reading the first page proves the file opens
    except UploadRefused:
        raise
    except (PdfReadError, Exception):
        raise UploadRefused("broken", name) from None


def clean_upload(data: bytes, filename: str | None) -> CleanFile:
    """Check one uploaded file and return what may be kept, or raise :class:`UploadRefused`."""
    name = display_name(filename)
    if not data:
        raise UploadRefused("empty", name)
    if len(data) > MAX_BYTES:
        raise UploadRefused("too_large", name, len(data))
    kind = sniff(data)
    if kind is None:
        raise UploadRefused("type", name)
    if kind == PDF:
        _check_pdf(data, name)
        return CleanFile(name, PDF, data)
    return CleanFile(name, kind, _clean_image(data, kind, name))
