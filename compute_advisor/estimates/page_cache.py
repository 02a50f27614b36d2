"""Rendered comparison pages kept in the cache, so a comparison someone has already asked for costs about as
much to serve as a static page.

What is cached, for the parameters a page reads on one snapshot: its main part (the form with its values and
the results), and for anonymous visitors with no message waiting the whole page. What differs per visitor
stays out: a signed-in header and messages are rendered for each request, and the CSRF token of the save
form is written into the cached HTML as a placeholder and replaced with the visitor's own on the way out.
The key names the snapshot (new prices, new keys) and a digest of the code, templates and static files (a
deployment never serves pages the old code rendered).
"""

from __future__ import annotations

import hashlib
import logging
import zlib
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe

from compute_advisor.comparison.result_cache import engine_digest, snapshot_tag
from compute_advisor.lib.cache_or_compute import MISSING, cache_get, cache_put
from pricing.models import PriceSnapshot

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[2]
# The static files count too: a page names them by their content hashes, and a release that changes one
# must not serve pages that name a file it no longer has.
RENDERING_INPUTS = [ROOT / "templates", ROOT / "compute_advisor", ROOT / "pricing", ROOT / "static"]
RENDERING_SUFFIXES = {".py", ".html", ".css", ".js", ".svg", ".json"}


@lru_cache(maxsize=1)
def rendering_digest() -> str:
    digest = hashlib.sha256(engine_digest().encode())
    for root in RENDERING_INPUTS:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in RENDERING_SUFFIXES):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def csrf_placeholder() -> str:
    # Derived from the secret key, so no input can contain it and have a visitor's token written in its place.
    return "csrf-" + hashlib.sha256(f"page-cache-csrf:{settings.SECRET_KEY}".encode()).hexdigest()[:32]


def page_key(page: str, query: QueryDict, snapshot: PriceSnapshot, fields: Iterable[str]) -> str:
    """The same parameters in any order are one page; parameters the page does not read are left out (they
    change nothing, and must not make new cache entries)."""
    read = set(fields)
    normalised = sorted((key, tuple(values)) for key, values in query.lists() if key in read)
    digest = hashlib.sha256(repr(normalised).encode()).hexdigest()
    return f"page:{page}:{rendering_digest()}:{snapshot_tag(snapshot)}:{digest}"


def cached_html(key: str, render: Callable[[], tuple[str, bool]], *, client: str | None = None) -> tuple[str, bool]:
    """The HTML `render()` makes (with `csrf_placeholder()` as its CSRF token), from the cache when it is
    there, and whether it is one to keep. `render` says so itself: a page of errors is cheap to redo and
    would only fill the cache for whoever sends junk.

    The cache stays bounded whatever a client asks: pages are stored compressed (a comparison's 96 KB is
    about 12 KB), and one client adds at most PAGE_CACHE_WRITES_PER_MINUTE new pages a minute (more are
    served, not stored)."""
    seconds = settings.PAGE_CACHE_SECONDS
    stored = cache_get(key) if seconds > 0 else MISSING
    if isinstance(stored, bytes):
        return zlib.decompress(stored).decode("utf-8"), True
    html, keep = render()
    if keep and seconds > 0:
        _store(key, zlib.compress(html.encode("utf-8"), 6), seconds, client)
    return html, keep


def _store(key: str, value: bytes, seconds: int, client: str | None) -> None:
    """Store a page, counting it against its client's budget only when it is new: clients that render the
    same page at once store it once, and spend one page of the budget."""
    if client is None:
        cache_put(key, value, seconds)
        return
    budget = f"page-cache-writes:{client}"
    try:
        if int(cache.get(budget, 0)) >= settings.PAGE_CACHE_WRITES_PER_MINUTE:
            return  # served, not stored
        if cache.add(key, value, timeout=seconds):
            cache.add(budget, 0, timeout=60)
            cache.incr(budget)
    except Exception as error:  # the cache is unreachable: nothing is stored, as cache_put would do
        log.warning("page cache unavailable, not stored: %s", error)


def with_visitor_token(html: str, request: HttpRequest) -> SafeString:
    """Cached HTML with this visitor's CSRF token where the placeholder stands."""
    placeholder = csrf_placeholder()
    if placeholder in html:
        html = html.replace(placeholder, get_token(request))
    return mark_safe(html)  # rendered by our templates, which escape every input


def whole_page_cacheable(request: HttpRequest) -> bool:
    """An anonymous visitor with no message waiting sees exactly what every such visitor sees: the whole
    page, header and all, can come from the cache. (Checking the messages does not use them up.)"""
    return not request.user.is_authenticated and len(get_messages(request)) == 0
