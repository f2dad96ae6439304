"""/info: counts of everything in the store."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from eventscope.query import store_info

from .params import Reader, json_response

router = APIRouter(tags=["store"])


@router.get("/info", summary="Counts of everything in the store")
def info(reader: Reader) -> Response:
    return json_response(store_info(reader))
