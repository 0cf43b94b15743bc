"""Instructions the platform's Python executes per lifecycle, counted by valgrind (callgrind): the same figure
for the same code and data however fast or busy the shared machine is, so a change's effect can be measured
where timings vary by ±30 % from one hour to the next.

Plays lifecycles in-process like bench/profile_lifecycle.py, twice under valgrind (W and W+N lifecycles after
the same W warm-up ones) and prints the difference per lifecycle. PostgreSQL's and Redis's own work is not
counted, nor are the time-based rechecks of shared caches. About three minutes on 2 cores. Run after `make bench` has built the database and its accounts:

    SCALE=1000000 .venv/bin/python bench/instructions.py [N]
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WARM = 30


def play(n: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import profile_lifecycle as p

    p._setup()
    from django.conf import settings
    from django.test import Client

    from cqtt.accounts import permissions
    from cqtt.api import authentication

    # time-based rechecks (calendar overrides every 5 s, scopes every 60 s) would run about fifty times as often
    # per lifecycle under valgrind as at full speed, and at moments that differ between the two runs
    settings.WORKDAYS = {**settings.WORKDAYS, "RECHECK_SECONDS": 86400}
    permissions.SCOPE_CACHE_SECONDS = authentication.SCOPE_CACHE_SECONDS = 86400

    communes = json.loads((p.OUT / "config.json").read_text(encoding="utf-8"))["communes"]
    client = Client(HTTP_HOST="127.0.0.1")
    random.seed(1)
    for i in range(WARM + n):
        p._lifecycle(client, communes[i % len(communes)], None)


def count(n_extra: int) -> float:
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    # one plain run first, so that both counted runs import compiled modules (a module compiled in one run and
    # loaded in the other would count its compilation as work of the lifecycles)
    subprocess.run([sys.executable, __file__, "--play", "0"], check=True, capture_output=True, env=os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        runs = {
            n: subprocess.Popen(
                [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={tmp}/cg.{n}",
                    sys.executable,
                    __file__,
                    "--play",
                    str(n),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=os.environ | {"PYTHONHASHSEED": "0"},  # the same string hashes, dict layouts and orders
            )
            for n in (0, n_extra)
        }
        totals = {}
        for n, proc in runs.items():
            _out, err = proc.communicate()
            found = re.search(r"Collected : (\d+)", err)
            if proc.returncode != 0 or not found:
                raise SystemExit(f"valgrind run failed:\n{err[-2000:]}")
            totals[n] = int(found.group(1))
    return (totals[n_extra] - totals[0]) / n_extra


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--play":
        play(int(sys.argv[2]))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    per = count(n)
    print(f"python_instructions_per_lifecycle={per / 1e6:.1f}M ({n} lifecycles after {WARM} warm-up ones)")


if __name__ == "__main__":
    main()
