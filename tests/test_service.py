"""The HTTP service, as another system sees it: the real server on 127.0.0.1, a free port."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL
from tests.docx_facts import Docx
from tests.procs import Process, processes, state

Where = tuple[str | int, ...]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(*options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `baocao serve` on a free loopback port with ``options``; yield its base URL."""
    with server_process(*options, env=env) as (base, _):
        yield base


@contextmanager
def server_process(
    *options: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`serving`, also yielding the server's process (to look at what runs below it)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "baocao.cli", "serve", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
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
        yield base, process
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
        "quyet-dinh",
        "thong-bao",
        "to-trinh",
    ]
    status, _, body = call(server + "/openapi.json")
    spec = json.loads(body)
    report = spec["components"]["schemas"]["BaoCao"]
    assert "trich_yeu" in report["required"] and report["additionalProperties"] is False
    assert report["properties"]["nguoi_ky"]["$ref"] == "#/components/schemas/nguoi_ky"
    assert set(spec["paths"]) == {
        "/render",
        "/validate",
        "/import",
        "/check",
        "/templates",
        "/health",
    }
    for path in ("/render", "/validate", "/import", "/check"):  # every refusal is described
        answers = spec["paths"][path]["post"]["responses"]
        assert {"400", "408", "413", "415", "421", "422", "500", "504"} <= set(answers)
    assert "text/plain" not in spec["paths"]["/render"]["post"]["requestBody"]["content"]
    check = spec["paths"]["/check"]["post"]
    assert {p["name"] for p in check["parameters"]} == {"fix", "type", "lang"}
    assert set(check["responses"]["200"]["headers"]) == {
        "Baocao-Passed",
        "Baocao-Changes",
        "Baocao-Rules-Fixed",
        "Baocao-Rules-Failing",
    }
    shapes = spec["components"]["schemas"]
    assert shapes["FixReport"]["properties"]["after"] == {
        "$ref": "#/components/schemas/CheckReport"
    }
    assert set(shapes["CheckReport"]["required"]) == {
        "file",
        "template",
        "passed",
        "rules",
        "summary",
    }


def openapi_locations(spec: dict[str, Any], component: str) -> dict[Where, set[str]]:
    """Every place in a report where the OpenAPI schema lists keys, and those keys.

    Follows ``$ref`` (a definition already on the path is not entered again),
    ``anyOf`` variants and array items (at 0), as ``cerberus_locations`` does.
    """
    schemas = spec["components"]["schemas"]
    found: dict[Where, set[str]] = {}

    def walk(node: dict[str, Any], where: Where, seen: frozenset[str]) -> None:
        ref = node.get("$ref")
        if ref is not None:
            name = ref.removeprefix("#/components/schemas/")
            if name not in seen:
                walk(schemas[name], where, seen | {name})
            return
        for variant in node.get("anyOf", []):
            walk(variant, where, seen)
        if "items" in node:
            walk(node["items"], (*where, 0), seen)
        if "properties" in node:
            assert node["additionalProperties"] is False, where  # an unknown key is refused
            found[where] = set(node["properties"])
            for key, child in node["properties"].items():
                walk(child, (*where, key), seen)

    walk(schemas[component], (), frozenset({component}))
    return found


