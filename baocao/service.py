"""The HTTP service: other systems render and validate reports over HTTP (Starlette on uvicorn).

    baocao serve [--host 127.0.0.1] [--port 8000]

POST /render and /validate take a report as YAML or JSON (by Content-Type);
GET /templates, /health and /openapi.json describe the service. The service
keeps no state between requests, so several instances can run behind a load
balancer. Limits: request size, render time and concurrent renders, all
configurable; templates are chosen by name only, never by a path.
"""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from baocao import __version__, messages
from baocao.bundle import DEFAULT_TEMPLATE, Template, available, find
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
LABEL = "<yêu cầu>"
"""The file name errors give for a request body."""


@dataclass(frozen=True)
class Limits:
    """What one instance accepts: body size (bytes), render time (s), renders at once."""

    max_bytes: int = 2 * 1024 * 1024
    timeout: float = 60.0
    concurrency: int = 4


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


def _error(error: BaocaoError, lang: str) -> JSONResponse:
    if isinstance(error, ValidationFailed):
        issues = [_issue_json(issue, lang) for issue in error.issues]
        more = {"more": error.more} if error.more else {}  # problems past the listed ones
        return JSONResponse({"valid": False, "issues": issues, **more}, status_code=422)
    status = 404 if error.code == "template_unknown" else 413 if error.code == "too_large" else 400
    if not isinstance(error, (InputError, TemplateError)):
        status = 500
    body: dict[str, Any] = {"code": error.code, "message": messages.describe_error(error, lang)}
    if isinstance(error, InputError) and error.location.line:
        body.update(line=error.location.line, column=error.location.column)
    return JSONResponse({"error": body}, status_code=status)


async def _source(request: Request, limits: Limits) -> Source:
    """Read the body as YAML or JSON (by Content-Type), within the size limit."""
    size = int(request.headers.get("content-length") or 0)
    if size > limits.max_bytes:
        raise InputError("too_large", Location(LABEL), size=size, limit=limits.max_bytes)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limits.max_bytes:
            raise InputError("too_large", Location(LABEL), size=len(body), limit=limits.max_bytes)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in JSON_TYPES:  # by the rules of YAML: source.load_json
        source = load_json(bytes(body), filename=LABEL, max_bytes=limits.max_bytes)
        return replace(source, reads_files=False)
    return replace(load(bytes(body), filename=LABEL, max_bytes=limits.max_bytes), reads_files=False)


def create_app(limits: Limits | None = None) -> Starlette:
    """Build the ASGI application (one per process; it keeps no state between requests)."""
    limits = limits or Limits()
    gate = asyncio.Semaphore(limits.concurrency)

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

    async def validate(request: Request) -> Response:
        from baocao.validation import validate as check

        lang = _language(request)
        try:
            source = await _source(request, limits)
            validated = check(source, _chosen(request))
        except BaocaoError as error:
            return _error(error, lang)
        return JSONResponse(
            {"valid": True, "issues": [_issue_json(w, lang) for w in validated.warnings]}
        )

    async def render(request: Request) -> Response:
        lang = _language(request)
        kind = request.query_params.get("format", "docx")
        if kind not in ("docx", "pdf"):
            return JSONResponse(
                {"error": {"code": "format", "message": "format=docx|pdf"}}, status_code=400
            )
        try:
            source = await _source(request, limits)
            template = _chosen(request)
            async with gate:
                data, stem = await asyncio.wait_for(
                    asyncio.to_thread(_make, source, template, kind), limits.timeout
                )
        except BaocaoError as error:
            return _error(error, lang)
        except (TimeoutError, asyncio.TimeoutError):  # distinct classes before Python 3.11
            return JSONResponse(
                {"error": {"code": "timeout", "message": f"> {limits.timeout} s"}}, status_code=504
            )
        name = f"{stem}.{kind}"
        media = DOCX if kind == "docx" else "application/pdf"
        return Response(
            data,
            media_type=media,
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )

    return Starlette(
        routes=[
            Route("/health", health),
            Route("/templates", templates),
            Route("/openapi.json", openapi),
            Route("/validate", validate, methods=["POST"]),
            Route("/render", render, methods=["POST"]),
        ]
    )


