"""Hypothesis profiles (a fast one for every run, a long one for fuzzing campaigns) and a private
practice history for the run.

    WHITEBOARD_FUZZ=long python -m pytest tests/test_fuzz.py    # 100,000 inputs per property
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=100_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("WHITEBOARD_FUZZ", "default"))

# tests/parse holds helpers (mermaid_compare) that the fuzz test shares.
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent / "parse"))

# Practice rounds started by any test (the CLI, the page) go to a history of the run's own,
# never the developer's: WHITEBOARD_DATA_DIR is inherited by every process a test starts.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

if "WHITEBOARD_DATA_DIR" not in os.environ:
    _history = tempfile.mkdtemp(prefix="whiteboard-test-history-")
    os.environ["WHITEBOARD_DATA_DIR"] = _history
    atexit.register(shutil.rmtree, _history, True)
