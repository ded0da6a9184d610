"""`whiteboard practice`: the round in the terminal. Write the board, start the clock, watch, coach, score.

The file is watched with watchfiles (its directory, so editors that save by renaming a
temporary file over it are seen too); every save that changes the text is a new version
in the round and in the history database. Ctrl-C, SIGTERM or the end of the time closes
the round and writes the scorecard next to the answer: `answer.scorecard.md` and the final
board with the check's overlay, `answer.scorecard.svg`.
"""

from __future__ import annotations

import queue
import signal
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from whiteboard.errors import WhiteboardError
from whiteboard.plan import TOTAL_MINUTES

TICK_S = 0.25


@dataclass
class PracticeOptions:
    problem: str
    file: Path
    minutes: float = TOTAL_MINUTES
    from_stage: int | None = None
    direction: str | None = None
    force: bool = False
    templates: str | None = None
    history: bool = True
    live: bool | None = None  # None: a live panel when stdout is a terminal


def _read(path: Path) -> str | None:
    """The board to take, or None while the file is missing, cannot be decoded, or is empty
    (an editor, or a shell's `>`, truncates before it writes)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return text if text.strip() else None


def _watch(path: Path, saves: "queue.Queue[str]", stop: threading.Event) -> None:
    import watchfiles

    target = path.resolve()

    def is_answer(_change, changed: str) -> bool:
        return Path(changed).resolve() == target

    for _changes in watchfiles.watch(target.parent, watch_filter=is_answer, stop_event=stop, debounce=200,
                                     step=50, rust_timeout=500, yield_on_timeout=False, raise_interrupt=False):
        text = _read(target)
        if text is not None:
            saves.put(text)


class FileNet:
    """A stat check on every tick, under the watcher: catches a save made before the watch was set
    up, and saves on filesystems that send no change events (network mounts, some containers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen = self._signature()

    def _signature(self):
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size, st.st_ino

    def check(self, saves: "queue.Queue[str]") -> None:
        signature = self._signature()
        if signature is not None and signature != self.seen:
            self.seen = signature
            text = _read(self.path)
            if text is not None:
                saves.put(text)


def scorecard_paths(answer: Path) -> tuple[Path, Path]:
    return answer.with_name(answer.stem + ".scorecard.md"), answer.with_name(answer.stem + ".scorecard.svg")


def write_scorecard(card, answer: Path, templates: str | None = None) -> tuple[Path, Path | None, str]:
    """The scorecard page and, when Graphviz is here, the final board's SVG with the overlay."""
    from whiteboard.atomic import write_bytes_atomic, write_text_atomic

    page, picture = scorecard_paths(answer)
    svg_note = ""
    drawn: Path | None = None
    good = card.replay.good
    if good is not None and good.result.diagram is not None:
        from whiteboard.render import RenderError, RenderOptions, render_text

        text = card.timeline.saves[-1].text if card.timeline.saves else card.timeline.start_text
        if card.replay.last is not None and card.replay.last.syntax_error:
            text = next((s.text for s, st in zip(reversed(card.timeline.saves), reversed(card.replay.states))
                         if not st.syntax_error), card.timeline.start_text)
        try:
            svg = render_text(text, str(answer), RenderOptions(overlay=True, problem=card.timeline.problem))
            write_bytes_atomic(picture, svg)
            drawn = picture
        except (RenderError, WhiteboardError) as error:
            svg_note = f"no picture: {error}"
    markdown = card.to_markdown(picture.name if drawn else None)
    if svg_note:
        markdown += f"\n_{svg_note}_\n"
    write_text_atomic(page, markdown)
    return page, drawn, markdown


def run(options: PracticeOptions) -> int:
    """Run one round; returns the exit code (0 when a scorecard was written)."""
    from whiteboard.atomic import write_text_atomic
    from whiteboard.history import History
    from whiteboard.rounds import Round, start_board

    path = options.file
    if path.exists() and not options.force:
        raise WhiteboardError(f"{path} exists: choose another --file, or pass --force to start over on a "
                              f"fresh board (the old file is replaced)")
    board = start_board(options.problem, from_stage=options.from_stage, direction=options.direction,
                        templates=options.templates)
    history = History() if options.history else None
    round_ = Round(options.problem, minutes=options.minutes, start_text=board, history=history,
                   file=str(path.resolve()) if path.parent.exists() else str(path), templates=options.templates)
    try:
        write_text_atomic(path, board)
    except OSError as error:
        raise WhiteboardError(f"{path}: cannot write the starting board ({error.strerror or error})") from None

    from whiteboard.problems import load_problem

    title = load_problem(options.problem, options.templates).title
    live = sys.stdout.isatty() if options.live is None else options.live
    saves: "queue.Queue[str]" = queue.Queue()
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(path, saves, stop), name="whiteboard-watch", daemon=True)
    watcher.start()
    reason = _loop(round_, saves, FileNet(path), title, live)
    stop.set()
    final = _read(path)
    if final is not None:
        round_.save(final)
    card = round_.finish(reason)
    page, picture, markdown = write_scorecard(card, path, options.templates)
    if history is not None:
        history.close()
    _report(markdown, page, picture, round_.id, live)
    watcher.join(timeout=2)
    return 0


