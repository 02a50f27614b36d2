"""Streaming a Price List Bulk API offer file: keep the products we price, never load the file whole.

An offer file is one JSON object: `products` (sku -> product) first, then `terms.OnDemand`
(sku -> terms). A region's EC2 file is hundreds of MB, so it is streamed with ijson's C backend and
never held whole: the products we want are kept (a small dict), then their on-demand terms are read.

To read the file only once, the byte offset of the top-level "terms" key is found first (a fast
byte search: inside the file every other quote is escaped within a string, and no product or term
has a key of that name), and each section is parsed on its own as a stream of its bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from pricing.normalize import MalformedItem, Tally, intended_key, rows_for, wanted
from pricing.rows import PriceRow

Opener = Callable[[], BinaryIO]


class OfferFileError(ValueError):
    """The file is not a readable Price List offer file (truncated, not JSON, wrong shape)."""


def offer_metadata(open_file: Opener) -> dict[str, str]:
    """offerCode, version and publicationDate from the head of the file (they come before products)."""
    metadata: dict[str, str] = {}
    with open_file() as handle:
        for prefix, event, value in ijson.parse(handle, use_float=False):
            if (
                prefix in {"offerCode", "version", "publicationDate", "formatVersion", "regionCode"}
                and event == "string"
            ):
                metadata[prefix] = value
            if prefix == "products" and event in {"start_map", "start_array"}:
                # Savings Plans files list their products and carry no offerCode.
                if event == "start_array" and "offerCode" not in metadata:
                    metadata["offerCode"] = "ComputeSavingsPlans"
                break
    return metadata


def read_offer_file(
    open_file: Opener,
    *,
    service_code: str,
    region: str,
    source_ref: str,
    tally: Tally,
    progress: Callable[[int], None] | None = None,
) -> Iterator[PriceRow]:
    try:
        yield from _read(
            open_file, service_code=service_code, region=region, source_ref=source_ref, tally=tally, progress=progress
        )
    except ijson.JSONError as exc:
        raise OfferFileError(f"the offer file cannot be read as JSON: {str(exc).splitlines()[0]}") from None


class _Section(io.RawIOBase):
    """A read-only stream of `head` + file[start:end] + `tail`, for parsing one part of a file alone."""

    def __init__(self, handle: BinaryIO, start: int, end: int, head: bytes = b"", tail: bytes = b"") -> None:
        self.handle, self.remaining = handle, end - start
        self.pending = [head]
        self.tail = tail
        handle.seek(start)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson probes the stream type with read(0)
            return b""
        if self.pending and self.pending[0]:
            return self.pending.pop(0)
        if self.remaining > 0:
            chunk = self.handle.read(min(self.remaining, size if size > 0 else 1 << 20))
            self.remaining -= len(chunk)
            if chunk:
                return chunk
            self.remaining = 0
        chunk, self.tail = self.tail, b""
        return chunk

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_TERMS_KEY = re.compile(rb'"terms"\s*:\s*\{')


def _terms_offset(handle: BinaryIO, chunk: int = 1 << 20) -> tuple[int, int] | None:
    """Where the products part ends (before its comma) and the top-level "terms" key starts; None if not
    found (then each section is found by parsing the whole file).

    Searched backwards in chunks: the terms part holds no "terms" key, so the last one is the top-level
    key, and plain reads keep the file out of this process's memory (a memory map would count in it).
    """
    size = handle.seek(0, io.SEEK_END)
    needle = b'"terms"'
    end = size
    while end > 0:
        start = max(0, end - chunk)
        handle.seek(start)
        window = handle.read(end - start + len(needle) + 64)  # overlap: a key split across chunks
        at = window.rfind(needle)
        if at >= 0:
            position = start + at
            if not _TERMS_KEY.match(window, at):
                return None
            handle.seek(max(0, position - 256))
            before = handle.read(position - max(0, position - 256)).rstrip(b" \t\r\n")
            if not before.endswith(b","):
                return None
            return position - (position - max(0, position - 256) - len(before)) - 1, position
        end = start
    return None


def _read(
    open_file: Opener,
    *,
    service_code: str,
    region: str,
    source_ref: str,
    tally: Tally,
    progress: Callable[[int], None] | None,
) -> Iterator[PriceRow]:
    products: dict[str, dict[str, Any]] = {}
    with open_file() as handle:
        split = _terms_offset(handle)
        size = handle.seek(0, io.SEEK_END)
        # The part before "terms" is a complete object once closed with "}".
        source: Any = _Section(handle, 0, split[0], tail=b"}") if split else _Section(handle, 0, size)
        for sku, product in ijson.kvitems(source, "products", use_float=False):
            if isinstance(product, dict) and wanted(service_code, product, region=region):
                product.setdefault("sku", sku)
                products[sku] = product
            else:
                tally.skipped += 1
    found: set[str] = set()
    with open_file() as handle:
        size = handle.seek(0, io.SEEK_END)
        # From "terms" to the end, opened with "{", is a complete object too.
        source = _Section(handle, split[1], size, head=b"{") if split else _Section(handle, 0, size)
        for sku, terms in ijson.kvitems(source, "terms.OnDemand", use_float=False):
            product = products.get(sku)
            if product is None:
                continue
            found.add(sku)
            try:
                rows = rows_for(service_code, region, product, terms, source_ref=source_ref)
            except MalformedItem as exc:
                tally.reject(str(exc), key=intended_key(service_code, product, region=region))
                continue
            tally.kept += len(rows)
            if progress:
                progress(len(rows))
            yield from rows
    for sku in set(products) - found:
        tally.reject("no on-demand terms", key=intended_key(service_code, products[sku], region=region))


def path_opener(path: Path | str) -> Opener:
    return lambda: open(path, "rb")
