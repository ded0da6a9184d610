"""`python -m whiteboard.serve [--port N] [--templates DIR] [--open]`: the server without the CLI.

The tests start it this way (``--port 0``, then read the URL from stdout); errors are one
line on stderr and exit 2, as the command line's.
"""

from __future__ import annotations

import argparse
import sys

from whiteboard.errors import WhiteboardError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m whiteboard.serve",
                                     description="Serve the whiteboard page on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8000, help="the port (0: any free one; default 8000)")
    parser.add_argument("--templates", default=None, help="a directory of extra problem specs")
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")
    args = parser.parse_args(argv)
    from whiteboard.serve import run

    try:
        run(port=args.port, templates=args.templates, open_browser=args.open)
    except WhiteboardError as error:
        print(f"whiteboard: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
