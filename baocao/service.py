"""The HTTP service: other systems render and validate reports over HTTP (Starlette on uvicorn).

    baocao serve [--host 127.0.0.1] [--port 8000]

POST /render and /validate take a report as YAML or JSON (by Content-Type);
POST /import takes a .docx (in a form or as the body) and gives back its YAML
(or JSON carrying it); POST /check takes a .docx and gives back its check
against the decree (``?fix=1``: the repaired copy); GET /templates, /health and /openapi.json describe the
service. The service keeps no state between requests, so several instances can
run behind a load balancer. Limits: request size, body read time, job time and jobs at once,
all configurable; templates are chosen by name only, never by a path.

The event loop only reads requests and writes answers. Reading the report,
validating and rendering run in a few long-lived job processes, one job each
at a time, shared by all the HTTP processes of ``--workers N`` (a ``JobPool``):
whichever is idle takes the next job. A job past its time is stopped by
killing its job process with everything it started (LibreOffice too), and the
pool starts a fresh one, so a 504 frees its slot and its CPU, and no request
can freeze the others.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import multiprocessing
import os
import pickle
import shutil
import signal
import socket
import struct
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NoReturn

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from baocao import __version__, messages, schema
from baocao.bundle import DEFAULT_TEMPLATE, available, find
from baocao.cache import TemplateCache
from baocao.errors import (
    BaocaoError,
    InputError,
    Location,
    TemplateError,
    ValidationFailed,
    format_path,
)
from baocao.source import Source, load, load_json

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "text/yaml", "application/x-yaml")
"""Bodies taken as YAML. Not text/plain: a web page may POST that cross-site without asking."""
MULTIPART = "multipart/form-data"
IMPORT_TYPES = (MULTIPART, DOCX)
"""Bodies /import takes: a form with the file (``curl -F tep=@bc.docx``) or the file itself."""
YAML_ANSWER = "text/yaml; charset=utf-8"
LABEL = "<yêu cầu>"
"""The file name errors give for a request body."""
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
HOSTS_VARIABLE = "BAOCAO_CHO_PHEP_HOST"
"""Extra host names the service answers to, comma-separated (as ``--cho-phep-host``)."""
STATUS = {
    "template_unknown": 404,
    "body_timeout": 408,
    "too_large": 413,
    "unsupported_media_type": 415,
    "import_media_type": 415,
    "check_media_type": 415,
    "fix_words_changed": 422,
}
"""The status of an input error whose status is not 400."""
SERVER_SIDE = frozenset({"template_broken", "template_not_docx"})
"""Template errors that are the server's own (a built-in bundle is damaged): a 500."""

log = logging.getLogger(__name__)


def _hosts_from_environment() -> tuple[str, ...]:
    names = os.environ.get(HOSTS_VARIABLE, "").split(",")
    return tuple(name.strip() for name in names if name.strip())


@dataclass(frozen=True)
class Limits:
    """What one instance accepts.

    Body size (bytes), body read time (s), job time (s: reading, validating
    and rendering one report), jobs at once (job processes), and the host
    names it answers to besides the address it listens on and loopback.
    """

    max_bytes: int = 2 * 1024 * 1024
    timeout: float = 60.0
    concurrency: int = 4
    body_timeout: float = 20.0
    hosts: tuple[str, ...] = field(default_factory=_hosts_from_environment)


def _language(request: Request) -> str:
    accepted = request.headers.get("accept-language", "").lower()
    return "en" if accepted.startswith("en") else messages.DEFAULT_LANGUAGE


def _issue_json(issue: Any, lang: str) -> dict[str, Any]:
    return {
        "path": format_path(issue.path),
        "line": issue.location.line or None,
        "column": issue.location.column or None,
        "code": issue.code,
        "message": messages.issue_message(issue, lang),
        "warning": issue.warning,
    }


Answer = tuple[int, dict[str, Any]]
"""A JSON answer: status and body. Plain data, so it crosses from a job process."""