def _loop(round_, saves: "queue.Queue[str]", net: FileNet, title: str, live: bool) -> str:
    """Until the time is up or the person stops: take saves, re-check, redraw. Returns why it ended."""
    from whiteboard.practice_view import clock, line, panel

    def terminate(_signum, _frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    path = net.path
    print(f"whiteboard practice: {title}, {round_.timeline.minutes:g} minutes. Draw in {path}; "
          f"every save is checked. Ctrl-C ends the round.", flush=True)
    phase_number = None
    try:
        if live:
            from rich.live import Live

            with Live(panel(round_.view(), title, str(path)), refresh_per_second=4, screen=False,
                      transient=False) as screen:
                while not round_.over:
                    net.check(saves)
                    _drain(round_, saves)
                    screen.update(panel(round_.view(), title, str(path)))
                    _wait(saves)
            return "time"
        while not round_.over:
            net.check(saves)
            for view in _drain(round_, saves):
                print(line(view, f"save {view['saves']}"), flush=True)
            view = round_.view()
            number = view["phase"]["number"] if view["phase"] else None
            if number != phase_number:
                phase_number = number
                what = f"draw now: {view['phase']['draw']}" if view["phase"] else "Q&A buffer"
                print(f"[{clock(view['elapsed_s'])}] {what}", flush=True)
            _wait(saves)
        return "time"
    except KeyboardInterrupt:
        return "stopped"
    finally:
        signal.signal(signal.SIGTERM, previous)


def _drain(round_, saves: "queue.Queue[str]") -> list[dict]:
    views = []
    while True:
        try:
            text = saves.get_nowait()
        except queue.Empty:
            return views
        before = len(round_.timeline.saves)
        view = round_.save(text)
        if len(round_.timeline.saves) > before:
            views.append(view)


def _wait(saves: "queue.Queue[str]") -> None:
    """Sleep one tick, waking early when a save arrives (it stays queued for the next drain)."""
    import time

    deadline = time.monotonic() + TICK_S
    while time.monotonic() < deadline and saves.empty():
        time.sleep(0.05)


def _report(markdown: str, page: Path, picture: Path | None, round_id, live: bool) -> None:
    if live:
        from rich.console import Console
        from rich.markdown import Markdown

        Console().print(Markdown(markdown))
    else:
        print(markdown, flush=True)
    where = f"scorecard: {page}" + (f" (board: {picture})" if picture else "")
    if round_id is not None:
        where += f"; round {round_id} is in `whiteboard history`"
    print(where, flush=True)
