"""Uploaded images: only real images within size and pixel limits, re-encoded as pixels alone.

What it costs is bounded before anything is decoded: the byte size, then the pixel count the
header declares; JPEGs are decoded at a reduced scale when the stored copy is smaller anyway, and
the pixels actually decoded are bounded again (lower for avatars). Re-encoding keeps the pixels
and nothing else: EXIF (GPS location included), XMP, JPEG and GIF comments, PNG text chunks; a
colour profile is applied (converted to sRGB) rather than kept. The orientation tag is applied
first so photos stay upright.
"""

from __future__ import annotations

import io
import math
import secrets
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from community.kernel.errors import ErrorCode, ServiceError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# What pixels need besides themselves: palette transparency. Everything else in `info` is dropped.
PIXEL_INFO = ("transparency",)
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile
    width: int
    height: int
    format: str


@dataclass(frozen=True)
class ImageLimits:
    """How large the stored copy may be (longest side) and how many pixels may be decoded for it."""

    max_side: int
    max_decoded_pixels: int


def photo_limits() -> ImageLimits:
    return ImageLimits(settings.PHOTO_MAX_SIDE, settings.IMAGE_MAX_DECODED_PIXELS)


def avatar_limits() -> ImageLimits:
    return ImageLimits(settings.AVATAR_MAX_SIDE, settings.AVATAR_MAX_DECODED_PIXELS)


def _invalid(message, field: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, message, field)


def _too_many_pixels(field: str, limit: int) -> ServiceError:
    megapixels = limit / 1_000_000
    return _invalid(_("The image has too many pixels: at most %(mp).1f megapixels.") % {"mp": megapixels}, field)


def _reduced_jpeg_scale(image: Image.Image, max_side: int) -> None:
    """Let the JPEG decoder scale down by 1/2, 1/4 or 1/8 while staying at least the stored size."""
    scale = min(1.0, max_side / max(image.size))
    image.draft("RGB", (math.ceil(image.width * scale), math.ceil(image.height * scale)))


def _in_srgb(image: Image.Image) -> Image.Image:
    """The pixels converted from their embedded colour profile to sRGB; unreadable profiles are dropped."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        if image.mode not in ("RGB", "RGBA", "CMYK", "L"):
            raise ImageCms.PyCMSError(image.mode)
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        embedded = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, embedded, SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _upright(image: Image.Image) -> Image.Image:
    try:
        return ImageOps.exif_transpose(image)
    except (SyntaxError, ValueError, TypeError, OSError, KeyError):  # broken EXIF: the pixels are still fine
        return image


def clean_image(upload, *, field: str = "image", limits: ImageLimits | None = None) -> CleanImage:
    """Validate an uploaded file and return its pixels re-encoded, with nothing else kept."""
    limits = limits or photo_limits()
    max_bytes = settings.IMAGE_MAX_BYTES
    max_pixels = settings.IMAGE_MAX_PIXELS
    size = getattr(upload, "size", None)
    if not isinstance(size, int) or size == 0:
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
                raise _too_many_pixels(field, max_pixels)
            probe.verify()
            image = Image.open(io.BytesIO(raw))
            if image_format == "JPEG":
                _reduced_jpeg_scale(image, limits.max_side)
            if image.width * image.height > limits.max_decoded_pixels:
                raise _too_many_pixels(field, limits.max_decoded_pixels)
            image.load()
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(field, max_pixels) from None
    except (UnidentifiedImageError, SyntaxError, ValueError):
        raise _invalid(_("The file is not an image we can read."), field) from None
    except OSError:
        raise _invalid(_("The image is damaged or truncated."), field) from None

    image = _in_srgb(_upright(image))
    image.info = {key: image.info[key] for key in PIXEL_INFO if key in image.info}
    if max(image.size) > limits.max_side:
        image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
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


@contextmanager
def replacing_cover(instance, clean: CleanImage, *, stem: str, attribute: str = "cover"):
    """Put an already cleaned image (`clean_image`: size and pixel limits, metadata stripped) in
    `instance.<attribute>` and save that field, in a transaction the body of the `with` joins (to lock,
    check and record the activity). After commit the replaced file is deleted; on any error the new one."""
    field_file = getattr(instance, attribute)
    old_name = field_file.name if field_file else ""
    field_file.save(f"{stem}-{secrets.token_hex(6)}.{extension_for(clean)}", clean.content, save=False)
    new_name = field_file.name
    try:
        with transaction.atomic():
            instance.save(update_fields=[attribute])
            yield instance
            if old_name:
                transaction.on_commit(partial(default_storage.delete, old_name), robust=True)
    except BaseException:
        default_storage.delete(new_name)
        raise
