"""S5: the upload matrix through the contact form (security.md §3).

Sizes around the 5 MB limit (max−1, max+1, 5×max) and a request over ``MAX_CONTENT_LENGTH``;
too many files and too many form parts; SVG, HTML named ``.png``, a GIF/JavaScript polyglot, a
PNG with HTML appended, an empty file, a decompression bomb; Korean, NFD, right-to-left-override
and control-character file names. Pass: never a 5xx; every refusal names the file and keeps
everything the customer typed (also for the request over the size limit); only re-encoded
images are stored, with 0 trailing bytes; names are shown NFC without bidi or control
characters.

Negative control: a store that keeps the uploaded bytes as they came is caught keeping the
appended HTML.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from PIL import Image

from kb import uploads
from tests.web.ticketing import FORM, field_values, image_bytes, page, post_contact, upload

MAX = uploads.MAX_BYTES
HTML = b"<html><script>alert(document.domain)</script></html>"
POLYGLOT = b"GIF89a/*\x00\x00\x00\x00*/=alert(document.domain);//" + b"\x00" * 40
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def _bomb() -> bytes:
    output = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(output, format="PNG")
    return output.getvalue()


def _padded(size: int) -> bytes:
    """A real PNG of exactly ``size`` bytes (padding after its end, dropped by re-encoding)."""
    data = image_bytes()
    return data + b"\x00" * (size - len(data))


REFUSED = {  # case → (file bytes, name)
    "max+1 bytes": (lambda: _padded(MAX + 1), "big.png"),
    "5×max bytes": (lambda: _padded(5 * MAX), "huge.png"),
    "svg": (lambda: SVG, "a.svg"),
    "html as png": (lambda: HTML, "page.png"),
    "gif/js polyglot": (lambda: POLYGLOT, "cat.gif"),
    "0 bytes": (lambda: b"", "empty.png"),
    "decompression bomb": (_bomb, "bomb.png"),
}
ACCEPTED = {  # case → (file bytes, name, name shown)
    "max−1 bytes": (lambda: _padded(MAX - 1), "almost.png", "almost.png"),
    "png + trailing html": (lambda: image_bytes() + HTML, "shot.png", "shot.png"),
    "korean name": (image_bytes, "비밀번호 화면.png", "비밀번호 화면.png"),
    "nfd name": (image_bytes, "\u1107\u1175\u1106\u1175\u11af.png", "비밀.png"),
    "rtl override": (image_bytes, "\u202egnp.exe", "gnp.exe"),
    # A browser percent-encodes CR and LF in a multipart file name; a tab and BEL go raw.
    "control characters in name": (image_bytes, "a\tb\x07.png", "ab.png"),
}


def stored_files(app) -> list[Path]:
    folder = Path(app.config["DATA_DIR"]) / "uploads"
    return sorted(p for p in folder.glob("*") if p.suffix != ".json") if folder.exists() else []


def trailing_bytes(path: Path) -> int:
    """Bytes after the image's end (after PNG's IEND chunk, JPEG's EOI)."""
    data = path.read_bytes()
    end = data.rfind(b"IEND")
    return len(data) - (end + 8) if end >= 0 else 0


def run_matrix(app) -> dict:
    figures = {"cases": 0, "5xx": 0, "refused": 0, "text_lost": [], "wrong": [],
               "trailing_bytes_kept": 0}
    for case, (make, name) in REFUSED.items():
        response = post_contact(app.test_client(), files=[upload(make(), name)])
        figures["cases"] += 1
        figures["5xx"] += response.status_code >= 500
        html = page(response)
        error = html.find(attrs={"data-error-for": "screenshots"})
        if response.status_code == 422 and error is not None and name in error.text:
            figures["refused"] += 1
        else:
            figures["wrong"].append(f"{case}: {response.status_code}")
        if response.status_code == 422 and field_values(html) != FORM:
            figures["text_lost"].append(case)
    for case, (make, name, shown) in ACCEPTED.items():
        before = set(stored_files(app))
        response = post_contact(app.test_client(), files=[upload(make(), name)])
        figures["cases"] += 1
        figures["5xx"] += response.status_code >= 500
        names = [s.text for s in page(response)(attrs={"data-upload-name": True})]
        if response.status_code != 200 or names != [shown] or any(
                unicodedata.category(c) in ("Cf", "Cc") for c in "".join(names)):
            figures["wrong"].append(f"{case}: {response.status_code} {names}")
        for path in set(stored_files(app)) - before:
            figures["trailing_bytes_kept"] += trailing_bytes(path)
    return figures


def test_upload_matrix(make_app, figures):
    app = make_app()
    result = run_matrix(app)
    figures("S5", cases=result["cases"], refused=result["refused"], server_errors=result["5xx"],
            stored_files=len(stored_files(app)), wrong=len(result["wrong"]),
            text_lost=len(result["text_lost"]),
            trailing_bytes_kept=result["trailing_bytes_kept"])
    assert result["5xx"] == 0
    assert result["wrong"] == []
    assert result["text_lost"] == []
    assert result["trailing_bytes_kept"] == 0
    assert len(stored_files(app)) == len(ACCEPTED)


def test_too_many_files_and_parts(make_app, figures):
    app = make_app()
    files = [upload(image_bytes(), f"s{n}.png") for n in range(7)]
    too_many_files = post_contact(app.test_client(), files=files)
    many_parts = app.test_client().post("/en/contact", data={
        **FORM, **{f"extra{n}": "x" for n in range(2_000)}})
    figures("S5", too_many_files_status=too_many_files.status_code,
            too_many_parts_status=many_parts.status_code)
    assert too_many_files.status_code == 422
    assert field_values(page(too_many_files)) == FORM
    assert len(stored_files(app)) == uploads.MAX_FILES
    assert 400 <= many_parts.status_code < 500


def test_request_over_the_size_limit_keeps_the_typed_text(make_app, figures):
    app = make_app(MAX_CONTENT_LENGTH=6 * MAX)
    files = [upload(_padded(MAX - 1), f"s{n}.png") for n in range(7)]
    response = post_contact(app.test_client(), files=files)
    html = page(response)
    kept = html.find("form") is not None and field_values(html) == FORM
    figures("S5", over_limit_status=response.status_code, over_limit_text_kept=kept)
    assert response.status_code == 413
    assert kept


def test_negative_control_a_store_that_keeps_the_bytes(make_app, figures, monkeypatch):
    def keep_as_sent(data: bytes, filename: str) -> uploads.EncodedImage:
        return uploads.EncodedImage(data, "image/png", "png", 1, 1,
                                    uploads.display_name(filename), "0" * 64)

    monkeypatch.setattr(uploads, "reencode", keep_as_sent)
    app = make_app()
    result = run_matrix(app)
    figures("S5", control_trailing_bytes_kept=result["trailing_bytes_kept"])
    assert result["trailing_bytes_kept"] > 0
