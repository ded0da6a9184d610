"""`python -m whiteboard` runs the command line."""

from whiteboard.cli import main

if __name__ == "__main__":
    main()
