"""Streaming a big offer file: our ingest beside a plain ijson parse and json.load of the same file.

Each runs in its own process so that its peak memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MB = int(os.environ.get("BENCH_OFFER_MB", "320"))

CHILD = {
    "ingest": (
        "from pricing.normalize import Tally\n"
        "from pricing.sources.offer_file import path_opener, read_offer_file\n"
        "tally = Tally()\n"
        "rows = sum(1 for _ in read_offer_file(path_opener(PATH), service_code='AmazonEC2', region='us-east-1',"
        " source_ref='bench', tally=tally))\n"
        "RESULT = f'{rows} rows kept, {tally.skipped} products skipped'\n"
    ),
    "ijson.parse": (
        "import ijson\n"
        "with open(PATH, 'rb') as f:\n"
        "    events = sum(1 for _ in ijson.parse(f, use_float=False))\n"
        "RESULT = f'{events} events'\n"
    ),
    "ijson.kvitems": (
        "import ijson\n"
        "with open(PATH, 'rb') as f:\n"
        "    products = sum(1 for _ in ijson.kvitems(f, 'products', use_float=False))\n"
        "RESULT = f'{products} products (one pass over products only)'\n"
    ),
    "json.load": (
        "import json\n"
        "with open(PATH, 'rb') as f:\n"
        "    data = json.load(f)\n"
        "RESULT = f\"{len(data['products'])} products\"\n"
    ),
}

RUNNER = """
import sys, time
PATH = sys.argv[1]
start = time.perf_counter()
{code}
elapsed = time.perf_counter() - start
# VmHWM is this process's own peak (ru_maxrss would keep the parent's peak across exec).
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(f"{{elapsed:.2f}} {{peak // 1024}} {{RESULT}}")
"""


def generate(path: Path) -> int:
    from tests.pricing.offer_generator import many_ec2_items, write_offer_file

    # ~1 KB an item in the real layout.
    count = TARGET_MB * 1024 * 1024 // 1000
    with open(path, "w", encoding="utf-8") as out:
        write_offer_file(out, offer_code="AmazonEC2", items=many_ec2_items(count))
    return count


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-offer-") as folder:
        path = Path(folder) / "AmazonEC2-us-east-1.json"
        start = time.perf_counter()
        items = generate(path)
        size = path.stat().st_size / 1024 / 1024
        print(f"generated an EC2 offer file: {size:.0f} MB, {items} products ({time.perf_counter() - start:.1f} s)")
        figures = {}
        for name, code in CHILD.items():
            result = subprocess.run(
                [sys.executable, "-c", RUNNER.format(code=code), str(path)],
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parents[1],
                env={**os.environ, "DJANGO_SETTINGS_MODULE": "compute_advisor.settings_test"},
            )
            if result.returncode != 0:
                print(f"{name:<14} failed: {result.stderr.strip().splitlines()[-1:]}")
                continue
            seconds, rss, *rest = result.stdout.split(maxsplit=2)
            figures[name] = (float(seconds), int(rss))
            print(f"{name:<14} {float(seconds):7.2f} s   peak RSS {int(rss):6d} MB   {' '.join(rest).strip()}")
        if "ingest" in figures and "ijson.parse" in figures:
            ingest, raw = figures["ingest"], figures["ijson.parse"]
            print(f"ingest speed vs a plain ijson.parse: {raw[0] / ingest[0]:.2f}x (target >= 0.8x)")
        if "ingest" in figures and "json.load" in figures:
            print(
                f"ingest peak memory vs json.load: {figures['ingest'][1] / figures['json.load'][1]:.3f} (target <= 0.1)"
            )


if __name__ == "__main__":
    main()
