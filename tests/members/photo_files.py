"""Image files for the photo tests, made in memory."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112
MAKE = 0x010F
ROTATED_90 = 6  # EXIF: the camera was held sideways; show turned 90° clockwise


def jpeg(size=(2000, 1000), *, orientation=None, name="photo.jpg") -> SimpleUploadedFile:
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    if orientation:
        exif[ORIENTATION] = orientation
    return _upload(Image.new("RGB", size, "red"), "JPEG", name, exif=exif.tobytes())


def png(size=(300, 200), *, mode="RGBA", name="photo.png") -> SimpleUploadedFile:
    return _upload(Image.new(mode, size, (0, 0, 255, 0) if mode == "RGBA" else "blue"), "PNG", name)


def webp(size=(1200, 900), name="photo.webp") -> SimpleUploadedFile:
    return _upload(Image.new("RGB", size, "green"), "WEBP", name)


def gif(name="photo.gif") -> SimpleUploadedFile:
    return _upload(Image.new("P", (50, 50)), "GIF", name)


def bomb_png(width=100_000, height=100_000) -> SimpleUploadedFile:
    """A few hundred bytes that claim ten billion pixels: a decompression bomb."""
    header = b"\x89PNG\r\n\x1a\n"
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 100)
    body = header + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", body, content_type="image/png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _upload(image, fmt, name, **options) -> SimpleUploadedFile:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")
