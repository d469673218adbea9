"""Screenshots: images only, decoded and re-encoded with Pillow, stored under random names.

Re-encoding is the security boundary (file-type sniffers accept GIF/JavaScript polyglots and
PNGs with HTML appended): what is stored is only the pixels Pillow decoded, without metadata or
trailing bytes. Stored files live outside any static folder (mode 0600 in a 0700 folder) with a
small JSON sidecar naming the visitor who uploaded it, so an image uploaded before a review step
can be attached when that visitor sends (never by another). The original name is kept only for
display: NFC, without control or bidi characters. Uploads count in a per-address hourly limit,
an image over ``MAX_PIXELS`` is refused before its pixels are decoded, and ``clean_orphans``
deletes uploads no ticket took within a few hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import secrets
import unicodedata
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select

from kb import ratelimit
from kb.db import Database
from kb.errors import RateLimited, UploadError
from kb.tickets import Attachment, NewAttachment

MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
MAX_NAME = 120
MAX_PIXELS = 25_000_000
"""Largest image accepted, in pixels (a 5K screen is 14.7 M): decoding costs ~5 bytes a pixel,
and Pillow's own bomb guard (89 M) lets a 9000 × 9000 PNG of 10 kB through."""
_OUTPUT = {  # decoded format → (stored format, content type, extension)
    "PNG": ("PNG", "image/png", "png"),
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),  # the first frame is what a screenshot needs
}
_STORAGE_NAME = re.compile(r"^[0-9a-f]{32}$")

MESSAGES: dict[str, dict[str, str]] = {
    "too_large": {"en": "{name} is larger than 5 MB.", "ko": "{name} 파일이 5MB보다 큽니다."},
    "too_many": {"en": "Attach at most 5 images; {name} was not added.",
                 "ko": "이미지는 5개까지 첨부할 수 있습니다. {name} 파일은 추가되지 않았습니다."},
    "not_image": {"en": "{name} is not a PNG, JPEG, GIF or WebP image.",
                  "ko": "{name} 파일은 PNG, JPEG, GIF, WebP 이미지가 아닙니다."},
    "too_big_image": {"en": "{name} has too many pixels.",
                      "ko": "{name} 이미지의 해상도가 너무 큽니다."},
    "rate_limited": {"en": "You have uploaded many images recently; {name} was not added. "
                           "Please try again later.",
                     "ko": "최근에 이미지를 많이 올리셨습니다. {name} 파일은 추가되지 않았습니다. "
                           "잠시 후 다시 올려 주세요."},
}


@dataclass(frozen=True)
class EncodedImage:
    """The re-encoded bytes of an upload and what to show about it."""

    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    display_name: str
    digest: str


def display_name(filename: str, extension: str = "png") -> str:
    """A name safe to show and to offer as a download name, keeping Hangul.

    ``"../\\u202e비밀번호.png"`` → ``"비밀번호.png"``; an empty result becomes ``image.<ext>``.
    """
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", filename or ""))[-1]
    kept = "".join(c for c in base if unicodedata.category(c)[0] not in ("C", "Z") or c == " ")
    kept = kept.strip(" .")[:MAX_NAME]
    return kept or f"image.{extension}"


