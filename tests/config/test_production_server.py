"""The production server command of the README (granian, WSGI, production settings) starts and serves the API."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_granian_serves_the_api_with_production_settings(tmp_path):
    port = _free_port()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CQTT_VAR_DIR": str(tmp_path),
    }
    env["REDIS_URL"] = "redis://127.0.0.1:6379/15"
    env["CQTT_CACHE_KEY_PREFIX"] = f"granian-test-{port}"
    granian = Path(sys.executable).parent / "granian"
    cmd = [str(granian), "--interface", "wsgi", "config.wsgi:application", "--workers", "2"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # the lookup refuses a malformed phone ending before reading anything: no database needed
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/public/dossiers/X/?phone_last4=1", timeout=5
                )
            except urllib.error.HTTPError as e:
                answer = e
                break
            except OSError:
                assert proc.poll() is None, "granian exited"
                assert time.monotonic() < deadline, "granian did not answer within 30 s"
                time.sleep(0.3)
        assert answer.code == 400
        assert answer.headers["Content-Type"] == "application/json"
        assert answer.headers["Content-Language"] == "vi"
        assert answer.headers["X-Frame-Options"] == "DENY"
        body = json.loads(answer.read())
        assert body["errors"]["phone_last4"] == ["Nhập đúng 4 chữ số cuối của số điện thoại."]
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
