"""Screenshots: images only, re-encoded, at most 5 of 5 MB, served only to the ticket holder."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from kb import uploads

from .ticketing import (
    FORM,
    field_values,
    form_tokens,
    image_bytes,
    page,
    post_contact,
    send_ticket,
    stored_ticket,
    stored_tickets,
    upload,
)

HTML = b"<html><script>alert(document.domain)</script></html>"
POLYGLOT = b"GIF89a/*\x00\x00\x00\x00*/=alert(document.domain);//" + b"\x00" * 40


@pytest.fixture
def app(backend_app):
    return backend_app


def stored_files(app) -> list[Path]:
    folder = Path(app.config["DATA_DIR"]) / "uploads"
    return sorted(p for p in folder.glob("*") if p.suffix != ".json") if folder.exists() else []


# Re-encoding (the domain)

@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF", "WEBP"])
def test_allowed_formats_are_re_encoded(kind):
    image = uploads.reencode(image_bytes(kind), f"shot.{kind.lower()}")
    assert (image.width, image.height) == (8, 6)
    assert image.content_type in ("image/png", "image/jpeg", "image/webp")


def test_trailing_html_is_removed_by_re_encoding():
    image = uploads.reencode(image_bytes() + HTML, "shot.png")
    assert b"<script" not in image.content
    assert Image.open(io.BytesIO(image.content)).format == "PNG"


@pytest.mark.parametrize(("data", "name"), [
    (HTML, "page.png"), (POLYGLOT, "x.gif"), (b"", "empty.png"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a.svg"),
    (image_bytes("BMP"), "bitmap.png"),
], ids=["html-as-png", "gif-js-polyglot", "empty", "svg", "bmp"])
def test_non_images_are_refused(data, name):
    with pytest.raises(uploads.UploadError) as raised:
        uploads.reencode(data, name)
    assert raised.value.code == "not_image"


def test_oversized_file_is_refused_before_decoding():
    with pytest.raises(uploads.UploadError) as raised:
        uploads.reencode(b"\x89PNG" + b"\x00" * uploads.MAX_BYTES, "big.png")
    assert raised.value.code == "too_large"


def test_decompression_bomb_is_refused():
    output = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(output, format="PNG")  # 144 Mpx, a few kB
    with pytest.raises(uploads.UploadError) as raised:
        uploads.reencode(output.getvalue(), "bomb.png")
    assert raised.value.code == "too_big_image"


@pytest.mark.parametrize(("raw", "shown"), [
    ("비밀번호.png", "비밀번호.png"),
    ("\u1107\u1175\u1106\u1175\u11af.png", "비밀.png"),  # NFD jamo → NFC syllables
    ("../../etc/\u202egnp.exe", "gnp.exe"),
    ("a\r\nb.png", "ab.png"),
    ("C:\\Users\\min\\화면.png", "화면.png"),
    ("", "image.png"),
], ids=["hangul", "nfd", "traversal-rtl", "crlf", "windows-path", "empty"])
def test_display_name_keeps_hangul_and_drops_controls(raw, shown):
    assert uploads.display_name(raw) == shown


# Through the contact form

def test_five_images_are_attached_to_the_ticket(app, client):
    files = [upload(image_bytes(), f"화면{n}.png") for n in range(5)]
    reference = send_ticket(client, files=files)
    ticket = stored_ticket(app, reference)
    assert [a.display_name for a in ticket.attachments] == [f"화면{n}.png" for n in range(5)]


def test_sixth_file_is_refused_with_a_message_and_the_rest_kept(app, client):
    files = [upload(image_bytes(), f"s{n}.png") for n in range(6)]
    response = post_contact(client, files=files)
    assert response.status_code == 422
    html = page(response)
    assert html.find(attrs={"data-error-for": "screenshots"}).text == \
        "Attach at most 5 images; s5.png was not added."
    assert [s.text for s in html(attrs={"data-upload-name": True})] == [
        f"s{n}.png" for n in range(5)]
    assert field_values(html) == FORM


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"\x89PNG" + b"\x00" * uploads.MAX_BYTES, "big.png", "big.png is larger than 5 MB."),
    (HTML, "page.png", "page.png is not a PNG, JPEG, GIF or WebP image."),
    (POLYGLOT, "cat.gif", "cat.gif is not a PNG, JPEG, GIF or WebP image."),
], ids=["oversized", "html-as-png", "gif-js-polyglot"])
def test_bad_file_is_refused_with_a_message_and_the_text_kept(app, client, data, name,
                                                              message):
    response = post_contact(client, "send", files=[upload(data, name),
                                                   upload(image_bytes(), "ok.png")])
    assert response.status_code == 422
    html = page(response)
    assert html.find(attrs={"data-error-for": "screenshots"}).text == message
    assert field_values(html) == FORM
    assert [s.text for s in html(attrs={"data-upload-name": True})] == ["ok.png"]
    assert stored_tickets(app) == []


def test_kept_images_survive_the_review_step(app, client):
    review = page(post_contact(client, files=[upload(image_bytes(), "화면.png")]))
    kept = [i["value"] for i in review.select(".review-actions input[name=upload]")]
    assert len(kept) == 1
    tokens = {n: review.find("input", attrs={"name": n})["value"]
              for n in ("csrf_token", "idempotency_key")}
    response = post_contact(client, "send", tokens=tokens, upload=kept)
    reference = response.headers["Location"].split("/")[-2]
    assert [a.display_name for a in stored_ticket(app, reference).attachments] == ["화면.png"]


def test_a_kept_image_can_be_removed(client):
    first = page(post_contact(client, "edit", files=[upload(image_bytes(), "x.png")]))
    name = first.find("input", attrs={"name": "remove_upload"})["value"]
    html = page(post_contact(client, "edit", upload=[name], remove_upload=name))
    assert html(attrs={"data-upload-name": True}) == []


def test_stored_image_has_no_trailer_and_private_modes(app, client):
    send_ticket(client, files=[upload(image_bytes() + HTML, "shot.png")])
    [stored] = stored_files(app)
    assert b"<script" not in stored.read_bytes()
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(stored.parent).st_mode) == 0o700


def test_attachment_is_a_nosniff_sandboxed_download_for_the_holder(app, client):
    reference = send_ticket(client, files=[upload(image_bytes(), "화면 1.png")])
    html = page(client.get(f"/en/tickets/{reference}/status"))
    href = html.find("a", attrs={"data-attachment": True})["href"]
    response = client.get(href)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%ED%99%94%EB%A9%B4%201.png" in response.headers[
        "Content-Disposition"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.get_data().startswith(b"\x89PNG")
    response.close()


def test_attachment_is_404_for_anyone_else(app, client):
    reference = send_ticket(client, files=[upload(image_bytes(), "a.png")])
    href = page(client.get(f"/en/tickets/{reference}/status")).find(
        "a", attrs={"data-attachment": True})["href"]
    assert app.test_client().get(href).status_code == 404


def test_attachment_of_another_ticket_is_404_under_mine(app, client):
    mine = send_ticket(client)
    theirs_client = app.test_client()
    theirs = send_ticket(theirs_client, email="b@example.com",
                         files=[upload(image_bytes(), "a.png")])
    href = page(theirs_client.get(f"/en/tickets/{theirs}/status")).find(
        "a", attrs={"data-attachment": True})["href"]
    assert client.get(href.replace(theirs, mine)).status_code == 404


def _review_fields(html) -> dict:
    fields = {n: html.select_one(f".review-actions input[name={n}]")["value"]
              for n in ("csrf_token", "idempotency_key")}
    return {"tokens": fields,
            "upload": [i["value"] for i in html.select(".review-actions input[name=upload]")]}


def test_sending_again_after_a_conflict_keeps_the_image_and_stores_a_second_ticket(app, client):
    review = page(post_contact(client, files=[upload(image_bytes(), "화면.png")]))
    fields = _review_fields(review)
    assert post_contact(client, "send", **fields).status_code == 303
    # The same reviewed form, changed in another tab and sent again: a conflict page...
    conflict = post_contact(client, "send", description="Another problem", **fields)
    assert conflict.status_code == 409
    again = _review_fields(page(conflict))
    assert len(again["upload"]) == 1 and again["upload"] != fields["upload"]
    # ...which offers sending it as a new request, with the image.
    response = post_contact(client, "send", description="Another problem", **again)
    assert response.status_code == 303
    found = stored_tickets(app)
    assert len(found) == 2
    assert [len(t.attachments) for t in found] == [1, 1]
    assert found[0].attachments[0].storage_name != found[1].attachments[0].storage_name


def test_an_upload_belongs_to_the_visitor_who_sent_it(app, client):
    review = page(post_contact(client, files=[upload(image_bytes(), "mine.png")]))
    [name] = _review_fields(review)["upload"]
    stranger = app.test_client()
    response = post_contact(stranger, "send", upload=[name])
    assert response.status_code == 303
    reference = response.headers["Location"].split("/")[-2]
    assert stored_ticket(app, reference).attachments == []
    # The owner can still send it.
    assert post_contact(client, "send", **_review_fields(review)).status_code == 303


def test_an_already_attached_upload_posted_with_a_new_key_is_not_a_500(app, client):
    review = page(post_contact(client, files=[upload(image_bytes(), "x.png")]))
    fields = _review_fields(review)
    assert post_contact(client, "send", **fields).status_code == 303
    response = post_contact(client, "send", tokens=form_tokens(client), upload=fields["upload"])
    assert response.status_code in (303, 409)
    assert len(stored_tickets(app)) <= 2


def test_a_huge_image_in_a_small_file_is_refused_before_decoding():
    output = io.BytesIO()
    Image.new("1", (9000, 9000)).save(output, format="PNG")
    assert len(output.getvalue()) < 100_000
    with pytest.raises(uploads.UploadError) as raised:
        uploads.reencode(output.getvalue(), "huge.png")
    assert raised.value.code == "too_big_image"


def test_uploads_count_in_the_rate_limit(app, client):
    app.config["UPLOAD_LIMIT_PER_ADDRESS"] = 3
    images = [upload(image_bytes(), f"{n}.png") for n in range(2)]
    first = page(post_contact(client, "edit", files=images))
    assert len(first(attrs={"data-upload-name": True})) == 2
    second = page(post_contact(client, "edit",
                               files=[upload(image_bytes(), f"{n}.png") for n in range(2)]))
    assert second.find(attrs={"data-error-for": "screenshots"}) is not None
    assert len(stored_files(app)) == 3


def test_cleanup_removes_old_unattached_uploads_and_keeps_attached_ones(app, client, runner):
    reference = send_ticket(client, files=[upload(image_bytes(), "kept.png")])
    post_contact(client, "edit", files=[upload(image_bytes(), "orphan.png")])
    assert len(stored_files(app)) == 2
    old = 48 * 3600
    for path in Path(app.config["DATA_DIR"], "uploads").iterdir():
        os.utime(path, (path.stat().st_atime - old, path.stat().st_mtime - old))
    from web.cli import cli

    result = runner.invoke(cli, ["uploads", "clean"])
    assert result.exit_code == 0, result.output
    [attached] = stored_ticket(app, reference).attachments
    assert [p.name for p in stored_files(app)] == [attached.storage_name]
    assert result.output.startswith("Deleted 1 uploads")