def reencode(data: bytes, filename: str) -> EncodedImage:
    """Decode ``data`` as an allowed image format and encode its pixels again.

    Raises ``UploadError`` (``too_large``, ``not_image``, ``too_big_image``).
    """
    name = display_name(filename)
    if len(data) > MAX_BYTES:
        raise UploadError("too_large", name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format not in _OUTPUT:
                    raise UploadError("not_image", name)
                if image.width * image.height > MAX_PIXELS:  # read from the header only
                    raise UploadError("too_big_image", name)
                image.load()
                encoded, content_type, extension = _encode(image)
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadError("too_big_image", name) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UploadError("not_image", name) from error
    return EncodedImage(content=encoded, content_type=content_type, extension=extension,
                        width=width, height=height,
                        display_name=display_name(filename, extension),
                        digest=hashlib.sha256(data).hexdigest())


def _encode(image: Image.Image) -> tuple[bytes, str, str]:
    stored_format, content_type, extension = _OUTPUT[image.format]
    if stored_format == "JPEG":
        pixels = image.convert("RGB")
    else:
        pixels = image.convert("RGBA" if _has_alpha(image) else "RGB")
    output = io.BytesIO()
    options = {"quality": 90} if stored_format in ("JPEG", "WEBP") else {"optimize": True}
    pixels.save(output, format=stored_format, **options)  # no info/exif passed: metadata dropped
    return output.getvalue(), content_type, extension


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


class UploadStore:
    """Re-encoded images in one folder, named by 128 random bits, each with a JSON sidecar
    holding what a ticket needs and the visitor (``owner``) who uploaded it."""

    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def save(self, image: EncodedImage, *, owner: str = "") -> NewAttachment:
        """Write ``image`` (mode 0600) for ``owner``; return what a ticket needs to attach it."""
        attachment = NewAttachment(storage_name=secrets.token_hex(16),
                                   display_name=image.display_name,
                                   content_type=image.content_type, size=len(image.content),
                                   width=image.width, height=image.height, digest=image.digest)
        self._store(attachment, image.content, owner)
        return attachment

    def load(self, storage_name: str, *, owner: str | None = None) -> NewAttachment | None:
        """The stored image named ``storage_name``; ``None`` if the name is not one of ours or,
        when ``owner`` is given, another visitor uploaded it."""
        if not _STORAGE_NAME.match(storage_name or ""):
            return None
        try:
            data = json.loads((self.folder / f"{storage_name}.json").read_text("utf-8"))
            if owner is not None and data.get("owner") != owner:
                return None
            return NewAttachment(**data["attachment"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def copy(self, attachment: NewAttachment, *, owner: str) -> NewAttachment:
        """A copy of a stored image under a new name (a ticket owns its files: sending a form
        again as a new request attaches copies)."""
        content = self.path(attachment.storage_name).read_bytes()
        copied = NewAttachment(**{**asdict(attachment), "storage_name": secrets.token_hex(16)})
        self._store(copied, content, owner)
        return copied

    def path(self, storage_name: str) -> Path:
        if not _STORAGE_NAME.match(storage_name):
            raise ValueError(f"not a storage name: {storage_name!r}")
        return self.folder / storage_name

    def _store(self, attachment: NewAttachment, content: bytes, owner: str) -> None:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        sidecar = {"attachment": asdict(attachment), "owner": owner}
        self._write(self.folder / attachment.storage_name, content)
        self._write(self.folder / f"{attachment.storage_name}.json",
                    json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(content)


def check_upload_limit(db: Database, address: str, per_hour: int, name: str, *,
                       now: dt.datetime | None = None) -> None:
    """Count one upload from ``address``; raise ``UploadError("rate_limited")`` past
    ``per_hour`` (0 or an empty address: no limit). A database counter: all workers share it."""
    if per_hour <= 0 or not address:
        return
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with db.session() as session:
            ratelimit.enforce(session, [(ratelimit.Limit("upload-address", per_hour, 3600),
                                         address)], now=now)
    except RateLimited:
        raise UploadError("rate_limited", name) from None


def clean_orphans(db: Database, store: UploadStore, *, keep_hours: float,
                  now: float | None = None) -> int:
    """Delete stored uploads older than ``keep_hours`` that no ticket has; return how many.

    Uploads wait for the review step and for validation errors, so only old ones go; a file a
    ticket holds is never deleted.
    """
    if not store.folder.is_dir():
        return 0
    cutoff = (now if now is not None else dt.datetime.now(dt.UTC).timestamp()) \
        - keep_hours * 3600
    old = {}
    for path in store.folder.iterdir():
        name = path.name.removesuffix(".json").removesuffix(".part")
        if _STORAGE_NAME.match(name) and path.stat().st_mtime < cutoff:
            old.setdefault(name, []).append(path)
    if not old:
        return 0
    names = list(old)
    attached: set[str] = set()
    with db.session() as session:
        for start in range(0, len(names), 500):  # bounded IN lists on every backend
            attached.update(session.scalars(select(Attachment.storage_name).where(
                Attachment.storage_name.in_(names[start:start + 500]))))
    removed = 0
    for name, paths in old.items():
        if name in attached:
            continue
        for path in paths:
            path.unlink(missing_ok=True)
        removed += 1
    return removed