def test_openapi_describes_every_document_type_as_cerberus_accepts_it(server: str) -> None:
    """Every key Cerberus accepts, at every place, in every type, is in /openapi.json; no other."""
    from baocao.bundle import available, find
    from tests.test_schema import cerberus_locations

    status, _, body = call(server + "/openapi.json")
    assert status == 200
    spec = json.loads(body)
    schemas = spec["components"]["schemas"]
    names = {"bao-cao": "BaoCao", "cong-van": "CongVan", "ke-hoach": "KeHoach"}
    names |= {"quyet-dinh": "QuyetDinh", "thong-bao": "ThongBao", "to-trinh": "ToTrinh"}
    assert set(names) == set(available())
    for kind, component in names.items():
        accepted = cerberus_locations(kind)
        assert openapi_locations(spec, component) == accepted, kind
        required = {k for k, rules in find(kind).schema.items() if rules.get("required")}
        assert set(schemas[component]["required"]) == required, kind
    assert "kinh_gui" in schemas["CongVan"]["required"]  # a type's own rules, not bao-cao's
    assert "kinh_gui" not in schemas["BaoCao"]["required"]
    assert "tham_quyen" in schemas["QuyetDinh"]["required"]  # a quyết định's own keys
    assert "theo_de_nghi" in schemas["QuyetDinh"]["properties"]
    assert "kinh_gui" not in schemas["QuyetDinh"]["properties"]
    assert schemas["CongVan"]["properties"]["trich_yeu"] == {"type": "string"}
    for path in ("/render", "/validate"):
        post = spec["paths"][path]["post"]
        for media in post["requestBody"]["content"].values():
            assert media["schema"]["anyOf"] == [
                {"$ref": f"#/components/schemas/{c}"} for c in names.values()
            ]
        (template,) = [p for p in post["parameters"] if p["name"] == "template"]
        assert template["schema"]["enum"] == available()
    notes = schemas["BaoCao"]["properties"]["chu_thich"]
    assert notes["propertyNames"] == {"pattern": r"^(?:[^\s\]]+)$"}
    assert notes["additionalProperties"]["anyOf"][1]["items"] == {"type": "string"}


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


def oversize_status(
    server: str, size: int, path: str = "/render", kind: str = "application/yaml"
) -> int:
    """The status the server answers after seeing only the headers of a body that is too large.

    It answers before reading the body (so it never spends the bandwidth); a
    client that sends the whole body first may see the connection closed.
    """
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {kind}\r\n"
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


# -- One request cannot hurt the others (issue 15: 6, 7, 9, 10) ----------------------------

needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
needs_libreoffice = pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")) and os.environ.get("CI") != "true",
    reason="LibreOffice is not installed (.ci/run installs it)",
)


