"""Images in articles: screenshots re-encoded by ``kb.uploads.reencode``, stored in the database
beside the revisions and named by the SHA-256 of the stored bytes.

Naming by content makes an image immutable: ``/images/<digest>.<ext>`` always means the same
bytes, so it can be cached forever, the same picture uploaded twice is one row, and the
Markdown folder carries it as ``images/<digest>.<ext>`` whose name an import can check. Nothing
here ticks the content clock: a new image changes no article until a revision shows it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kb.articles import Problem
from kb.content.models import StoredImageRow, utc_now
from kb.errors import InvalidImage, UploadError

MAX_BYTES = 5 * 1024 * 1024
"""Largest file accepted, in bytes: ``kb.uploads.MAX_BYTES``, which ``reencode`` enforces (a
test pins that the two agree; ``kb.uploads`` is imported late because it imports tickets,
which import this package)."""
MAX_PIXELS = 25_000_000
"""Most pixels an image may have: ``kb.uploads.MAX_PIXELS`` (a 5K screen is 14.7 million)."""
IMAGES_FOLDER = "images"
"""The folder of the Markdown folder that holds the images its articles show."""
EXTENSIONS = ("png", "jpg", "webp")
IMAGE_URL = re.compile(r"/images/(?P<digest>[0-9a-f]{64})\.(?P<extension>png|jpg|webp)")
"""Our own image URLs: the only ``src`` the article sanitizer keeps (see ``kb.rendering``)."""
_FILE_NAME = re.compile(r"^(?P<digest>[0-9a-f]{64})\.(?P<extension>png|jpg|webp)$")

MESSAGES: dict[str, dict[str, str]] = {
    "too_large": {
        "en": "{name} is larger than 5 MB, the limit for an image in an article. "
              "Crop it or save it as JPEG, then upload it again.",
        "ko": "{name} 파일이 5MB보다 큽니다. 글에 넣는 이미지는 5MB까지입니다. "
              "잘라 내거나 JPEG로 저장한 뒤 다시 올려 주세요.",
    },
    "too_big_image": {
        "en": "{name} has more than 25 million pixels, the limit for an image in an article. "
              "Scale it down, then upload it again.",
        "ko": "{name} 이미지가 2,500만 화소를 넘습니다. 글에 넣는 이미지는 2,500만 화소까지입니다. "
              "크기를 줄인 뒤 다시 올려 주세요.",
    },
    "not_image": {
        "en": "{name} is not a PNG, JPEG, GIF or WebP image.",
        "ko": "{name} 파일은 PNG, JPEG, GIF, WebP 이미지가 아닙니다.",
    },
}


@dataclass(frozen=True)
class StoredImage:
    """An image in the store and where it is served."""

    digest: str
    content_type: str
    extension: str
    width: int
    height: int
    size: int
    display_name: str = ""

    @property
    def url(self) -> str:
        """``/images/<digest>.<ext>``: the path the public route serves it at."""
        return f"/images/{self.digest}.{self.extension}"

    @property
    def markdown(self) -> str:
        """The Markdown that shows it, with its name (without extension) as the alt text."""
        alt = Path(self.display_name).stem or "image"
        alt = re.sub(r"[\[\]\\]", "", alt) or "image"
        return f"![{alt}]({self.url})"


def save_image(session: Session, data: bytes, filename: str, *, author: str,
               locale: str | None = None, slug: str | None = None) -> StoredImage:
    """Re-encode ``data`` (dropping metadata and anything after the pixels) and store it, once.

    Raises ``InvalidImage``: ``too_large`` (over ``MAX_BYTES``), ``too_big_image`` (over
    ``MAX_PIXELS``) or ``not_image``. Nothing is stored then.
    """
    from kb import uploads

    try:
        encoded = uploads.reencode(data, filename)
    except UploadError as error:
        raise InvalidImage(error.code, error.name) from error
    digest = hashlib.sha256(encoded.content).hexdigest()
    row = _row(session, digest)
    if row is None:
        row = StoredImageRow(digest=digest, content_type=encoded.content_type,
                             extension=encoded.extension, data=encoded.content,
                             width=encoded.width, height=encoded.height,
                             size=len(encoded.content), uploaded_by=author, locale=locale,
                             slug=slug, created_at=utc_now())
        try:
            with session.begin_nested():  # another editor storing the same picture right now
                session.add(row)
        except IntegrityError:
            row = _row(session, digest)
            assert row is not None
    return _stored(row, encoded.display_name)


def read_image(session: Session, digest: str) -> tuple[StoredImage, bytes] | None:
    """The image named ``digest`` and its bytes; ``None`` when there is none."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest or ""):
        return None
    row = _row(session, digest)
    return None if row is None else (_stored(row), bytes(row.data))