def _failure(code: str, lang: str, **params: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": messages.text(code, lang, **params)}}


def _server_failure(code: str, lang: str) -> dict[str, Any]:
    """A 500's body: the code, and a sentence without tool output or server paths."""
    return {"error": {"code": code, "message": messages.text("server_error", lang, what=code)}}


def _error(error: BaocaoError, lang: str) -> Answer:
    if isinstance(error, ValidationFailed):
        issues = [_issue_json(issue, lang) for issue in error.issues]
        more = {"more": error.more} if error.more else {}  # problems past the listed ones
        return 422, {"valid": False, "issues": issues, **more}
    if not isinstance(error, (InputError, TemplateError)) or error.code in SERVER_SIDE:
        # LibreOffice's output names the server's folders: the log has it, the client does not
        log.error("%s: %s", error.code, messages.describe_error(error, "en"))
        return 500, _server_failure(error.code, lang)
    body: dict[str, Any] = {"code": error.code, "message": messages.describe_error(error, lang)}
    if isinstance(error, InputError) and error.location.line:
        body.update(line=error.location.line, column=error.location.column)
    return STATUS.get(error.code, 400), {"error": body}


def _source(body: bytes, kind: str, limits: Limits) -> Source:
    """Read the body as YAML or JSON (by Content-Type), within the size limit."""
    if kind in JSON_TYPES:  # by the rules of YAML: source.load_json
        source = load_json(body, filename=LABEL, max_bytes=limits.max_bytes)
        return replace(source, reads_files=False)
    return replace(load(bytes(body), filename=LABEL, max_bytes=limits.max_bytes), reads_files=False)


async def _body(
    request: Request, limits: Limits, types: tuple[str, ...] = JSON_TYPES + YAML_TYPES
) -> tuple[bytes, str]:
    """The body and its media type: refused unless one of ``types``, too large, or too slow."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in types:
        code = "import_media_type" if types == IMPORT_TYPES else "unsupported_media_type"
        raise InputError(code, Location(LABEL), kind=kind or "?")
    size = int(request.headers.get("content-length") or 0)
    if size > limits.max_bytes:
        raise InputError("too_large", Location(LABEL), size=size, limit=limits.max_bytes)

    async def whole() -> bytes:
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > limits.max_bytes:
                raise InputError(
                    "too_large", Location(LABEL), size=len(body), limit=limits.max_bytes
                )
        return bytes(body)

    try:  # a client that sends a byte now and then would hold its connection for ever
        return await asyncio.wait_for(whole(), limits.body_timeout), kind
    except (TimeoutError, asyncio.TimeoutError) as err:  # distinct classes before Python 3.11
        raise InputError(
            "body_timeout", Location(LABEL), seconds=f"{limits.body_timeout:g}"
        ) from err


def _host_name(header: str) -> str:
    """The name of a Host header without its port: ``[::1]:8000`` gives ``::1``."""
    name = header.strip().lower()
    if name.startswith("["):
        return name[1:].split("]", 1)[0]
    return name.rsplit(":", 1)[0].rstrip(".") if name.count(":") == 1 else name.rstrip(".")


class _HostCheck:
    """Answer only requests addressed to this server (DNS rebinding).

    A web page whose name an attacker points at 127.0.0.1 reaches the
    service with its own name in Host. Accepted: loopback names, the address
    the request arrived on, and the configured names ("*" for any). A
    request without Host (HTTP/1.0, not a browser) is accepted.
    """

    def __init__(self, app: ASGIApp, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = frozenset(name.strip().lower().rstrip(".") for name in allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            header = Headers(scope=scope).get("host")
            if header is not None and not self._allows(_host_name(header), scope.get("server")):
                lang = _language(Request(scope))
                body = _failure("host_not_allowed", lang, host=_host_name(header)[:100])
                refusal = JSONResponse(body, status_code=421, headers={"connection": "close"})
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _allows(self, name: str, server: Any) -> bool:
        if "*" in self.allowed or name in LOOPBACK or name in self.allowed:
            return True
        return bool(server) and name == str(server[0]).lower()


def create_app(
    limits: Limits | None = None, *, cache: TemplateCache | None = None, jobs: str | None = None
) -> Starlette:
    """Build the ASGI application (one per process; it keeps no state between requests).

    ``cache``: where job processes keep prepared templates between runs (``baocao
    serve`` passes ``TemplateCache.default()``); without it nothing is written but
    answers. ``jobs``: the address of a ``JobPool`` shared with other HTTP
    processes; without it the application runs a pool of its own
    (``limits.concurrency`` job processes) while it is up.
    """
    limits = limits or Limits()
    pool = _Jobs(jobs or "", limits)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if jobs is not None:  # the pool of ``baocao serve --workers N``, shared
            yield
            return
        own = JobPool(limits.concurrency, cache)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, own.start)
        pool.address = own.address
        try:
            yield
        finally:
            await loop.run_in_executor(None, own.close)

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    async def templates(request: Request) -> Response:
        lang = _language(request)
        listed = [
            {
                "name": n,
                "type_name": find(n).type_name,
                "description": find(n).description.get(lang),
            }
            for n in available()
        ]
        return JSONResponse(listed)

    async def openapi(request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def job(
        request: Request,
        task: str,
        kind: str = "docx",
        types: tuple[str, ...] = JSON_TYPES + YAML_TYPES,
    ) -> Response:
        lang = _language(request)
        try:
            body, media = await _body(request, limits, types)
        except BaocaoError as error:
            status, payload = _error(error, lang)
            # a body left unread cannot be followed by another request on this connection
            return JSONResponse(payload, status_code=status, headers={"connection": "close"})
        if task == "import":  # a form's boundary is a parameter of its Content-Type
            media = request.headers.get("content-type", "")
        order = _Job(task, body, media, request.query_params.get("template"), lang, kind, limits)
        try:
            answer = await pool.run(order)
        except (TimeoutError, asyncio.TimeoutError):
            return JSONResponse(
                _failure("timeout", lang, seconds=f"{limits.timeout:g}"), status_code=504
            )
        if isinstance(answer[0], bytes):
            data, stem = answer
            name = f"{stem}.{kind}"
            return Response(
                data,
                media_type={"docx": DOCX, "yaml": YAML_ANSWER}.get(kind, "application/pdf"),
                headers={"content-disposition": f'attachment; filename="{name}"'},
            )
        return JSONResponse(answer[1], status_code=answer[0])

    async def validate(request: Request) -> Response:
        return await job(request, "validate")

    async def render(request: Request) -> Response:
        kind = request.query_params.get("format", "docx")
        if kind not in ("docx", "pdf"):
            return JSONResponse(
                {"error": {"code": "format", "message": "format=docx|pdf"}}, status_code=400
            )
        return await job(request, "render", kind)

    async def import_(request: Request) -> Response:
        kind = _import_format(request)
        if kind is None:
            return JSONResponse(
                {"error": {"code": "format", "message": "format=yaml|json"}}, status_code=400
            )
        return await job(request, "import", kind, IMPORT_TYPES)

    async def check_(request: Request) -> Response:
        return await _check_request(request, pool, limits)

    return Starlette(
        routes=[
            Route("/health", health),
            Route("/templates", templates),
            Route("/openapi.json", openapi),
            Route("/validate", validate, methods=["POST"]),
            Route("/render", render, methods=["POST"]),
            Route("/import", import_, methods=["POST"]),
            Route("/check", check_, methods=["POST"]),
        ],
        middleware=[Middleware(_HostCheck, allowed=limits.hosts)],
        lifespan=lifespan,
    )


LIMITS_VARIABLE = "BAOCAO_SERVE_LIMITS"
"""How ``baocao serve --workers N`` hands each HTTP process its limits (JSON of ``Limits``)."""
JOBS_VARIABLE = "BAOCAO_SERVE_JOBS"
"""How ``baocao serve --workers N`` tells each HTTP process where its shared ``JobPool`` is."""
PARENT_VARIABLE = "BAOCAO_SERVE_PARENT"
"""The pid of ``baocao serve --workers N``, which each of its HTTP processes follows."""


def worker_app() -> Starlette:
    """The application of one HTTP process of ``baocao serve --workers N``.

    uvicorn starts each process fresh (spawn) from this import string, so the
    limits and the address of the job pool (started by their parent) come in
    the environment. The service keeps no state, so the processes share the
    listening socket and the job pool and nothing else. A process whose parent
    is gone (killed: nobody is left to stop it) ends itself.
    """
    settings = json.loads(os.environ[LIMITS_VARIABLE])
    limits = Limits(**{**settings, "hosts": tuple(settings["hosts"])})
    parent = int(os.environ[PARENT_VARIABLE])  # not getppid(): the server may be gone already

    def follow_parent() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)  # a clean shutdown

    threading.Thread(target=follow_parent, daemon=True, name="baocao-parent").start()
    return create_app(limits, cache=TemplateCache.default(), jobs=os.environ[JOBS_VARIABLE])


# -- The job processes: long-lived, one job at a time, killed whole past the time limit ---------


@dataclass(frozen=True)
class _Job:
    """One request's work, as plain data for a job process."""

    task: str  # "validate", "render", "import", "check" or "fix"
    body: bytes
    media: str  # for "import", the whole Content-Type (a form's boundary)
    template: str | None
    lang: str
    kind: str  # "docx" or "pdf"; for "import", "yaml" or "json"
    limits: Limits


Result = tuple[bytes, str] | Answer
"""A job process's answer: the file and its name without suffix, or a JSON answer."""


def _do(job: _Job, cache: TemplateCache | None = None) -> Result:
    """Read, validate and (for /render) render one request, in a job process."""
    from baocao.validation import validate

    try:
        if job.task == "import":
            return _import(job)
        if job.task in ("check", "fix"):
            return _check(job)
        source = _source(job.body, job.media, job.limits)
        validated = validate(source, find(job.template) if job.template else None)
        if job.task == "validate":
            return 200, {
                "valid": True,
                "issues": [_issue_json(w, job.lang) for w in validated.warnings],
            }
        return _make(validated, job.kind, cache)
    except BaocaoError as error:
        return _error(error, job.lang)
    except Exception:  # a bug: the log has the traceback, the client a clean 500
        log.exception("internal error")
        return 500, _server_failure("internal", job.lang)


def _import_format(request: Request) -> str | None:
    """The answer's form, "yaml" or "json": ``?format=`` if given (None if it is
    neither), else the first of JSON and YAML that Accept names, else YAML."""
    asked = request.query_params.get("format")
    if asked is not None:
        return asked if asked in ("yaml", "json") else None
    for entry in request.headers.get("accept", "").split(","):
        kind = entry.split(";")[0].strip().lower()
        if kind in JSON_TYPES:
            return "json"
        if kind in YAML_TYPES:
            return "yaml"
    return "yaml"


def _upload(body: bytes, content_type: str) -> bytes:
    """The .docx of an /import body: the body itself, or the form's first file.

    A form is read by the standard library's MIME parser (a form is a MIME
    multipart message), whole: the body is already within the size limit.
    """
    return _upload_named(body, content_type)[0]


def _upload_named(body: bytes, content_type: str) -> tuple[bytes, str | None]:
    """``_upload``, and the file name the form gave it (None for a bare body)."""
    if content_type.split(";")[0].strip().lower() != MULTIPART:
        return body, None
    from email.parser import BytesParser
    from email.policy import HTTP

    head = b"Content-Type: " + content_type.encode("latin-1", "replace") + b"\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    parts = [part for part in message.walk() if not part.is_multipart()]
    files = [part for part in parts if part.get_filename()] or parts[:1]
    if message.is_multipart() and files:
        data = files[0].get_payload(decode=True)
        if isinstance(data, bytes) and data:
            return data, files[0].get_filename()
    raise InputError("import_no_file", Location(LABEL))


def _import(job: _Job) -> Result:
    """/import: the YAML of a posted .docx, as text or as JSON with the notes and warnings.

    JSON: ``yaml``; ``notes``, what could not be mapped, each with the line of
    its ``# không nhận ra`` comment in the YAML (None when it has none);
    ``warnings``, the import's own (``Imported.warnings`` where reading converted
    or left something out) and the imported report's, as /validate gives them;
    ``hinh``, the pictures the import extracted (``Imported.pictures``, name →
    base64), only when it has some. Both fields are read when ``Imported`` has them.
    """
    from baocao.importer import import_docx

    imported = import_docx(_upload(job.body, job.media), template=job.template)
    stem = imported.validated.template.kind
    if job.kind == "yaml":
        return imported.yaml_text.encode("utf-8"), stem
    answer: dict[str, Any] = {
        "yaml": imported.yaml_text,
        "notes": _notes(imported.yaml_text, imported.unmapped),
        "warnings": [
            _issue_json(w, job.lang)
            for w in (*getattr(imported, "warnings", ()), *imported.validated.warnings)
        ],
    }
    pictures = getattr(imported, "pictures", None) or {}
    if pictures:
        answer["hinh"] = {
            str(name): base64.b64encode(data).decode("ascii") for name, data in pictures.items()
        }
    return 200, answer


def _notes(text: str, unmapped: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each unmapped entry and the YAML line of its comment (each comment used once)."""
    comments = {
        number: line for number, line in enumerate(text.splitlines(), 1) if line.lstrip()[:1] == "#"
    }
    notes = []
    for entry in unmapped:
        wanted = " ".join(entry.split())  # as the YAML's comments write it
        line = next((n for n, comment in comments.items() if wanted in comment), None)
        if line is not None:
            del comments[line]
        notes.append({"text": entry, "line": line})
    return notes


# -- POST /check: a Word file judged against the decree, or repaired (?fix=1) -------------------

FIX_VALUES = {"1": True, "true": True, "0": False, "false": False, "": False}
"""What ``?fix=`` takes."""
FIXED_NAME = "van-ban.docx"
"""The repaired copy's name when the upload gave none (a bare body)."""


def _check_language(request: Request) -> str:
    """``?lang=vi|en`` (as ``baocao --lang``), else Accept-Language."""
    asked = request.query_params.get("lang", "").lower()
    return asked if asked in messages.LANGUAGES else _language(request)


def _wants_json(request: Request) -> bool:
    """Whether Accept names JSON before the .docx (``*/*``, curl's default, gives the file)."""
    for entry in request.headers.get("accept", "").split(","):
        kind = entry.split(";")[0].strip().lower()
        if kind in JSON_TYPES:
            return True
        if kind == DOCX:
            return False
    return False


def _disposition(name: str) -> str:
    """An attachment header that names ``name`` safely (RFC 6266).

    The name is the upload's own, without folders; ``filename`` carries an
    ASCII form (accents dropped, anything else a "-"), ``filename*`` the
    name itself percent-encoded, so no quote, semicolon or line break of a
    client's name reaches the header.
    """
    import re
    import unicodedata
    from urllib.parse import quote

    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C")[:150]
    if not base.lower().endswith(".docx") or len(base) <= len(".docx"):
        base = FIXED_NAME
    plain = unicodedata.normalize("NFKD", base.replace("đ", "d").replace("Đ", "D"))
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain.encode("ascii", "ignore").decode("ascii"))
    plain = plain.strip("-.") or FIXED_NAME
    if not plain.lower().endswith(".docx"):
        plain = FIXED_NAME
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(base, safe='')}"


