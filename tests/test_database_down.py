"""With its database unreachable, the app answers 503 with a clear page or JSON, never a 500.

The app runs in a child process whose DATABASE_URL points at a port where no PostgreSQL listens: a real
database that is down, not a patched connection.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, django
django.setup()
from django.test import Client
from tests.factories import scenario_data
client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
answers = {}
for method, path in [("get", "/"), ("get", "/compare/?submitted=1&vcpu=1&memory_gib=2"), ("get", "/catalog/"),
                     ("post", "/api/v1/estimates"), ("get", "/health"), ("get", "/healthz")]:
    if method == "post":
        response = client.post(path, json.dumps(scenario_data()), content_type="application/json")
    else:
        response = client.get(path)
    answers[path] = [response.status_code, response.get("Retry-After"), response.content.decode()]
print(json.dumps(answers))
"""


def test_an_unreachable_database_gets_503_pages_and_json(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "compute_advisor.settings",
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/none",  # the discard port: nothing listens there
        "REDIS_URL": "",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    for path in ["/", "/compare/?submitted=1&vcpu=1&memory_gib=2", "/catalog/"]:
        status, retry_after, page = answers[path]
        assert (status, retry_after) == (503, "30"), path
        assert "The database is not reachable just now. Nothing you saved is lost" in page
        assert "Traceback" not in page
    status, retry_after, body = answers["/api/v1/estimates"]
    assert (status, retry_after) == (503, "30")
    assert json.loads(body)["errors"][""][0].startswith("The database is not reachable")
    status, _, body = answers["/health"]
    assert status == 503
    assert json.loads(body)["status"] == "down"
    assert answers["/healthz"][0] == 200
