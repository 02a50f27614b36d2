"""Gunicorn's settings for production (`make serve`); each can be changed through the environment."""

import os

from compute_advisor.lib.env import env_int, env_str

_cores = os.cpu_count() or 1

# Threads let a worker keep answering while one of its requests renders a PDF.
worker_class = "gthread"
workers = env_int("WEB_CONCURRENCY", 2 * _cores + 1, minimum=1)
threads = env_int("GUNICORN_THREADS", 2, minimum=1)
# A PDF report of a big scenario takes a second or two; nothing legitimate takes a minute.
timeout = env_int("GUNICORN_TIMEOUT", 60, minimum=5)
graceful_timeout = 30
keepalive = 5
# Off by default: a worker replaced under load drops its idle keep-alive connections, and a client that
# had just sent a request on one sees it reset (measured with `make load`). Set it if memory creeps up.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 0, minimum=0)
max_requests_jitter = max_requests // 10
# The app is imported once, before forking: workers start quicker and share its memory.
preload_app = True
# Requests are logged by the app (compute_advisor.lib.request_log) with their fields; no second access log.
accesslog = None
errorlog = "-"
loglevel = env_str("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "compute_advisor.lib.log_format.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}


def when_ready(server: object) -> None:
    """The app is loaded (preload_app) and workers are about to fork: move everything that exists now into
    the garbage collector's permanent generation. Full collections in the workers then skip the app's ~200,000
    long-lived objects (measured: a PDF report 0.91 -> 0.85 s), and the memory pages holding them stay shared
    between workers instead of being copied when the collector touches them."""
    import gc

    gc.collect()
    gc.freeze()