async def _check_request(request: Request, pool: _Jobs, limits: Limits) -> Response:
    """POST /check: the body is read here, the check or repair runs in a job process.

    The query: ``type`` (or ``loai``, ``template``) the document type as
    ``baocao check --type``; ``lang`` as ``--lang``; ``fix=1`` for the repaired
    copy: the .docx itself with the outcome in ``Baocao-*`` headers, or, when
    Accept asks for JSON first, the whole fix report with the file in base64.
    """
    lang = _check_language(request)
    fixing = FIX_VALUES.get(request.query_params.get("fix", "").lower())
    if fixing is None:
        return JSONResponse({"error": {"code": "format", "message": "fix=0|1"}}, status_code=400)
    try:
        body, _ = await _body(request, limits, IMPORT_TYPES)
    except BaocaoError as error:
        if error.code == "import_media_type":  # the same refusal, naming /check
            error = InputError("check_media_type", Location(LABEL), **error.params)
        status, payload = _error(error, lang)
        return JSONResponse(payload, status_code=status, headers={"connection": "close"})
    query = request.query_params
    template = query.get("type") or query.get("loai") or query.get("template")
    media = request.headers.get("content-type", "")
    order = _Job("fix" if fixing else "check", body, media, template, lang, "json", limits)
    try:
        answer = await pool.run(order)
    except (TimeoutError, asyncio.TimeoutError):
        return JSONResponse(
            _failure("timeout", lang, seconds=f"{limits.timeout:g}"), status_code=504
        )
    if isinstance(answer[0], bytes):  # never: a /check answer is JSON
        return JSONResponse(_server_failure("internal", lang), status_code=500)
    status, payload = answer
    if not fixing or status != 200:
        return JSONResponse(payload, status_code=status)
    data: bytes = payload.pop("data")
    name: str = payload.pop("name")
    if _wants_json(request):
        payload["docx"] = base64.b64encode(data).decode("ascii")
        return JSONResponse(payload)
    return Response(
        data,
        media_type=DOCX,
        headers={
            "content-disposition": _disposition(name),
            "baocao-passed": "true" if payload["after"]["passed"] else "false",
            "baocao-changes": str(len(payload["fixed"])),
            "baocao-rules-fixed": ",".join(payload["rules_fixed"]),
            "baocao-rules-failing": ",".join(r["rule"] for r in payload["not_fixed"]),
        },
    )


