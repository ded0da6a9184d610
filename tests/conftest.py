"""Hypothesis profiles: a fast one for every run, a long one for fuzzing campaigns.

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
