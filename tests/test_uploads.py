"""Uploads: checked by content, cleaned (no EXIF), refused with a message that names the file, never a 500."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from portal.applications.storage import LocalStorage
from portal.applications.uploads import MAX_BYTES, UploadRefused, clean_upload, display_name

from .support import files
from .test_apply_journey import post, start_draft


def test_photos_lose_their_exif_and_keep_their_picture():
    original = files.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # GPS is there before
    clean = clean_upload(original, "IMG_0001.JPG")
    assert clean.content_type == "image/jpeg" and clean.name == "IMG_0001.JPG"
    image = Image.open(io.BytesIO(clean.data))
    assert not image.getexif() and image.size == (640, 480)
    assert clean_upload(files.png(), "页.png").content_type == "image/png"


def test_a_phone_photo_taken_sideways_is_turned_upright():
    image = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert Image.open(io.BytesIO(clean_upload(out.getvalue(), "p.jpg").data)).size == (200, 400)


def test_pdfs_are_kept_when_they_open():
    data = files.pdf(pages=3)
    clean = clean_upload(data, "证明.pdf")
    assert clean.content_type == "application/pdf" and clean.data == data


@pytest.mark.parametrize(
    "data, name, code",
    [
        (b"", "empty.jpg", "empty"),
        (files.SVG, "picture.svg", "type"),
        (files.SVG, "picture.jpg", "type"),  # an SVG named as a photo
        (files.EXE, "photo.jpg", "type"),  # a disguised executable
        (files.HEIC, "IMG_0002.HEIC", "type"),
        (b"just text", "notes.pdf", "type"),
        (files.BROKEN_JPEG, "broken.jpg", "broken"),
        (files.BROKEN_PDF, "broken.pdf", "broken"),
        (files.pdf(password="secret"), "locked.pdf", "encrypted"),
        (files.png_bomb(), "bomb.png", "image_too_large"),
        (b"\xff\xd8\xff" + b"\x00" * (MAX_BYTES + 1), "huge.jpg", "too_large"),
    ],
)
def test_refused_kinds(data, name, code):
    with pytest.raises(UploadRefused) as refused:
        clean_upload(data, name)
    assert refused.value.code == code and refused.value.name == name


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\身份证.jpg", "身份证.jpg"),
        ("a\x00b.jpg", "ab.jpg"),
        ("\u202eexe.jpg", "exe.jpg"),  # a right-to-left override, used to disguise names
        ("", "file"),
        ("...", "file"),
    ],
)
def test_file_names_are_made_safe_to_show(raw, shown):
    assert display_name(raw) == shown


def test_long_names_are_shortened_keeping_the_extension():
    name = display_name("照" * 300 + ".jpeg")
    assert len(name) <= 80 and name.endswith("….jpeg")


def test_storage_writes_durably_under_random_names(tmp_path):
    storage = LocalStorage(tmp_path / "uploads")
    key = storage.put(b"sealed bytes")
    assert storage.get(key) == b"sealed bytes" and len(key) == 32
    path = tmp_path / "uploads" / key[:2] / key
    assert path.stat().st_mode & 0o777 == 0o600
    assert not list((tmp_path / "uploads").rglob("*.part"))
    storage.delete(key)
    assert not path.exists()
    for bad in ("../../etc/passwd", "x" * 32, key.upper()):
        with pytest.raises(KeyError):
            storage.get(bad)


def test_the_upload_page_refuses_with_the_file_named_and_keeps_the_rest(app, client):
    start_draft(client)
    response = post(
        client,
        "/apply/draft/documents/identity",
        {
            "files": [
                (io.BytesIO(files.jpeg_with_gps()), "户口簿首页.jpg"),
                (io.BytesIO(files.SVG), "evil.svg"),
                (io.BytesIO(b""), "空的.jpg"),
            ]
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "evil.svg" in html and "空的.jpg" in html and 'class="error-summary"' in html
    page = client.get("/apply/draft/documents").get_data(as_text=True)
    assert "户口簿首页.jpg" in page and "evil.svg" not in page  # the good file was kept


def test_a_file_over_10_mb_gets_a_message_not_a_413(app, client):
    start_draft(client)
    big = b"\xff\xd8\xff" + b"\x00" * (12 * 1024 * 1024)
    response = post(
        client,
        "/apply/draft/documents/identity",
        {"files": [(io.BytesIO(big), "big.jpg")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "big.jpg" in html and "10" in html


def test_an_upload_to_an_unknown_document_is_404(app, client):
    start_draft(client)
    response = post(
        client,
        "/apply/draft/documents/passport",
        {"files": [(io.BytesIO(files.png()), "a.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404


def test_removing_a_file(app, client):
    import re

    start_draft(client)
    post(
        client,
        "/apply/draft/documents/identity",
        {"files": [(io.BytesIO(files.png()), "页一.png")]},
        content_type="multipart/form-data",
    )
    page = client.get("/apply/draft/documents").get_data(as_text=True)
    file_id = re.search(r"/apply/draft/files/(\d+)/remove", page).group(1)
    assert "删除<span class=\"visually-hidden\"> 页一.png</span>" in page  # the button is named after the file
    assert post(client, f"/apply/draft/files/{file_id}/remove", {}).status_code == 302
    assert "页一.png" not in client.get("/apply/draft/documents").get_data(as_text=True)
    stored = list((app.config["UPLOADS_DIR"]).rglob("*"))
    assert not [p for p in stored if p.is_file()]