def _check(job: _Job) -> Answer:
    """/check in a job process: ``Report.as_dict`` (what ``baocao check --json`` prints), or for
    ?fix=1 ``FixReport.as_dict`` (``check --fix --json``) with the copy's bytes and name."""
    from baocao.check import check
    from baocao.check.fix import fix

    try:
        data, uploaded = _upload_named(job.body, job.media)
    except InputError as error:  # the same refusal, naming /check
        raise InputError("check_no_file", error.location) from error
    label = uploaded or messages.text("label_request", job.lang)  # LABEL, in their language
    if not data:
        raise InputError("check_empty", Location(label))
    try:
        if job.task == "check":
            report = check(data, template=job.template)
            return 200, replace(report, file=label).as_dict(job.lang)
        result = fix(data, template=job.template, name=label)
    except InputError as error:  # named as the client named the file, not "<docx>"
        raise InputError(error.code, Location(label), **error.params) from error
    result = replace(
        result, before=replace(result.before, file=label), after=replace(result.after, file=label)
    )
    return 200, {**result.as_dict(job.lang), "name": uploaded or FIXED_NAME, "data": result.data}


def _make(validated: Any, kind: str, cache: TemplateCache | None = None) -> tuple[bytes, str]:
    """Render; a PDF goes through LibreOffice.

    Returns the file and its name without suffix: the document type ("ke-hoach").
    """
    from baocao.convert import to_pdf
    from baocao.rendering import render

    data, stem = render(validated, cache=cache), validated.template.kind
    if kind == "docx":
        return data, stem
    with tempfile.TemporaryDirectory(prefix="baocao-serve-") as scratch:
        document, pdf = Path(scratch) / "bao-cao.docx", Path(scratch) / "bao-cao.pdf"
        document.write_bytes(data)
        if not _resident_pdf(document, pdf):
            to_pdf([document], [pdf], overwrite=True)
        return pdf.read_bytes(), stem


