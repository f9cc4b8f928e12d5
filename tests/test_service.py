"""The HTTP service, as another system sees it: the real server on 127.0.0.1, a free port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from tests.docx_facts import Docx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(*options: str) -> Iterator[str]:
    """Start `baocao serve` on a free loopback port with ``options``; yield its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "baocao.cli", "serve", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            process.terminate()
            raise AssertionError(process.communicate(timeout=10)[1].decode())
        yield base
    finally:
        process.terminate()
        process.communicate(timeout=30)  # also closes the pipe


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving("--toi-da", "1", "--dong-thoi", "4") as base:
        yield base


def call(
    url: str, body: bytes | None = None, kind: str = "application/yaml", language: str = "vi"
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": kind, "Accept-Language": language}
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_health_templates_and_openapi(server: str) -> None:
    status, _, body = call(server + "/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    status, _, body = call(server + "/templates")
    assert [t["name"] for t in json.loads(body)] == [
        "bao-cao",
        "cong-van",
        "ke-hoach",
        "thong-bao",
        "to-trinh",
    ]
    status, _, body = call(server + "/openapi.json")
    spec = json.loads(body)
    report = spec["components"]["schemas"]["BaoCao"]
    assert "trich_yeu" in report["required"] and report["additionalProperties"] is False
    assert report["properties"]["nguoi_ky"]["$ref"] == "#/components/schemas/nguoi_ky"
    assert set(spec["paths"]) == {"/render", "/validate", "/templates", "/health"}


def test_render_yaml_and_json(server: str) -> None:
    status, headers, body = call(server + "/render", MINIMAL.encode())
    assert status == 200
    assert headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert 'filename="bao-cao.docx"' in headers["content-disposition"]
    assert "Quảng Nam, ngày 12 tháng 11 năm 2021" in Docx(body).text
    import baocao

    data = baocao.load(MINIMAL).data
    data.pop("ngay_ban_hanh")  # JSON has no date type: the day is left blank
    status, _, body = call(server + "/render", json.dumps(data).encode(), "application/json")
    assert status == 200 and "Số: 05/BC-STTTT" in Docx(body).text


def test_the_report_s_loai_van_ban_chooses_the_template(server: str) -> None:
    notice = ("loai_van_ban: thong-bao\n" + MINIMAL).encode()
    status, headers, body = call(server + "/render", notice)
    assert status == 200 and "Số: 05/TB-STTTT" in Docx(body).text
    assert 'filename="thong-bao.docx"' in headers["content-disposition"]
    status, _, body = call(server + "/render?template=ke-hoach", notice)
    assert status == 422
    assert [i["code"] for i in json.loads(body)["issues"]] == ["type_mismatch"]


def test_invalid_input_is_422_with_every_issue_in_the_asked_language(server: str) -> None:
    bad = MINIMAL.replace("trich_yeu:", "trich_yu:").encode()
    status, _, body = call(server + "/validate", bad)
    issues = json.loads(body)["issues"]
    assert status == 422
    assert {i["message"] for i in issues} >= {"thiếu trường bắt buộc “trich_yeu”"}
    unknown = next(i for i in issues if i["path"] == "trich_yu")
    assert (unknown["line"], unknown["column"]) == (6, 1)
    status, _, body = call(server + "/render", bad, language="en-US")
    assert status == 422 and "missing required field “trich_yeu”" in {
        i["message"] for i in json.loads(body)["issues"]
    }


def test_issues_in_json_name_their_line_and_column(server: str) -> None:
    """JSON is read by the rules of YAML: a key's issue names where it was written.

    A missing key points at its parent, the whole request (1:1), as in YAML.
    """
    body = b'{"co_quan_ban_hanh": "X",\n  "trich_yu": "Y"}'
    status, _, answer = call(server + "/validate", body, "application/json")
    issues = json.loads(answer)["issues"]
    assert status == 422
    unknown = next(i for i in issues if i["path"] == "trich_yu")
    assert (unknown["line"], unknown["column"]) == (2, 3)
    missing = next(i for i in issues if i["message"] == "thiếu trường bắt buộc “trich_yeu”")
    assert (missing["line"], missing["column"]) == (1, 1)


def test_unreadable_oversize_and_unknown_template(server: str) -> None:
    status, _, body = call(server + "/render", b"a: b: c\n")
    assert status == 400 and json.loads(body)["error"]["code"] == "yaml_syntax"
    status, _, body = call(server + "/render", b"{", "application/json")
    assert status == 400
    assert oversize_status(server, 1024 * 1024 + 10) == 413
    status, _, body = call(server + "/render?template=../../etc/passwd", MINIMAL.encode())
    assert status == 404 and json.loads(body)["error"]["code"] == "template_unknown"
    status, _, _ = call(server + "/render?format=odt", MINIMAL.encode())
    assert status == 400


def test_a_report_cannot_make_the_service_read_the_server_s_files(
    server: str, tmp_path: Path
) -> None:
    """A picture path in a posted report would name a file on the server: refused, not read."""
    picture = tmp_path / "bi-mat.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)  # exists, and looks like a PNG
    named = [str(picture), "../" * 12 + str(picture).lstrip("/"), "khong-co.png"]
    body = MINIMAL.replace(
        "  - Nội dung.\n", "  - Nội dung.\n" + "".join(f"  - hinh: {{tep: {n}}}\n" for n in named)
    )
    assert body != MINIMAL
    status, _, answer = call(server + "/render", body.encode())
    issues = json.loads(answer)["issues"]
    assert status == 422
    assert [(i["path"], i["code"]) for i in issues] == [
        (f"noi_dung[{index}].hinh.tep", "picture_not_served") for index in (1, 2, 3)
    ]
    assert issues[0]["message"] == (
        f"hình “{picture}” không dùng được qua dịch vụ HTTP: dịch vụ không đọc tệp trên máy "
        "chủ; báo cáo có hình hãy tạo bằng lệnh baocao render"
    )
    assert os.getcwd() not in answer.decode("utf-8")  # nor does it tell where it runs
    import baocao

    data = baocao.load(MINIMAL).data  # the same through JSON
    data.pop("ngay_ban_hanh")  # JSON has no date type
    data["noi_dung"].append({"hinh": {"tep": str(picture)}})
    status, _, answer = call(server + "/render", json.dumps(data).encode(), "application/json")
    assert status == 422
    assert [i["code"] for i in json.loads(answer)["issues"]] == ["picture_not_served"]


def test_json_nested_too_deep_is_a_400_not_a_crash(server: str) -> None:
    """Past our limit, and past the JSON parser's own stack (a RecursionError inside it)."""
    for depth in (100, 100_000):
        body = '{"noi_dung": ' + "[" * depth + "]" * depth + "}"
        status, _, answer = call(server + "/render", body.encode(), "application/json")
        assert status == 400
        assert json.loads(answer)["error"]["code"] == "too_deep"


def oversize_status(server: str, size: int) -> int:
    """The status the server answers after seeing only the headers of a body that is too large.

    It answers before reading the body (so it never spends the bandwidth); a
    client that sends the whole body first may see the connection closed.
    """
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            f"POST /render HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/yaml\r\n"
            f"Content-Length: {size}\r\n\r\n".encode()
        )
        answer = connection.recv(4096).decode("latin-1")
    return int(answer.split()[1])


def test_validate_a_good_report(server: str) -> None:
    status, _, body = call(server + "/validate", MINIMAL.encode())
    assert status == 200 and json.loads(body) == {"valid": True, "issues": []}


def test_fifty_concurrent_requests_never_mix_up(server: str) -> None:
    def one(n: int) -> tuple[int, str]:
        status, _, body = call(
            server + "/render", MINIMAL.replace("Nội dung.", f"Yêu cầu số {n}.").encode()
        )
        return status, Docx(body).text if status == 200 else ""

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(one, range(50)))
    assert all(status == 200 for status, _ in results)
    for n, (_, text) in enumerate(results):
        assert f"Yêu cầu số {n}./." in text
        assert sum(f"Yêu cầu số {m}." in text for m in range(50)) == 1


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (.ci/run installs it)",
)
def test_render_a_pdf(server: str) -> None:
    status, headers, body = call(server + "/render?format=pdf", MINIMAL.encode())
    assert (
        status == 200 and headers["content-type"] == "application/pdf" and body.startswith(b"%PDF")
    )


def test_binds_to_loopback_by_default() -> None:
    from click.testing import CliRunner

    from baocao.cli import make_cli

    help_text = CliRunner().invoke(make_cli("en"), ["serve", "--help"]).output
    assert "default: 127.0.0.1" in help_text


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (.ci/run installs it)",
)
def test_a_render_past_the_time_limit_is_504() -> None:
    with serving("--thoi-gian", "1") as base:
        status, _, body = call(
            base + "/render?format=pdf", MINIMAL.encode()
        )  # LibreOffice needs > 1 s
        assert status == 504 and json.loads(body)["error"]["code"] == "timeout"
