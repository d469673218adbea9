"""Configuration from the environment, the kept secret key, /healthz, and the docs."""

from web import create_app, services


def test_environment_variables_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("DEFLECT_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("DEFLECT_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    app = create_app()
    assert app.config["DATA_DIR"] == str(tmp_path / "d")
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'x.db'}"


def test_database_defaults_to_sqlite_in_the_data_folder(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path)})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'deflect.sqlite3'}"


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("DEFLECT_SECRET_KEY", raising=False)
    first = create_app({"DATA_DIR": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"DATA_DIR": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    other = create_app({"DATA_DIR": str(tmp_path / "other")}).config["SECRET_KEY"]
    assert other != first


def test_healthz_reports_ok_and_the_article_count(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["articles"] == len(services.knowledge_base(app))