def _resident_pdf(document: Path, pdf: Path) -> bool:
    """Convert through this job process's resident LibreOffice if ready; tell whether it did.

    The job process's first PDF starts it in the background (a few seconds) and is
    itself converted one-shot, as are all when none can be had; a resident
    LibreOffice that died or hung is started again. It is the job process's
    child: killed with it when a job runs past its time.
    """
    from baocao.resident import Unavailable, give_up, shared

    converter = shared()
    if converter is None:
        return False
    try:
        converter.convert(document, pdf)
    except Unavailable as reason:  # died and cannot start again: one-shot from now on
        give_up(str(reason))
        return False
    return True


WARM_UP = b"""\
co_quan_ban_hanh: CO QUAN
so_ky_hieu: {so: 1, ky_hieu: CQ}
dia_danh: Ha Noi
ngay_ban_hanh: 2021-01-01
trich_yeu: Khoi dong
noi_dung: [Noi dung.]
noi_nhan: [Luu VT]
nguoi_ky: {chuc_vu: GIAM DOC}
"""
"""A report each job process renders once before its first job, so that job pays no preparation."""


def _work(
    listener: socket.socket,
    ready: Connection,
    lifeline: Connection,
    folders: tuple[str, str],
    cache: TemplateCache | None = None,
) -> None:
    """A job process's life: warm up, then take the next job whenever idle, until the server goes.

    It accepts on the pool's one Unix socket only between jobs, so whichever job
    process is idle takes the next job, whichever HTTP process it comes from.
    On each connection it first sends its pid (the HTTP process kills it by that
    pid past the time limit), then reads the job and answers it.
    """
    if hasattr(os, "setpgid"):
        os.setpgid(0, 0)  # its own group: killed whole with the LibreOffice it starts
    scratch, _ = folders  # its own, and the pool's (the socket's)
    tempfile.tempdir = scratch  # what a killed job leaves, the server removes
    threading.Thread(target=_die_with_server, args=(lifeline, folders), daemon=True).start()
    _do(_Job("render", WARM_UP, YAML_TYPES[0], None, "vi", "docx", Limits(hosts=())), cache)
    ready.send("ready")
    ready.close()
    while True:
        connection, _ = listener.accept()
        with connection:
            try:
                connection.sendall(SIZE.pack(os.getpid()))
                job = pickle.loads(_receive(connection))
            except (OSError, EOFError):  # the request was given up while it waited
                continue
            answer = pickle.dumps(_do(job, cache), pickle.HIGHEST_PROTOCOL)
            with suppress(OSError):  # nobody is waiting any more
                connection.sendall(SIZE.pack(len(answer)) + answer)


SIZE = struct.Struct("!Q")
"""What goes first on a job connection: the job process's pid, then each message's length."""


def _receive(connection: socket.socket) -> bytes:
    """One message: its length, then that many bytes (EOFError if the other side is gone)."""
    head = _exactly(connection, SIZE.size)
    return _exactly(connection, SIZE.unpack(head)[0])


def _exactly(connection: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = connection.recv(min(size - len(data), 1 << 20))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _die_with_server(lifeline: Connection, folders: tuple[str, ...]) -> NoReturn:
    """Wait on a pipe only the server writes to: when it ends, the server is gone.

    Then stop what this job process started, remove its scratch folder and the
    pool's (a server killed by SIGKILL removes nothing) and end, even in the
    middle of a job: nobody is left to answer. Not PR_SET_PDEATHSIG: its
    SIGKILL would leave the LibreOffice this process started running.
    """
    with suppress(EOFError, OSError):
        lifeline.recv()
    _kill_tree(os.getpid(), itself=False)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(1)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc; elsewhere none: the group kill must do)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        with suppress(OSError, ValueError, IndexError):
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _kill_tree(pid: int, itself: bool = True) -> None:
    """SIGKILL ``pid`` (unless not ``itself``) and every process below it, group by group."""
    if not hasattr(os, "killpg"):
        return  # Windows: the caller's Process.kill() is what there is
    doomed = [pid, *_descendants(pid)] if itself else _descendants(pid)
    for target in doomed:
        with suppress(OSError):
            os.kill(target, signal.SIGSTOP)  # no new child escapes between the steps
    for target in doomed:
        with suppress(OSError):
            if os.getpgid(target) == target:  # a group leader: its whole group
                os.killpg(target, signal.SIGKILL)
        with suppress(OSError):
            os.kill(target, signal.SIGKILL)


