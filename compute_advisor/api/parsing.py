"""The API reads JSON bodies only, with bounded work: at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes (a JSON 413
beyond, from the Content-Length before anything is read, or from the bytes read) and at most
`lib.bounded_input.MAX_DEPTH` levels of nesting (a JSON 400), numbers kept as Decimal from their text."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser

from compute_advisor.lib.bounded_input import TooDeep, load_json


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


def _limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 512 * 1024)


class BoundedJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = _limit()
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        too_large = f"The request body is larger than {limit // 1024} KB."
        if declared and str(declared).isdigit() and int(declared) > limit:
            raise BodyTooLarge(too_large)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise BodyTooLarge(too_large)
        try:
            return load_json(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ParseError("The request body is not UTF-8 text.") from None
        except TooDeep as exc:
            raise ParseError(f"JSON parse error: the body {exc}.") from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error: {str(exc)[:200]}") from None
