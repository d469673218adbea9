"""Images in articles: re-encoded without metadata, stored once per picture, refused past the
limits with a message naming them, and carried byte for byte through export and import.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from kb import Database, content, schema, uploads
from kb.content import images
from kb.content.models import StoredImageRow
from kb.loader import load_articles
from web.config import REPOSITORY

SAMPLE = REPOSITORY / "articles"
ARTICLE = "ko/account/login-trouble.md"


def picture(kind: str = "PNG", size=(40, 30), color=(20, 120, 200), **save) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format=kind, **save)
    return output.getvalue()


def with_exif(kind: str = "JPEG") -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8298] = "Kim Minsu, 010-1234-5678"  # Copyright
    return picture(kind, exif=exif.tobytes())


def save(database: Database, data: bytes, name: str = "screen.png") -> content.StoredImage:
    with database.session() as session:
        return content.save_image(session, data, name, author="editor@example.com",
                                  locale="ko", slug="login-trouble")


def rows(database: Database) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(StoredImageRow))


def test_the_limits_are_the_uploads_limits():
    assert images.MAX_BYTES == uploads.MAX_BYTES and images.MAX_PIXELS == uploads.MAX_PIXELS


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_reencoding_strips_exif_and_metadata(database, kind):
    original = with_exif(kind)
    assert b"SecretCam" in original
    stored = save(database, original, f"photo.{kind.lower()}")
    with database.session() as session:
        found = content.read_image(session, stored.digest)
    assert found is not None
    _, data = found
    assert b"SecretCam" not in data and b"010-1234-5678" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (40, 30)
    assert hashlib.sha256(data).hexdigest() == stored.digest
    assert stored.url == f"/images/{stored.digest}.{stored.extension}"


def test_the_same_picture_twice_is_one_row(database):
    first = save(database, picture(), "a.png")
    second = save(database, picture(), "b.png")
    assert first.digest == second.digest and rows(database) == 1
    assert second.markdown == f"![b]({second.url})"
    third = save(database, picture(color=(0, 0, 0)), "c.png")
    assert third.digest != first.digest and rows(database) == 2


@pytest.mark.parametrize("data, code, words", [
    (b"<svg onload=alert(1)>", "not_image", "not a PNG, JPEG, GIF or WebP image"),
    (b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024), "too_large", "larger than 5 MB"),
], ids=["not-an-image", "over-5-MB"])
def test_a_refused_file_names_the_problem_and_stores_nothing(database, data, code, words):
    with pytest.raises(content.InvalidImage) as refused:
        save(database, data, "evil.png")
    assert refused.value.code == code
    assert words in refused.value.message("en") and "evil.png" in refused.value.message("en")
    assert "evil.png" in refused.value.message("ko")
    assert rows(database) == 0


def test_too_many_pixels_names_the_limit(database):
    output = io.BytesIO()
    Image.new("1", (6000, 5000)).save(output, format="PNG")  # small file, 30 M pixels
    data = output.getvalue()
    with pytest.raises(content.InvalidImage) as refused:
        save(database, data, "huge.png")
    assert refused.value.code == "too_big_image" and refused.value.is_too_large
    assert "25 million pixels" in refused.value.message("en")
    assert "2,500만 화소" in refused.value.message("ko")


def test_an_unknown_or_malformed_digest_reads_nothing(database):
    with database.session() as session:
        assert content.read_image(session, "0" * 64) is None
        assert content.read_image(session, "../etc/passwd") is None


def show_image(database: Database, stored: content.StoredImage) -> None:
    with database.session() as session:
        state = content.read_article(session, "ko", "login-trouble")
        saved = content.save_draft(session, locale="ko", slug="login-trouble",
                                   markdown=state.markdown + f"\n{stored.markdown}\n",
                                   base_revision=state.revision, author="editor@example.com")
        content.publish(session, locale="ko", slug="login-trouble", revision=saved.revision)


def test_export_then_import_carries_the_image_byte_for_byte(database, folder, tmp_path):
    assert content.import_folder(database, folder).errors == []
    stored = save(database, with_exif("JPEG"), "photo.jpg")
    show_image(database, stored)
    with database.session() as session:
        _, data = content.read_image(session, stored.digest)

    out = tmp_path / "out"
    report = content.export_folder(database, out)
    relative = Path("images") / f"{stored.digest}.jpg"
    assert relative in report.written
    assert (out / relative).read_bytes() == data
    assert load_articles(out).problems == []  # deflect lint --strict: images/ is ignored
    assert content.export_folder(database, out).written == []  # a second export: unchanged

    fresh = Database(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    schema.upgrade(fresh)
    try:
        imported = content.import_folder(fresh, out)
        assert imported.errors == [] and imported.images == [stored.digest]
        with fresh.session() as session:
            again, copied = content.read_image(session, stored.digest)
        assert copied == data and again.content_type == "image/jpeg"
        assert content.import_folder(fresh, out).images == []
    finally:
        fresh.engine.dispose()


def test_an_image_whose_bytes_do_not_match_its_name_is_reported(database, folder):
    images_folder = folder / "images"
    images_folder.mkdir()
    (images_folder / f"{'a' * 64}.png").write_bytes(picture())
    (images_folder / "notes.txt").write_text("hello", encoding="utf-8")
    renamed = picture(color=(1, 2, 3))
    (images_folder / f"{hashlib.sha256(renamed).hexdigest()}.jpg").write_bytes(renamed)
    report = content.import_folder(database, folder)
    messages = {p.path.name: p.message for p in report.errors}
    assert "do not hash to the file's name" in messages[f"{'a' * 64}.png"]
    assert "name images as" in messages["notes.txt"]
    assert "png image, not jpg" in messages[f"{hashlib.sha256(renamed).hexdigest()}.jpg"]
    assert report.images == [] and rows(database) == 0