class _JobProcess:
    """One job process, its lifeline and its scratch folder."""

    def __init__(
        self, context: Any, listener: socket.socket, pool: str, cache: TemplateCache | None = None
    ) -> None:
        self.scratch = tempfile.mkdtemp(prefix="baocao-worker-")
        self.ready, their_ready = context.Pipe(duplex=False)
        their_lifeline, self.lifeline = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_work,
            args=(listener, their_ready, their_lifeline, (self.scratch, pool), cache),
            daemon=True,
        )
        self.started = time.monotonic()
        self.process.start()
        their_ready.close()
        their_lifeline.close()

    def wait_ready(self) -> None:
        if self.ready.recv() != "ready":
            raise EOFError

    def kill(self) -> None:
        """Kill the process and everything it started, even in groups of their own."""
        if self.process.pid is not None:
            _kill_tree(self.process.pid)
        self.process.kill()
        self.process.join(5)
        for pipe in (self.ready, self.lifeline):
            pipe.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


class JobPool:
    """``count`` job processes taking jobs from one Unix socket; one thread restarts the dead.

    ``baocao serve --workers N`` starts it in the parent of the HTTP processes
    (before uvicorn), so all of them share it: jobs, not connections, are
    balanced across cores, though a kept-alive connection stays with one HTTP
    process. With one HTTP process it runs inside it. The socket lies in a
    folder only this user can enter, removed by ``close``. A job process killed
    past the time limit (by the HTTP process whose job it was) or dead of
    itself is replaced; the others take jobs meanwhile.
    """

    def __init__(self, count: int, cache: TemplateCache | None = None) -> None:
        self.count = count
        self.cache = cache
        self.folder = tempfile.mkdtemp(prefix="baocao-jobs-")  # mode 0700
        self.address = os.path.join(self.folder, "jobs")
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.address)
        self.listener.listen(socket.SOMAXCONN)  # requests wait here for an idle job process
        methods = multiprocessing.get_all_start_methods()
        self.context = multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else "spawn"
        )
        if "forkserver" in methods:  # forked from a process that has imported them once
            self.context.set_forkserver_preload(
                [
                    "baocao.service",
                    "baocao.validation",
                    "baocao.rendering",
                    "baocao.convert",
                    "baocao.importer",
                    "baocao.check",
                ]
            )
        self.running: dict[int, _JobProcess] = {}  # by sentinel
        self.wake, self.woken = socket.socketpair()
        self.closing = False
        self.supervisor = threading.Thread(target=self._supervise, daemon=True, name="baocao-jobs")

    def start(self) -> None:
        """Start every job process and wait until each is warm: the server listens only then."""
        started = [
            _JobProcess(self.context, self.listener, self.folder, self.cache)
            for _ in range(self.count)
        ]
        for job in started:
            self.running[job.process.sentinel] = job
        try:
            for job in started:
                job.wait_ready()
        except (EOFError, OSError) as error:
            self.close()
            raise RuntimeError("a job process failed to start") from error
        self.supervisor.start()

    def _supervise(self) -> None:
        """Replace each job process that ends (killed past its time, crashed) until closing."""
        from multiprocessing.connection import wait

        while True:
            ended = wait([*self.running, self.woken])
            if self.closing:
                return
            for sentinel in ended:
                job = self.running.pop(sentinel, None) if isinstance(sentinel, int) else None
                if job is None:
                    continue
                lived = time.monotonic() - job.started
                job.kill()  # collect it, and anything it left
                log.warning("job process %s ended; starting another", job.process.pid)
                if lived < 1:  # one that cannot start would otherwise be retried in a loop
                    time.sleep(1)
                self._replace()

    def _replace(self) -> None:
        """Start a job process in place of one that ended, trying again until one starts."""
        while not self.closing:
            try:
                replacement = _JobProcess(self.context, self.listener, self.folder, self.cache)
            except OSError:  # out of processes or memory, for now
                log.exception("a job process failed to start; trying again")
                time.sleep(1)
                continue
            self.running[replacement.process.sentinel] = replacement
            return

    def close(self) -> None:
        """Stop every job process and remove the socket's folder (the server is stopping)."""
        self.closing = True
        with suppress(OSError):
            self.wake.send(b"!")
        if self.supervisor.is_alive():
            self.supervisor.join(10)
        for job in list(self.running.values()):
            job.kill()
        self.running.clear()
        for end in (self.listener, self.wake, self.woken):
            end.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class _Jobs:
    """An HTTP process's way to the job pool: one Unix connection per job.

    The event loop never waits on a job process: it reads and writes the
    connection through the loop's own socket calls (measured lighter than
    asyncio's streams, which build a transport and a protocol per connection),
    and the /proc walk of a kill runs in a thread.
    """

    def __init__(self, address: str, limits: Limits) -> None:
        self.address = address
        self.limits = limits

    async def run(self, job: _Job) -> Result:
        """Do ``job`` in the next idle job process; TimeoutError past ``limits.timeout``.

        The time counts from when a job process takes the job, not while it waits
        for one. A job process past its time, or whose request was given up, is
        killed (the pool replaces it); one that dies answers a 500.
        """
        loop = asyncio.get_running_loop()
        data = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.setblocking(False)
            try:
                await loop.sock_connect(connection, self.address)
                # sent at once: it waits in the connection for whichever job process takes it
                await loop.sock_sendall(connection, SIZE.pack(len(data)) + data)
                pid = SIZE.unpack(await _read(connection, SIZE.size))[0]  # an idle one took it
            except (EOFError, ConnectionError):  # died before it took the job
                log.error("a job process died during a job")
                return 500, _server_failure("internal", job.lang)
            try:
                return await asyncio.wait_for(self._answer(connection), self.limits.timeout)
            except (EOFError, ConnectionError):  # the OOM killer, a crash: the pool replaces it
                log.error("a job process died during a job")  # (its pid may be another's now)
                return 500, _server_failure("internal", job.lang)
            except BaseException:  # past its time (TimeoutError), or the request given up
                await loop.run_in_executor(None, _kill_tree, pid)
                raise

    @staticmethod
    async def _answer(connection: socket.socket) -> Result:
        size = SIZE.unpack(await _read(connection, SIZE.size))[0]
        answer: Result = pickle.loads(await _read(connection, size))
        return answer