def _chosen(request: Request) -> Template | None:
    """The template the query names, or None: the report's loai_van_ban then chooses."""
    name = request.query_params.get("template")
    return find(name) if name else None


def _make(source: Source, template: Any, kind: str) -> tuple[bytes, str]:
    """Validate and render in a worker thread; a PDF goes through LibreOffice.

    Returns the file and its name without suffix: the document type ("ke-hoach").
    """
    from baocao.convert import to_pdf
    from baocao.rendering import render
    from baocao.validation import validate

    validated = validate(source, template)
    data, stem = render(validated), validated.template.kind
    if kind == "docx":
        return data, stem
    with tempfile.TemporaryDirectory(prefix="baocao-serve-") as scratch:
        document, pdf = Path(scratch) / "bao-cao.docx", Path(scratch) / "bao-cao.pdf"
        document.write_bytes(data)
        to_pdf([document], [pdf], overwrite=True)
        return pdf.read_bytes(), stem


# -- OpenAPI: the request body's schema comes from the template's Cerberus schema ------------

_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "list": {"type": "array"},
    "dict": {"type": "object"},
}


def json_schema(rules: dict[str, Any]) -> dict[str, Any]:
    """Translate one field's Cerberus rules into JSON Schema (for the OpenAPI document)."""
    kinds = rules.get("type", [])
    kinds = kinds if isinstance(kinds, list) else [kinds]
    variants: list[dict[str, Any]] = []
    for kind in kinds or ["string"]:
        out: dict[str, Any] = dict(_TYPES.get(kind, {}))
        schema = rules.get("schema")
        if kind == "list" and isinstance(schema, dict):
            out["items"] = json_schema(schema)
        if kind == "dict" and schema is not None:
            out.update(_object(schema))
        for rule, key in (
            ("allowed", "enum"),
            ("min", "minimum"),
            ("max", "maximum"),
            ("maxlength", "maxItems"),
        ):
            if rule in rules and (rule != "maxlength" or kind == "list"):
                out[key] = rules[rule]
        variants.append(out)
    if rules.get("nullable"):
        variants.append({"type": "null"})
    return variants[0] if len(variants) == 1 else {"anyOf": variants}


def _object(schema: Any) -> dict[str, Any]:
    if isinstance(schema, str):
        return {"$ref": f"#/components/schemas/{schema}"}
    return {
        "properties": {key: json_schema(rules) for key, rules in schema.items()},
        "required": sorted(k for k, r in schema.items() if r.get("required")),
        "additionalProperties": False,
    }


def openapi_document() -> dict[str, Any]:
    """OpenAPI 3.1: the endpoints, and the report as JSON Schema built from schema.yaml."""
    template = find(DEFAULT_TEMPLATE)
    components = {
        name: {"type": "object", **_object(definition)}
        for name, definition in template.definitions.items()
    }
    components["BaoCao"] = {"type": "object", **_object(template.schema)}
    report = {"$ref": "#/components/schemas/BaoCao"}
    body = {
        "required": True,
        "content": {"application/json": {"schema": report}, "application/yaml": {"schema": report}},
    }
    problems = {"description": "invalid report: every problem with its path, line and column"}
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
                        {
                            "name": "template",
                            "in": "query",
                            "description": "Defaults to the report's loai_van_ban, else bao-cao.",
                            "schema": {"enum": available()},
                        },
                    ],
                    "requestBody": body,
                    "responses": {
                        "200": {
                            "description": "the document",
                            "content": {DOCX: {}, "application/pdf": {}},
                        },
                        "400": {"description": "unreadable body"},
                        "413": {"description": "body too large"},
                        "422": problems,
                        "504": {"description": "render took too long"},
                    },
                }
            },
            "/validate": {
                "post": {
                    "summary": "Check a report",
                    "requestBody": body,
                    "responses": {"200": {"description": "valid"}, "422": problems},
                }
            },
            "/templates": {
                "get": {"summary": "Document types", "responses": {"200": {"description": "list"}}}
            },
            "/health": {
                "get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}
            },
        },
        "components": {"schemas": components},
    }
