"""Files for upload tests, made here (nothing downloaded): photos with EXIF GPS, PDFs, and the attacks."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter


def jpeg_with_gps(size: tuple[int, int] = (640, 480), quality: int = 90) -> bytes:
    image = Image.new("RGB", size, (180, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (29.0, 42.0, 0.0), 3: "E", 4: (105.0, 43.0, 0.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=quality)
    return out.getvalue()


def noisy_jpeg(megabytes: float) -> bytes:
    """A photo of about ``megabytes`` (random pixels do not compress), as a phone camera makes."""
    import os

    side = int((megabytes * 1024 * 1024 / 3) ** 0.5 * 1.2)
    for _attempt in range(3):  # JPEG's size per pixel is not known in advance: measure, then rescale once or twice
        image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=95)
        ratio = megabytes * 1024 * 1024 / len(out.getvalue())
        if 0.97 < ratio < 1.03:
            break
        side = int(side * ratio**0.5)
    return out.getvalue()


def png(size: tuple[int, int] = (200, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 255, 255)).save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bomb() -> bytes:
    """A small file that claims 30,000 × 30,000 pixels (900 megapixels): a decompression bomb."""
    out = io.BytesIO()
    Image.new("1", (30000, 30000)).save(out, "PNG")
    return out.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100
BROKEN_JPEG = b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 20
BROKEN_PDF = b"%PDF-1.7\n" + b"garbage " * 50
