"""Uploaded images: only real images within size and pixel limits, re-encoded without metadata.

Re-encoding drops EXIF (including GPS location), PNG text chunks and anything else a camera or an
attacker put beside the pixels; the orientation tag is applied first so photos stay upright.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from community.kernel.errors import ErrorCode, ServiceError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    format: str


def _invalid(message, field: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field)


def clean_image(upload, *, field: str = "image") -> CleanImage:
    """Validate an uploaded file and return its pixels re-encoded without metadata."""
    max_bytes = settings.IMAGE_MAX_BYTES
    max_pixels = settings.IMAGE_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is None or size == 0:
        raise _invalid(_("The file is empty."), field)
    if size > max_bytes:
        raise _invalid(_("The image is too large: at most %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)}, field)
    upload.seek(0)
    raw = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            image_format = probe.format
            width, height = probe.size
            if image_format not in ALLOWED_FORMATS:
                raise _invalid(_("Only JPEG, PNG, WebP and GIF images are accepted."), field)
            # The pixel count is known from the header: refuse bombs before decoding anything.
            if width * height > max_pixels or width < 1 or height < 1:
                raise _invalid(_("The image has too many pixels."), field)
            probe.verify()
            image = Image.open(io.BytesIO(raw))
            image.load()
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _invalid(_("The image has too many pixels."), field) from None
    except (UnidentifiedImageError, SyntaxError, ValueError):
        raise _invalid(_("The file is not an image we can read."), field) from None
    except OSError:
        raise _invalid(_("The image is damaged or truncated."), field) from None

    image = ImageOps.exif_transpose(image)
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=88, optimize=True)
    elif image_format == "GIF":
        image.save(output, "GIF")
    elif image_format == "WEBP":
        image.save(output, "WEBP", quality=88)
    else:
        image.save(output, "PNG", optimize=True)
    return CleanImage(
        content=ContentFile(output.getvalue()),
        width=image.width,
        height=image.height,
        format=image_format,
    )


def extension_for(clean: CleanImage) -> str:
    return ALLOWED_FORMATS[clean.format]


def make_thumbnail(data: bytes, size: int) -> ContentFile:
    """A JPEG no larger than `size` on its longer side (square crop for avatars is the client's job)."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        thumbnail = image.convert("RGB")
        thumbnail.thumbnail((size, size), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        thumbnail.save(output, "JPEG", quality=85, optimize=True)
    return ContentFile(output.getvalue())
