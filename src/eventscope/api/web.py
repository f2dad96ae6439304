"""The pages beside the API: the OpenAPI docs (Swagger UI), the dashboard, its static
files and the front-end libraries installed at set-up (only those listed in ASSETS)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException
from fastapi import Path as PathParam
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from .assets import ASSETS, STATIC, asset_path

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="eventscope API",
        swagger_js_url="/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )


@router.get("/")
def dashboard() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/static/{name}")
def static(
    # bounded: a name over the file system's 255 bytes made is_file() raise (a 500)
    name: Annotated[str, PathParam(max_length=80, pattern=r"^[a-z0-9_-]+\.(js|css|svg)$")],
) -> FileResponse:
    file = STATIC / name
    if not file.is_file():
        raise HTTPException(404, f"no file {name}")
    return FileResponse(file)


@router.get("/vendor/{package}/{name}")
def vendor(package: str, name: str) -> FileResponse:
    if (package, name) not in ASSETS:
        raise HTTPException(404, f"no asset {package}/{name}")
    file = asset_path(package, name)
    if file is None:
        raise HTTPException(
            404,
            "the dashboard's libraries are not installed: run `make setup` (npm ci in web/)",
        )
    return FileResponse(file, headers={"Cache-Control": "max-age=86400"})
