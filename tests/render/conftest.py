"""tests/render: helpers shared by its modules live in render_helpers.py."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
