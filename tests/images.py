"""Image bytes for upload tests, made with Pillow on the fly."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size=(64, 48), color=(200, 30, 30), exif=None) -> bytes:
    image = Image.new("RGB", size, color)
    output = io.BytesIO()
    if exif is not None:
        image.save(output, "PNG", exif=exif)
    else:
        image.save(output, "PNG")
    return output.getvalue()


def jpeg_bytes(size=(64, 48), exif=None) -> bytes:
    image = Image.new("RGB", size, (10, 120, 200))
    output = io.BytesIO()
    image.save(output, "JPEG", **({"exif": exif} if exif is not None else {}))
    return output.getvalue()


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Changan"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (29.0, 33.0, 45.0)
    gps[3] = "E"
    gps[4] = (106.0, 33.0, 0.0)
    return exif


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def decompression_bomb() -> bytes:
    """A small PNG whose header claims 40,000 × 40,000 pixels."""
    image = Image.new("1", (40_000, 40_000))
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()