def descendants(pid: int) -> dict[int, str]:
    """Every live process below ``pid`` and its command line (zombies are dead: left out)."""
    children: dict[int, list[Process]] = {}
    for process in processes():
        if process.state != "Z":
            children.setdefault(process.parent, []).append(process)
    found: dict[int, str] = {}
    queue = [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found[child.pid] = child.command.decode()
            queue.append(child.pid)
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, waiting for its parent to collect it, is dead)."""
    return state(pid) not in ("Z", "gone")


def all_gone(pids: Iterable[int], within: float = 3) -> bool:
    """Wait up to ``within`` seconds for every process of ``pids`` to end."""
    deadline = time.monotonic() + within
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(map(alive, pids))


def raw(base: str, head: str, body: bytes = b"", *, read_timeout: float = 10) -> tuple[int, bytes]:
    """Send ``head`` (request line and headers, without the blank line) and ``body`` as is."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=read_timeout) as connection:
        connection.sendall(head.encode() + b"\r\n\r\n" + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer:
                top, rest = answer.split(b"\r\n\r\n", 1)
                length = [
                    int(line.split(b":")[1])
                    for line in top.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ]
                if length and len(rest) >= length[0]:
                    break
    status_line, rest = answer.split(b"\r\n", 1)
    return int(status_line.split()[1]), rest.split(b"\r\n\r\n", 1)[1]


@needs_proc
def test_health_answers_at_once_while_validate_chews_6000_unknown_keys() -> None:
    """Validation runs in a worker process: the event loop keeps answering."""
    big = json.dumps({f"khoa_la_{n}": n for n in range(6000)}).encode()
    with serving("--thoi-gian", "3") as base:
        outcome: dict[str, float] = {}

        def chew() -> None:
            started = time.monotonic()
            outcome["status"], _, _ = call(base + "/validate", big, "application/json")
            outcome["seconds"] = time.monotonic() - started

        worker = threading.Thread(target=chew)
        worker.start()
        latencies = []
        time.sleep(0.1)
        while worker.is_alive() or not latencies:
            started = time.monotonic()
            status, _, _ = call(base + "/health")
            latencies.append(time.monotonic() - started)
            assert status == 200
            time.sleep(0.05)
        worker.join()
    # 422 once validation stops collecting early; at worst the job's time limit ends it
    assert outcome["status"] in (422, 504) and outcome["seconds"] < 4.5
    assert max(latencies) < 0.1, latencies


@needs_proc
@needs_libreoffice
def test_a_timeout_kills_the_job_and_libreoffice_and_frees_the_slot(tmp_path: Path) -> None:
    """With one slot: the PDF past 1 s is stopped (LibreOffice too), the next request works."""
    before = scratch_folders(tmp_path)
    private = {"TMPDIR": str(tmp_path)}
    with server_process("--thoi-gian", "1", "--dong-thoi", "1", env=private) as (base, server):
        outcome: dict[str, int] = {}

        def slow() -> None:
            outcome["status"], _, _ = call(base + "/render?format=pdf", MINIMAL.encode())

        request = threading.Thread(target=slow)
        request.start()
        libreoffice: set[int] = set()
        while request.is_alive():
            libreoffice |= {
                pid for pid, line in descendants(server.pid).items() if "soffice" in line
            }
            time.sleep(0.02)
        assert outcome["status"] == 504
        assert libreoffice, "LibreOffice never started: the test proves nothing"
        assert all_gone(libreoffice, within=2)  # killed, not left converting
        started = time.monotonic()
        status, _, body = call(base + "/render", MINIMAL.encode())
        assert status == 200 and "Nội dung./." in Docx(body).text
        assert time.monotonic() - started < 5
        below = descendants(server.pid)
        assert not [line for line in below.values() if "soffice" in line]
    assert all_gone(below)  # the server's workers stop with it
    assert scratch_folders(tmp_path) - before == set()  # the killed worker's, and the others'


def scratch_folders(folder: Path) -> set[Path]:
    """The workers' scratch folders (each removed when its worker stops).

    The server gets ``folder`` as its TMPDIR: in the shared temporary folder another
    suite's servers, running at the same time, would make and remove folders too.
    """
    return set(folder.glob("baocao-worker-*"))


@needs_proc
def test_workers_die_with_a_killed_server_and_leave_no_folder(tmp_path: Path) -> None:
    before = scratch_folders(tmp_path)
    with server_process("--dong-thoi", "2", env={"TMPDIR": str(tmp_path)}) as (base, server):
        assert call(base + "/render", MINIMAL.encode())[0] == 200
        below = descendants(server.pid)
        assert len(below) >= 2  # the workers (and the process they are forked from)
        assert len(scratch_folders(tmp_path) - before) == 2
        server.kill()  # nothing of the server runs to clean up: the workers see it gone
        assert all_gone(below)
    assert scratch_folders(tmp_path) - before == set()


def test_a_stalled_body_is_408_and_the_service_keeps_serving() -> None:
    """Headers and part of a body, then nothing: answered within the read limit, not held."""
    with serving("--thoi-gian-nhan", "1") as base:
        host, port = base.removeprefix("http://").split(":")
        stalled = []
        for _ in range(20):
            connection = socket.create_connection((host, int(port)), timeout=10)
            connection.sendall(
                f"POST /render HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/yaml\r\n"
                f"Accept-Language: en\r\nContent-Length: 1000\r\n\r\nco_quan_ban_hanh: ".encode()
            )
            stalled.append(connection)
        started = time.monotonic()
        assert call(base + "/health")[0] == 200
        answers = []
        for connection in stalled:
            with connection:
                answer = b""
                while chunk := connection.recv(65536):  # the server closes the connection
                    answer += chunk
                answers.append(answer.decode())
        assert time.monotonic() - started < 3
        for answer in answers:
            assert answer.startswith("HTTP/1.1 408")
            error = json.loads(answer.split("\r\n\r\n", 1)[1])["error"]
            assert error == {
                "code": "body_timeout",
                "message": "<request>: the request body was not fully sent after 1 seconds; "
                "the service stopped waiting",
            }
        assert call(base + "/render", MINIMAL.encode())[0] == 200


def test_only_names_of_this_server_are_answered() -> None:
    """DNS rebinding: a foreign name pointed at 127.0.0.1 comes with that name in Host."""
    with serving(
        "--cho-phep-host", "bao-cao.so.vn", env={"BAOCAO_CHO_PHEP_HOST": "noi-bo"}
    ) as base:
        port = base.rsplit(":", 1)[1]
        status, body = raw(base, f"GET /health HTTP/1.1\r\nHost: evil.example:{port}")
        assert status == 421
        assert json.loads(body)["error"] == {
            "code": "host_not_allowed",
            "message": "dịch vụ không trả lời yêu cầu gửi tới tên “evil.example” (có thể là một "
            "trang web lạ đang gọi vào máy này); nếu đó đúng là tên của máy chủ, hãy thêm nó "
            "bằng --cho-phep-host",
        }
        head = "POST /render HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/yaml\r\n"
        status, _ = raw(base, head + f"Content-Length: {len(MINIMAL.encode())}", MINIMAL.encode())
        assert status == 421
        for name in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LocalHost"):
            assert raw(base, f"GET /health HTTP/1.1\r\nHost: {name}")[0] == 200, name
        for name in ("bao-cao.so.vn", f"bao-cao.so.vn:{port}", "noi-bo"):
            assert raw(base, f"GET /health HTTP/1.1\r\nHost: {name}")[0] == 200, name
        assert raw(base, "GET /health HTTP/1.1\r\nHost: so.vn")[0] == 421


def test_only_json_and_yaml_bodies_are_taken(server: str) -> None:
    """text/plain is what a web page may POST cross-site without asking first: refused."""
    status, _, body = call(server + "/render", MINIMAL.encode(), "text/plain", language="en")
    assert status == 415
    assert json.loads(body)["error"] == {
        "code": "unsupported_media_type",
        "message": "<request>: the service takes JSON (Content-Type: application/json) or YAML "
        "(application/yaml, text/yaml) only, not “text/plain”",
    }
    host = server.removeprefix("http://")
    length = len(MINIMAL.encode())
    status, body = raw(
        server,
        f"POST /validate HTTP/1.1\r\nHost: {host}\r\nContent-Length: {length}",
        MINIMAL.encode(),
    )
    assert status == 415 and "“?”" in json.loads(body)["error"]["message"]
    for kind in ("application/yaml", "text/yaml", "application/x-yaml; charset=utf-8"):
        assert call(server + "/validate", MINIMAL.encode(), kind)[0] == 200, kind


def test_a_failing_pdf_tells_the_client_nothing_of_the_server(tmp_path: Path) -> None:
    """LibreOffice's output names the server's folders: the log gets it, the answer does not."""
    fake = tmp_path / "soffice"
    fake.write_text(
        f"#!/bin/sh\necho 'Error: source file could not be loaded {tmp_path}/x' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    with server_process(env={"BAOCAO_SOFFICE": str(fake)}) as (base, server):
        status, _, body = call(base + "/render?format=pdf", MINIMAL.encode(), language="en")
        assert status == 500
        error = json.loads(body)["error"]
        assert error["code"] in ("pdf_failed", "pdf_not_converted")  # the LibreOffice failure
        assert error["message"] == (
            f"the server failed to handle the request ({error['code']}); "
            "the details are in the server's log"
        )
        assert str(tmp_path) not in body.decode() and "/tmp" not in body.decode()
        server.terminate()
        log = server.communicate(timeout=30)[1].decode()
    assert f"{error['code']}: " in log  # the operator still sees what failed, and where


# -- POST /import: a Word file back into YAML ----------------------------------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def form(
    data: bytes, field: str = "tep", filename: str | None = "bao-cao.docx"
) -> tuple[bytes, str]:
    """A multipart/form-data body with one file, as curl -F sends it; and its Content-Type."""
    boundary = "----baocao7MA4YWxkTrZu0gW"
    named = f'; filename="{filename}"' if filename is not None else ""
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"{named}\r\n'
            f"Content-Type: {DOCX}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def send(
    url: str, body: bytes, kind: str, accept: str | None = None, language: str = "vi"
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Content-Type": kind, "Accept-Language": language}
    if accept is not None:
        headers["Accept"] = accept
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_import_gives_the_yaml_as_text_or_in_json(server: str) -> None:
    import baocao
    from baocao.importer import import_docx

    document = baocao.render(baocao.validate(baocao.load(MINIMAL)))
    expected = import_docx(document).yaml_text
    status, headers, body = send(server + "/import", *form(document))
    assert status == 200 and headers["content-type"] == "text/yaml; charset=utf-8"
    assert 'filename="bao-cao.yaml"' in headers["content-disposition"]
    assert body.decode("utf-8") == expected
    again = Docx(baocao.render(baocao.validate(baocao.load(body.decode("utf-8")))))
    assert again.text == Docx(document).text  # the YAML renders the same document again
    assert send(server + "/import", document, DOCX)[2] == body  # the file itself, not in a form
    for url, accept in (
        ("/import?format=json", None),
        ("/import", "application/json"),
        ("/import", "text/html, application/json;q=0.9"),
    ):
        status, headers, answer = send(server + url, *form(document), accept=accept)
        assert status == 200 and headers["content-type"] == "application/json", (url, accept)
        assert json.loads(answer) == {"yaml": expected, "notes": [], "warnings": []}
    status, headers, _ = send(server + "/import", *form(document), accept="text/yaml")
    assert headers["content-type"] == "text/yaml; charset=utf-8"
    status, _, answer = send(server + "/import?format=odt", *form(document))
    assert status == 400 and json.loads(answer)["error"]["code"] == "format"


def test_import_notes_name_the_line_of_their_comment(server: str, tmp_path: Path) -> None:
    """A plain document (no Nơi nhận, no signer): each part not found is a note at its comment."""
    import docx

    plain = docx.Document()
    for text in ("BÁO CÁO", "Tình hình tháng 10", "I. KẾT QUẢ", "Đã làm xong việc."):
        plain.add_paragraph(text)
    plain.save(tmp_path / "tron.docx")
    status, _, answer = send(
        server + "/import?format=json", *form((tmp_path / "tron.docx").read_bytes())
    )
    assert status == 200
    result = json.loads(answer)
    lines = result["yaml"].splitlines()
    assert result["notes"] and "hinh" not in result
    for note in result["notes"]:
        comment = lines[note["line"] - 1]
        assert comment.lstrip().startswith("# không nhận ra") and note["text"] in comment
    assert any(note["text"].startswith("nơi nhận") for note in result["notes"])


def test_import_refuses_what_is_not_a_word_file_as_render_refuses(server: str) -> None:
    for language, sentence in (
        ("vi", "không phải tệp Word .docx"),
        ("en", "not a Word .docx file"),
    ):
        status, _, answer = send(
            server + "/import", *form(b"%PDF-1.4 not a Word file"), language=language
        )
        error = json.loads(answer)["error"]
        assert status == 400 and error["code"] == "check_not_zip"
        assert sentence in error["message"], error
    status, _, answer = send(server + "/import", *form(b"PK\x03\x04 truncated zip"))
    assert status == 400 and json.loads(answer)["error"]["code"] == "check_not_zip"
    body, kind = form(b"", filename=None)
    status, _, answer = send(server + "/import", body.replace(b"name=", b"x-name="), kind)
    assert status == 400 and json.loads(answer)["error"]["code"] == "import_no_file"
    status, _, answer = send(server + "/import", b"{}", "application/json", language="en")
    error = json.loads(answer)["error"]
    assert status == 415 and error["code"] == "import_media_type"
    assert "“application/json”" in error["message"] and "multipart/form-data" in error["message"]
    status, _, answer = send(server + "/import?template=../x", *form(b"PK"))
    assert status == 404 and json.loads(answer)["error"]["code"] == "template_unknown"
    assert oversize_status(server, 1024 * 1024 + 10, "/import", DOCX) == 413


def test_a_form_gives_the_file_byte_for_byte() -> None:
    """The form is read by the MIME parser: CR, LF and every byte of a zip survive it."""
    from baocao.service import _upload

    data = bytes(range(256)) * 40 + b"\r\n--\r\n\n\r" + b"\r\n"
    assert _upload(*form(data)) == data
    assert _upload(*form(data, filename=None)) == data  # a field without a file name
    assert _upload(data, DOCX) == data


def test_an_import_past_the_time_limit_is_504_and_the_slot_is_freed() -> None:
    """/import runs in the same workers as /render, under the same job time limit."""
    import baocao

    body = "".join(f'  - "Đoạn **số {n}** của *báo cáo* dài."\n' for n in range(4000))
    long = baocao.render(baocao.validate(baocao.load(MINIMAL.replace("  - Nội dung.\n", body))))
    short = baocao.render(baocao.validate(baocao.load(MINIMAL)))
    with serving("--thoi-gian", "1", "--dong-thoi", "1") as base:
        status, _, answer = send(base + "/import", *form(long))  # reading it takes seconds
        assert status == 504 and json.loads(answer)["error"]["code"] == "timeout"
        status, _, answer = send(base + "/import", *form(short))
        assert status == 200 and answer.startswith(b"# ")


def imported_has(field: str) -> bool:
    import dataclasses

    from baocao.importer import Imported

    return field in {f.name for f in dataclasses.fields(Imported)}


@pytest.mark.skipif(not imported_has("pictures"), reason="the import extracts no pictures yet")
def test_import_json_carries_the_pictures_base64(server: str, tmp_path: Path) -> None:
    import base64

    import baocao
    from tests.test_marks import png

    png(tmp_path / "bieu-do.png")
    (tmp_path / "bc.yaml").write_text(
        MINIMAL.replace("  - Nội dung.\n", "  - Nội dung.\n  - hinh: {tep: bieu-do.png}\n"),
        encoding="utf-8",
    )
    document = baocao.render(baocao.validate(baocao.load(tmp_path / "bc.yaml")))
    status, _, answer = send(server + "/import?format=json", *form(document))
    result = json.loads(answer)
    assert status == 200 and len(result["hinh"]) == 1
    ((name, data),) = result["hinh"].items()
    assert name in result["yaml"] and base64.b64decode(data).startswith(b"\x89PNG")


# -- POST /check: a Word file judged against the decree, or repaired ---------------------------


@pytest.fixture(scope="module")
def checked() -> dict[str, bytes]:
    """A report rendered by baocao, and the same with two defects the fixer repairs."""
    from tests.test_check import BROKEN, REPORT, edit, render

    good = render(REPORT)
    broken = edit(
        edit(good, BROKEN["trang: left margin 20 mm"]), BROKEN["phong_chu: a run in Arial"]
    )
    return {"good": good, "broken": broken}


def test_check_answers_what_baocao_check_json_prints(
    server: str, checked: dict[str, bytes], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from baocao.cli import make_cli

    (tmp_path / "hong.docx").write_bytes(checked["broken"])
    printed = CliRunner().invoke(make_cli(), ["check", "--json", str(tmp_path / "hong.docx")])
    expected = json.loads(printed.output)
    status, headers, body = send(server + "/check", *form(checked["broken"], filename="hong.docx"))
    assert status == 200 and headers["content-type"] == "application/json"
    answer = json.loads(body)
    expected["file"] = "hong.docx"  # the CLI names the path, the service the uploaded name
    expected["summary"] = expected["summary"].replace(str(tmp_path / "hong.docx"), "hong.docx")
    assert answer == expected
    assert [r["rule"] for r in answer["rules"] if not r["passed"]] == ["trang", "phong_chu"]
    # the file itself as the body; ?lang= as --lang, before Accept-Language
    status, _, body = send(server + "/check?lang=en", checked["broken"], DOCX)
    answer = json.loads(body)
    assert status == 200 and answer["file"] == "<request>" and not answer["passed"]
    message = answer["rules"][0]["message"]
    assert "left margin" in message and "20 mm" in message, message
    status, _, body = send(server + "/check", *form(checked["good"]), language="en")
    answer = json.loads(body)
    assert answer["passed"] and answer["template"] == "bao-cao"
    assert answer["summary"].startswith("bao-cao.docx: ") and "12" in answer["summary"]
    for key in ("type", "loai", "template"):  # checked as a công văn: the title rule fails
        status, _, body = send(server + f"/check?{key}=cong-van", *form(checked["good"]))
        answer = json.loads(body)
        assert status == 200 and answer["template"] == "cong-van", key
        assert [r["rule"] for r in answer["rules"] if not r["passed"]] == ["ten_loai"]


def test_check_fix_gives_the_repaired_docx_and_its_outcome(
    server: str, checked: dict[str, bytes]
) -> None:
    import base64

    from baocao.check import check
    from baocao.check.fix import words

    status, headers, body = send(
        server + "/check?fix=1", *form(checked["broken"], filename="Báo cáo tháng 10.docx")
    )
    assert status == 200 and headers["content-type"] == DOCX
    assert headers["content-disposition"] == (
        'attachment; filename="Bao-cao-thang-10.docx"; '
        "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20th%C3%A1ng%2010.docx"
    )
    # the margin, the font, and the closing empty paragraph made 1 pt high (the margin took room)
    assert headers["baocao-passed"] == "true" and headers["baocao-changes"] == "3"
    assert headers["baocao-rules-fixed"] == "trang,phong_chu"
    assert headers["baocao-rules-failing"] == ""
    assert check(body).passed and words(body) == words(checked["broken"])
    # Accept: application/json: the whole report, the same file in base64
    status, headers, answer = send(
        server + "/check?fix=1&lang=en", *form(checked["broken"]), accept="application/json"
    )
    report = json.loads(answer)
    assert status == 200 and headers["content-type"] == "application/json"
    # the same file: its parts equal (each answer's zip entries carry the time it was written)
    assert parts(base64.b64decode(report["docx"])) == parts(body)
    assert [f["code"] for f in report["fixed"]] == [
        "fix_trang_margin",
        "fix_phong_chu_font",
        "fix_tail_blank",
    ]
    assert report["fixed"][0]["message"] == "left margin 20 mm changed to 30 mm"
    assert report["rules_fixed"] == ["trang", "phong_chu"] and report["not_fixed"] == []
    assert not report["before"]["passed"] and report["after"]["passed"]
    assert report["file"] == report["before"]["file"] == "bao-cao.docx"


def parts(docx: bytes) -> dict[str, bytes]:
    """A package's parts by name: what it holds, without the zip's timestamps."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_check_fix_says_what_it_could_not_fix(server: str, checked: dict[str, bytes]) -> None:
    """A numbering gap is the author's to mend: the copy still fails it, and says why."""
    from tests.test_check import BROKEN, edit

    gap = edit(checked["broken"], BROKEN["danh_so: 3. after 1."])
    status, headers, _ = send(server + "/check?fix=1", gap, DOCX)
    assert status == 200 and headers["baocao-passed"] == "false"
    assert headers["baocao-rules-failing"] == "danh_so"
    assert headers["content-disposition"].startswith('attachment; filename="van-ban.docx"')
    status, _, answer = send(server + "/check?fix=1", gap, DOCX, accept="application/json")
    report = json.loads(answer)
    ((left,),) = [report["not_fixed"]]
    assert left["rule"] == "danh_so" and "3." in left["message"]


def zip_bomb() -> bytes:
    """A .docx under 1 MB whose document.xml inflates past the reader's part limit."""
    import io
    import zipfile

    from baocao.docx.read import MAX_PART

    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as stream,
    ):
        stream.write(b"<w:document><w:body><w:p><w:r><w:t>")
        for _ in range(MAX_PART // 2**20 + 2):
            stream.write(b"a" * 2**20)
        stream.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def test_check_refuses_bad_files_with_a_4xx_and_keeps_serving(
    server: str, checked: dict[str, bytes]
) -> None:
    encrypted = (Path(__file__).parent / "data" / "encrypted-008.docx").read_bytes()
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024
    cases = [
        (form(b"%PDF-1.4 not a Word file", filename="bc.docx"), 400, "check_not_zip", "bc.docx: "),
        (form(b"PK\x03\x04 truncated zip"), 400, "check_not_zip", "bao-cao.docx: "),
        (form(encrypted, filename="mat-khau.docx"), 400, "check_encrypted", "mat-khau.docx: "),
        (form(bomb), 400, "check_part_too_large", "bao-cao.docx: "),
        ((b"", DOCX), 400, "check_empty", "<yêu cầu>: "),
        (form(b"", filename=None), 400, "check_no_file", "<yêu cầu>: "),
        ((b"{}", "application/json"), 415, "check_media_type", "<yêu cầu>: "),
    ]
    for fix in ("0", "1"):
        for (body, kind), status, code, start in cases:
            for language in ("vi", "en"):
                got, _, answer = send(server + f"/check?fix={fix}", body, kind, language=language)
                error = json.loads(answer)["error"]
                assert (got, error["code"]) == (status, code), (fix, code, error)
                if start == "<yêu cầu>: " and language == "en":
                    start = "<request>: "  # the body's label, in the language asked
                assert error["message"].startswith(start) and len(error["message"]) > 30
    got, _, answer = send(server + "/check", *form(b"", filename=None), language="en")
    assert json.loads(answer)["error"]["message"] == (
        "<request>: the form sent to /check has no file; send the .docx, e.g. curl -F tep=@bao-cao.docx"
    )
    status, _, answer = send(server + "/check?type=../x", *form(checked["good"]))
    assert status == 404 and json.loads(answer)["error"]["code"] == "template_unknown"
    status, _, answer = send(server + "/check?fix=maybe", *form(checked["good"]))
    assert status == 400 and json.loads(answer)["error"]["code"] == "format"
    assert oversize_status(server, 1024 * 1024 + 10, "/check", DOCX) == 413
    assert oversize_status(server, 1024 * 1024 + 10, "/check?fix=1", DOCX) == 413
    status, _, answer = send(server + "/check?fix=1", *form(checked["broken"]))
    assert status == 200 and answer.startswith(b"PK")  # the service still serves
    assert call(server + "/health")[0] == 200


def test_a_fixed_copy_is_named_safely() -> None:
    """Whatever the client called its file, the header names a .docx, without folders,
    quotes or line breaks."""
    from baocao.service import _disposition

    for hostile in (
        '../../etc/"x"; y=z\r\nSet-Cookie: a=b.docx',
        "C:\\Users\\vt\\Tờ trình.docx",
        "\x00.docx",
        "bao-cao.pdf",
        "",
    ):
        header = _disposition(hostile)
        plain = header.split('filename="', 1)[1].split('"', 1)[0]
        assert plain.endswith(".docx") and "/" not in plain and "\\" not in plain, header
        assert all(c.isalnum() or c in "._-" for c in plain), header
        assert "\r" not in header and "\n" not in header and header.count('"') == 2, header
        assert header.isascii()
    assert _disposition("C:\\Users\\vt\\Tờ trình.docx").startswith(
        'attachment; filename="To-trinh.docx"; '
    )
    assert _disposition("bao-cao.pdf").startswith('attachment; filename="van-ban.docx"')