async def _read(connection: socket.socket, size: int) -> bytearray:
    """Exactly ``size`` bytes from a non-blocking socket (EOFError if the other side is gone)."""
    loop = asyncio.get_running_loop()
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        count = await loop.sock_recv_into(connection, view[got:])
        if not count:
            raise EOFError
        got += count
    return data


# -- OpenAPI: each document type's schema, derived from its bundle's schema tree ----------------


def _component(name: str) -> str:
    """A type's component name: ``bao-cao`` → ``BaoCao``."""
    return "".join(part.capitalize() for part in name.split("-"))


def report_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schema components for every document type and the definitions they use.

    Types whose definitions are the báo cáo's (all of today's) share one
    component per definition (``khoi``, ``bang`` …); a type with definitions
    of its own gets its own, named ``CongVan.khoi``.
    """
    shared = find(DEFAULT_TEMPLATE).tree.cerberus()[1]
    components: dict[str, dict[str, Any]] = {}
    for name in available():
        tree = find(name).tree
        prefix = "" if tree.cerberus()[1] == shared else f"{_component(name)}."

        def ref(fields: schema.Fields, prefix: str = prefix) -> str:
            return f"#/components/schemas/{prefix}{fields.name}"

        for key, definition in tree.definitions.items():
            components[prefix + key] = schema.json_definition(definition, ref)
        components[_component(name)] = {
            "type": "object",
            "description": find(name).description["en"],
            **schema.json_object(tree.root, ref),
        }
    return components


def openapi_document() -> dict[str, Any]:
    """OpenAPI 3.1: the endpoints, and every document type as JSON Schema from its schema.yaml."""
    components = report_schemas()
    report = {
        "anyOf": [{"$ref": f"#/components/schemas/{_component(n)}"} for n in available()],
        "description": (
            "A report of one document type: the `template` query parameter chooses it, "
            "else the report's loai_van_ban, else bao-cao."
        ),
    }
    body = {
        "required": True,
        "content": {kind: {"schema": report} for kind in JSON_TYPES + YAML_TYPES},
    }
    template = {
        "name": "template",
        "in": "query",
        "description": "Document type; defaults to the report's loai_van_ban, else bao-cao.",
        "schema": {"enum": available()},
    }
    problems = {"description": "invalid report: every problem with its path, line and column"}
    error = {"$ref": "#/components/schemas/Error"}
    refusals = {
        status: {"description": text, "content": {"application/json": {"schema": error}}}
        for status, text in (
            ("400", "unreadable body"),
            ("404", "unknown template"),
            ("408", "body not fully sent within the read limit (body_timeout)"),
            ("413", "body too large (too_large), answered from the headers"),
            ("415", "body neither JSON nor YAML (unsupported_media_type)"),
            ("421", "Host names another server (host_not_allowed)"),
            ("500", "server-side failure, e.g. pdf_failed; the details are in the server's log"),
            ("504", "the job ran past the time limit and was stopped (timeout)"),
        )
    }
    components["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "line": {"type": "integer"},
                    "column": {"type": "integer"},
                },
            }
        },
    }
    components["Imported"] = {
        "type": "object",
        "required": ["yaml", "notes", "warnings"],
        "properties": {
            "yaml": {"type": "string", "description": "the report's YAML"},
            "notes": {
                "type": "array",
                "description": "what could not be mapped, and the line of its comment",
                "items": {
                    "type": "object",
                    "properties": {
                        "text": {"type": "string"},
                        "line": {"type": ["integer", "null"]},
                    },
                },
            },
            "warnings": {"type": "array", "items": {"type": "object"}},
            "hinh": {
                "type": "object",
                "description": "pictures taken out of the document, name → base64; "
                "present only when there are some",
                "additionalProperties": {"type": "string", "contentEncoding": "base64"},
            },
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "baocao",
            "version": __version__,
            "description": "Báo cáo hành chính theo Nghị định 30/2020/NĐ-CP: .docx hoặc .pdf từ YAML/JSON.",
        },
        "paths": {
            "/render": {
                "post": {
                    "summary": "Render a report to .docx or .pdf",
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "schema": {"enum": ["docx", "pdf"], "default": "docx"},
                        },
                        template,
                    ],
                    "requestBody": body,
                    "responses": {
                        "200": {
                            "description": "the document",
                            "content": {DOCX: {}, "application/pdf": {}},
                        },
                        **refusals,
                        "422": problems,
                    },
                }
            },
            "/validate": {
                "post": {
                    "summary": "Check a report",
                    "parameters": [template],
                    "requestBody": body,
                    "responses": {"200": {"description": "valid"}, **refusals, "422": problems},
                }
            },
            "/import": {
                "post": {
                    "summary": "Import a Word .docx: the YAML that renders it again",
                    "parameters": [
                        {
                            "name": "format",
                            "in": "query",
                            "description": "yaml (default) or json; without it, Accept chooses",
                            "schema": {"enum": ["yaml", "json"], "default": "yaml"},
                        },
                        {**template, "description": "Type to read the document as; else found."},
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            MULTIPART: {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "tep": {"type": "string", "contentMediaType": DOCX}
                                    },
                                }
                            },
                            DOCX: {"schema": {"type": "string", "contentMediaType": DOCX}},
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "the YAML, or JSON carrying it",
                            "content": {
                                "text/yaml": {},
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Imported"}
                                },
                            },
                        },
                        **{
                            **refusals,
                            "400": {
                                **refusals["400"],
                                "description": "not a readable .docx (check_not_zip, "
                                "check_old_word…), or a form without a file",
                            },
                            "415": {
                                **refusals["415"],
                                "description": "body neither a form nor a .docx "
                                "(import_media_type)",
                            },
                        },
                        "422": problems,
                    },
                }
            },
            "/check": _check_path(refusals, components),
            "/templates": {
                "get": {"summary": "Document types", "responses": {"200": {"description": "list"}}}
            },
            "/health": {
                "get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}
            },
        },
        "components": {"schemas": components},
    }


def _check_path(refusals: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """/check in the OpenAPI document; adds the shapes of its answers to ``components``."""
    rule = {
        "type": "object",
        "properties": {
            "rule": {"type": "string", "description": "trang, phong_chu … so_trang"},
            "passed": {"type": "boolean"},
            "seen": {"type": "string", "description": "what was seen, in English"},
            "where": {"type": ["string", "null"]},
            "paragraph": {"type": ["integer", "null"]},
            "code": {"type": "string"},
            "message": {"type": "string"},
        },
    }
    components["CheckReport"] = {
        "type": "object",
        "description": "What `baocao check --json` prints: one result per rule, in order",
        "required": ["file", "template", "passed", "rules", "summary"],
        "properties": {
            "file": {"type": "string"},
            "template": {"type": ["string", "null"], "description": "the type checked for"},
            "passed": {"type": "boolean"},
            "rules": {"type": "array", "items": rule},
            "summary": {"type": "string"},
        },
    }
    change = {"type": "object", "properties": {"rule": {}, "code": {}, "message": {}}}
    components["FixReport"] = {
        "type": "object",
        "description": "What `baocao check --fix --json` prints, with the copy in base64",
        "properties": {
            "file": {"type": "string"},
            "fixed": {"type": "array", "items": change, "description": "each change made"},
            "rules_fixed": {"type": "array", "items": {"type": "string"}},
            "not_fixed": {
                "type": "array",
                "items": rule,
                "description": "the rules the copy still fails, with the reason",
            },
            "notes": {"type": "array", "items": change, "description": "what was left, and why"},
            "before": {"$ref": "#/components/schemas/CheckReport"},
            "after": {"$ref": "#/components/schemas/CheckReport"},
            "summary": {"type": "string"},
            "docx": {"type": "string", "contentEncoding": "base64", "contentMediaType": DOCX},
        },
    }
    upload = {"type": "string", "contentMediaType": DOCX}
    header = {"schema": {"type": "string"}}
    return {
        "post": {
            "summary": "Check a Word .docx against Nghị định 30; with fix=1, repair its layout",
            "parameters": [
                {
                    "name": "fix",
                    "in": "query",
                    "description": "1: answer with the repaired copy (as `baocao check --fix`)",
                    "schema": {"enum": ["0", "1"], "default": "0"},
                },
                {
                    "name": "type",
                    "in": "query",
                    "description": "Document type to check for (also `loai`, `template`); "
                    "else found in the document",
                    "schema": {"type": "string"},
                },
                {"name": "lang", "in": "query", "schema": {"enum": ["vi", "en"]}},
            ],
            "requestBody": {
                "required": True,
                "content": {
                    MULTIPART: {"schema": {"type": "object", "properties": {"tep": upload}}},
                    DOCX: {"schema": upload},
                },
            },
            "responses": {
                "200": {
                    "description": "the findings (passed false when a rule fails); with fix=1 "
                    "the repaired .docx, its outcome in the Baocao-* headers, or the fix "
                    "report with the file in base64 when Accept asks for JSON",
                    "headers": {
                        "Baocao-Passed": header,
                        "Baocao-Changes": header,
                        "Baocao-Rules-Fixed": header,
                        "Baocao-Rules-Failing": header,
                    },
                    "content": {
                        "application/json": {
                            "schema": {
                                "anyOf": [
                                    {"$ref": "#/components/schemas/CheckReport"},
                                    {"$ref": "#/components/schemas/FixReport"},
                                ]
                            }
                        },
                        DOCX: {},
                    },
                },
                **refusals,
                "400": {
                    **refusals["400"],
                    "description": "not a readable .docx: check_not_zip, check_encrypted, "
                    "check_old_word, check_part_too_large (a zip bomb), check_empty, "
                    "check_no_file…",
                },
                "415": {
                    **refusals["415"],
                    "description": "body neither a form nor a .docx (check_media_type)",
                },
                "422": {
                    "description": "the repair would have changed the author's words "
                    "(fix_words_changed): nothing is sent back",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                },
            },
        }
    }
