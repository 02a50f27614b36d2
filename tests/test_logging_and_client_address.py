"""Structured request logs with an id, and the client's address behind a known number of proxies."""

import json
import logging

import pytest
from django.test import override_settings

from compute_advisor.lib.client_address import client_address
from compute_advisor.lib.log_format import JsonFormatter


def test_each_request_is_logged_once_with_its_fields_and_id(client, db, caplog):
    caplog.set_level(logging.INFO, logger="compute_advisor.requests")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert response["X-Request-ID"] == "lb-1234abcd"
    (record,) = [r for r in caplog.records if r.name == "compute_advisor.requests"]
    assert (record.method, record.path, record.status, record.request_id) == ("GET", "/healthz", 200, "lb-1234abcd")
    assert record.duration_ms >= 0
    assert record.client == "127.0.0.1"
    assert record.user_id is None


def test_a_request_id_that_could_forge_log_lines_is_replaced(client, db, caplog):
    caplog.set_level(logging.INFO, logger="compute_advisor.requests")
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"].isalnum()


def test_server_errors_are_logged_as_warnings(client, db, caplog):
    caplog.set_level(logging.INFO, logger="compute_advisor.requests")
    client.raise_request_exception = False
    with override_settings(ROOT_URLCONF="tests.failing_urls"):
        assert client.get("/boom").status_code == 500
    (record,) = [r for r in caplog.records if r.name == "compute_advisor.requests"]
    assert record.levelno == logging.WARNING
    assert record.status == 500


def test_the_json_formatter_writes_one_parsable_object_per_line_with_extras():
    record = logging.LogRecord("app", logging.ERROR, __file__, 1, "price %s failed\nsecond line", ("m7g",), None)
    record.request_id = "abc"
    try:
        raise ValueError("bad price")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "price m7g failed\nsecond line"
    assert entry["level"] == "ERROR"
    assert entry["request_id"] == "abc"
    assert "ValueError: bad price" in entry["exc_info"]
    assert entry["time"].endswith("+00:00")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is the client's own claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the left entry was written by the client
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (3, "203.0.113.9", "203.0.113.9"),  # fewer hops than proxies: the leftmost is all there is
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_the_trusted_hop(rf, proxies, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_address(request) == expected
