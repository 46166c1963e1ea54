"""The API's documentation page: /api/v1/docs/, for everyone.

Rendered on the server from the OpenAPI document (drf-spectacular) as a plain, accessible page
in the portal's own layout: every path with its methods, who may call it, its parameters and
answers. No JavaScript and nothing from another origin; the machine-readable document itself is
at /api/v1/schema/.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.views import SpectacularAPIView
from rest_framework.response import Response

from .base import ApiViewMixin

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Parameter:
    name: str
    where: str
    required: bool
    description: str
    kind: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    public: bool
    parameters: list[Parameter] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)
    body: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".replace("/", "-").replace("{", "").replace("}", "")


@functools.lru_cache(maxsize=4)
def _schema(language: str) -> dict:
    # The document is the same for every caller in a language; generating it takes a while.
    with translation.override(language):
        return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def _kind(schema: dict) -> str:
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"] if value not in ("", None))
    return schema.get("format") or schema.get("type") or ""


@functools.lru_cache(maxsize=4)
def operations(language: str) -> tuple[Operation, ...]:
    schema = _schema(language)
    result = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body_schema = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            body_ref = body_schema.get("$ref", "").rsplit("/", 1)[-1]
            body = schema.get("components", {}).get("schemas", {}).get(body_ref, {})
            result.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=operation.get("summary", ""),
                    description=operation.get("description", ""),
                    public=path.startswith("/api/v1/public/") or path == "/api/v1/schema/",
                    parameters=[
                        Parameter(
                            name=parameter["name"],
                            where=parameter["in"],
                            required=parameter.get("required", False),
                            description=parameter.get("description", ""),
                            kind=_kind(parameter.get("schema", {})),
                        )
                        for parameter in operation.get("parameters", [])
                    ],
                    responses=[
                        (code, answer.get("description", ""))
                        for code, answer in operation.get("responses", {}).items()
                    ],
                    body=[
                        name
                        for name, prop in body.get("properties", {}).items()
                        if not prop.get("readOnly")
                    ],
                )
            )
    return tuple(result)


@functools.lru_cache(maxsize=16)
def _rendered_schema(renderer_class, language: str, media_type: str) -> bytes:
    return super(renderer_class, renderer_class()).render(_schema(language), media_type, {})


def _rendered_once(renderer_class):
    """The renderer, rendering the document once per language and media type (an error
    answer, which carries other data, is rendered as usual)."""

    class Renderer(renderer_class):
        def render(self, data, accepted_media_type=None, renderer_context=None):
            language = translation.get_language()
            if data is _schema(language):
                return _rendered_schema(type(self), language, accepted_media_type)
            return super().render(data, accepted_media_type, renderer_context)

    Renderer.__name__ = renderer_class.__name__
    return Renderer


class SchemaView(ApiViewMixin, SpectacularAPIView):
    """The OpenAPI document, for everyone, cached and answered like the published data."""

    public_data = True
    renderer_classes = [
        _rendered_once(renderer) for renderer in SpectacularAPIView.renderer_classes
    ]

    def _get_schema_response(self, request):
        # The document generated once per language and process, as the documentation page
        # reads it: generating it on each call cost 40 trivial pages.
        version = self.api_version
        return Response(
            data=_schema(translation.get_language()),
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


@login_not_required
@require_safe
def documentation(request):
    language = translation.get_language()
    all_operations = operations(language)
    return render(
        request,
        "api/docs.html",
        {
            "public_operations": [op for op in all_operations if op.public],
            "staff_operations": [op for op in all_operations if not op.public],
        },
    )