def referenced_digests(text: str) -> list[str]:
    """The digests of our own image URLs in ``text``, in order, each once.

    >>> referenced_digests("![a](/images/" + "0" * 64 + ".png)")
    ['0000000000000000000000000000000000000000000000000000000000000000']
    """
    return list(dict.fromkeys(m["digest"] for m in IMAGE_URL.finditer(text)))


def export_images(session: Session, folder: Path, digests: list[str]) -> tuple[list[Path],
                                                                                list[Path]]:
    """Write the stored images among ``digests`` to ``folder/images/<digest>.<ext>``; return
    the paths (relative to ``folder``) written and those already identical."""
    written: list[Path] = []
    unchanged: list[Path] = []
    for digest in sorted(set(digests)):
        row = _row(session, digest)
        if row is None:
            continue  # a URL to an image this store never had: the page shows its alt text
        relative = Path(IMAGES_FOLDER) / f"{row.digest}.{row.extension}"
        target = folder / relative
        data = bytes(row.data)  # a memoryview from some PostgreSQL drivers
        if target.is_file() and target.read_bytes() == data:
            unchanged.append(relative)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(relative)
    return written, unchanged


def import_images(session: Session, folder: Path, *, author: str) -> tuple[list[str],
                                                                           list[Problem]]:
    """Store each image of ``folder/images`` the store does not have; return the digests
    added and the problems (a file name that is not ``<sha256>.<ext>``, bytes that do not hash
    to the name, a file that is not such an image or is over a limit: each left out)."""
    from kb import uploads

    added: list[str] = []
    problems: list[Problem] = []
    images = folder / IMAGES_FOLDER
    if not images.is_dir():
        return added, problems
    for path in sorted(p for p in images.iterdir() if not p.name.startswith(".")):
        match = _FILE_NAME.match(path.name)
        if match is None or not path.is_file():
            problems.append(Problem("error", path, None, "not an image of the store: name "
                                    "images as <sha256 of the bytes>.png, .jpg or .webp"))
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != match["digest"]:
            problems.append(Problem("error", path, None, "the bytes do not hash to the file's "
                                    "name: the image was changed after export; upload the new "
                                    "picture in the desk instead"))
            continue
        if _row(session, match["digest"]) is not None:
            continue
        try:
            encoded = uploads.reencode(data, path.name)  # decodes it fully: a real image
        except UploadError as error:
            problems.append(Problem("error", path, None,
                                    InvalidImage(error.code, path.name).message("en")))
            continue
        if encoded.extension != match["extension"]:
            problems.append(Problem("error", path, None, f"the file holds a "
                                    f"{encoded.extension} image, not {match['extension']}"))
            continue
        # The exported bytes are what an upload's re-encoding produced; re-encoding them again
        # would change a JPEG's bytes (and so its name), so the checked bytes are kept.
        session.add(StoredImageRow(digest=match["digest"], content_type=encoded.content_type,
                                   extension=encoded.extension, data=data,
                                   width=encoded.width, height=encoded.height, size=len(data),
                                   uploaded_by=author, created_at=utc_now()))
        session.flush()
        added.append(match["digest"])
    return added, problems


def _row(session: Session, digest: str) -> StoredImageRow | None:
    return session.scalar(select(StoredImageRow).where(StoredImageRow.digest == digest))


def _stored(row: StoredImageRow, display_name: str = "") -> StoredImage:
    return StoredImage(digest=row.digest, content_type=row.content_type,
                       extension=row.extension, width=row.width, height=row.height,
                       size=row.size, display_name=display_name)
