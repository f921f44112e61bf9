"""What the portal says when it refuses an upload, in the visitor's language (web forms and the API alike)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..applications.uploads import MAX_BYTES, UploadRefused


def upload_error(refused: UploadRefused) -> str:
    """A message that names the file and says what to do."""
    name = refused.name
    limit = MAX_BYTES // (1024 * 1024)
    if refused.code == "empty":
        return _("“%(name)s” is empty. Choose the file again.", name=name)
    if refused.code == "too_large":
        size = max(refused.size // (1024 * 1024), limit + 1)
        return _("“%(name)s” is too large (%(size)d MB). Each file must be under %(limit)d MB: take the photo again "
                 "at a smaller size.", name=name, size=size, limit=limit)  # fmt: skip
    if refused.code == "type":
        return _("“%(name)s” is not a photo (JPG or PNG) or a PDF. Choose a JPG, PNG or PDF file.", name=name)
    if refused.code == "image_too_large":
        return _("“%(name)s” has too many pixels to open safely. Take the photo again at a normal size.", name=name)
    if refused.code == "encrypted":
        return _("“%(name)s” is protected by a password. Upload a copy without a password.", name=name)
    return _("“%(name)s” could not be opened: it may be damaged. Take the photo again, or choose another file.",
             name=name)  # fmt: skip
