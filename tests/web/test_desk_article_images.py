"""Images in articles from the editors' desk: an editor uploads one and gets its Markdown, the
public page shows it from our own URL, the image route serves it with strict headers; who may
not upload, a missing CSRF token, the limits, and images from anywhere else never render."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from kb.content.models import StoredImageRow
from web import services

from .desking import csrf_token, page, signed_in
from .test_desk_articles import EDIT, save

UPLOAD = f"{EDIT}/images"


@pytest.fixture
def app(backend_app):
    return backend_app


@pytest.fixture
def editor(app):
    return signed_in(app, "editor@example.com", "editor", name="Eun")


def picture(size=(30, 20), color=(10, 160, 90)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format="PNG")
    return output.getvalue()


def upload(client, data: bytes, name: str = "로그인 화면.png", *, token: bool = True):
    headers = {"X-CSRFToken": csrf_token(client, EDIT)} if token else {}
    # Encoded here, in memory: the test client spools large bodies to a temporary file that it
    # never closes (see tests/web/ticketing.py ``post_contact``).
    boundary, body = encode_multipart(MultiDict({"image": FileStorage(io.BytesIO(data),
                                                                      filename=name)}))
    return client.post(UPLOAD, data=body, headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


def rows(app) -> int:
    with services.database(app).session() as session:
        return session.scalar(select(func.count()).select_from(StoredImageRow))


def test_an_editor_uploads_and_gets_the_markdown(app, editor):
    response = upload(editor, picture())
    assert response.status_code == 201
    body = response.get_json()
    assert re.fullmatch(r"/images/[0-9a-f]{64}\.png", body["url"])
    assert body["markdown"] == f"![로그인 화면]({body['url']})"
    assert rows(app) == 1
    assert upload(editor, picture(), "again.png").get_json()["url"] == body["url"]
    assert rows(app) == 1


def test_the_published_article_shows_the_image_and_the_route_serves_it(app, editor, client):
    url = upload(editor, picture()).get_json()["url"]
    fields_body = page(editor.get(EDIT)).select_one("textarea[name=body]").text
    response = save(editor, {"body": f"{fields_body}\n\n![로그인 화면]({url})\n",
                             "action": "publish"})
    assert response.status_code == 303

    article = client.get("/ko/articles/login-trouble")
    assert article.status_code == 200
    shown = page(article).select(".article-body img")
    assert [(img["src"], img["alt"]) for img in shown] == [(url, "로그인 화면")]
    assert "img-src 'self'" in article.headers["Content-Security-Policy"]

    served = client.get(url)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.headers["Content-Security-Policy"] == "default-src 'none'"
    assert hashlib.sha256(served.data).hexdigest() == url[8:72]
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (30, 20)


def test_an_unknown_image_or_the_wrong_extension_is_404(app, editor, client):
    url = upload(editor, picture()).get_json()["url"]
    assert client.get(url.replace(".png", ".jpg")).status_code == 404
    assert client.get(f"/images/{'0' * 64}.png").status_code == 404
    assert client.get("/images/nothing.png").status_code == 404


def test_the_preview_shows_an_uploaded_image(app, editor):
    url = upload(editor, picture()).get_json()["url"]
    fields = {"csrf_token": csrf_token(editor, EDIT), "locale": "ko", "title": "제목",
              "slug": "login-trouble", "category": "account", "questions": "질문",
              "body": f"본문\n\n![화면]({url})\n"}
    response = editor.post("/desk/articles/preview", data=fields,
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert [img["src"] for img in page_of(response.get_json()["html"]).select("img")] == [url]


def page_of(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


OWN = "/images/" + "a" * 64 + ".png"


@pytest.mark.parametrize("body, shown", [
    ("![x](https://evil.example/x.png)", []),
    ("<img src=x onerror=alert(1)>", []),
    ("![x](data:image/png;base64,iVBORw0KGgo=)", []),
    ("![x](//evil.example/images/" + "a" * 64 + ".png)", []),
    (f'<img src="{OWN}" onerror="alert(1)" onload="alert(2)">', [{"src": OWN}]),
], ids=["external", "onerror", "data-url", "protocol-relative", "own-src-with-onerror"])
def test_images_from_elsewhere_never_render(app, editor, client, body, shown):
    fields_body = page(editor.get(EDIT)).select_one("textarea[name=body]").text
    assert save(editor, {"body": f"{fields_body}\n\n바로 아래 그림\n\n{body}\n",
                         "action": "publish"}).status_code == 303
    article = page(client.get("/ko/articles/login-trouble")).select_one(".article-body")
    assert "바로 아래 그림" in article.text  # the published revision is the one shown
    assert [img.attrs for img in article.select("img")] == shown
    assert "evil.example" not in str(article) and "onerror" not in str(article)


@pytest.mark.parametrize("role", ["agent"])
def test_an_agent_may_not_upload(app, role):
    client = signed_in(app, "agent@example.com", role)
    token = csrf_token(client, "/desk/tickets")
    response = client.post(UPLOAD, data={"image": (io.BytesIO(picture()), "a.png")},
                           headers={"X-CSRFToken": token}, content_type="multipart/form-data")
    assert response.status_code == 403 and rows(app) == 0


def test_an_anonymous_visitor_may_not_upload(app, client):
    response = client.post(UPLOAD, data={"image": (io.BytesIO(picture()), "a.png")},
                           content_type="multipart/form-data")
    assert response.status_code in (302, 303, 401) and rows(app) == 0


def test_an_upload_without_the_csrf_token_is_refused(app, editor):
    assert upload(editor, picture(), token=False).status_code == 400
    assert rows(app) == 0


def test_an_oversized_file_is_413_with_the_limit_and_nothing_stored(app, editor):
    data = picture() + b"\0" * (5 * 1024 * 1024)
    response = upload(editor, data, "big.png")
    assert response.status_code == 413
    error = response.get_json()["error"]
    assert error["code"] == "too_large" and "5 MB" in error["message"]
    assert "big.png" in error["message"]
    assert rows(app) == 0


def test_a_file_that_is_not_an_image_is_422(app, editor):
    response = upload(editor, b"<html><script>alert(1)</script>", "x.png")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "not_image" and rows(app) == 0
    missing = editor.post(UPLOAD, data={}, headers={"X-CSRFToken": csrf_token(editor, EDIT)})
    assert missing.status_code == 422


def test_the_editing_page_offers_add_image(app, editor):
    html = page(editor.get(EDIT))
    box = html.select_one("[data-image-upload]")
    assert box["data-image-upload"] == UPLOAD
    file_input = box.select_one("input[type=file][data-image-file]")
    assert not file_input.has_attr("name")  # never posted with the article's form
    assert html.select_one(f"label[for={file_input['id']}]").text.strip() in ("Add image",
                                                                             "이미지 추가")
