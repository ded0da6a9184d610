"""The local page's web application: the page itself and the JSON endpoints it uses.

    GET  /                 the page (static/: HTML, CSS, JS shipped in the package, no CDN)
    POST /api/check        body: the diagram text -> Contract 2, exactly `whiteboard check - --format json`
    POST /api/render       body: the diagram text -> image/svg+xml, our Graphviz picture with the overlay
    GET  /api/problems     the problems the picker offers
    GET  /api/skeleton     a problem's skeleton as text (the page's starting diagram)
    GET  /api/round        the practice round: clock, phase, what to draw, nudges ({"running": false} if none)
    POST /api/round/start  JSON {"problem": "rag", "minutes": 45, "from_stage": 3} -> the round and its board
    POST /api/round/save   body: the editor's text -> the coach's view after this save
    POST /api/round/finish -> {"round", "markdown", "card"}: the scorecard

The check and the picture come from the library (whiteboard.api, whiteboard.render), run
in a worker thread so a slow diagram never stops the page's clock. Every refusal is JSON
(responses.py); a diagram with findings or a syntax error is not a refusal: the check ran.
"""

from __future__ import annotations

import os
from dataclasses import replace
from importlib import resources
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from whiteboard.api import STDIN_NAME
from whiteboard.errors import ConfigError, DiagramSyntaxError, InputError
from whiteboard.serve.guard import LocalOnly
from whiteboard.serve.inputs import RequestError, read_body, read_query, require_utf8
from whiteboard.serve.responses import error_response

DEFAULT_PROBLEM = "framework"  # the page's first diagram: `whiteboard new framework`
DRAWING_SLOTS = 2  # pictures drawn at once (each a Graphviz process); more wait their turn
_STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
           "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
           "/static/style.css": ("style.css", "text/css; charset=utf-8"),
           "/static/favicon.svg": ("favicon.svg", "image/svg+xml")}


def _static(name: str) -> bytes:
    return resources.files("whiteboard.serve").joinpath("static", name).read_bytes()


def _unparsable(message: str, line: int, column: int) -> RequestError:
    return RequestError(422, f"line {line}, column {column}: {message}", line=line, column=column)


class _Checker:
    """The library calls behind the endpoints, with the server's fixed working directory and templates."""

    def __init__(self, templates: str | None, cwd: str | os.PathLike | None) -> None:
        self.templates = str(templates) if templates else None
        self.cwd = os.path.abspath(cwd or os.getcwd())

    def settings(self):
        """The settings of `whiteboard check -` run in the server's directory (a fresh read of its config)."""
        from whiteboard.api import stdin_settings

        return stdin_settings(templates=self.templates, cwd=self.cwd)

    def problem(self, name: str | None) -> str | None:
        """The known problem *name* stands for; 400 with "did you mean" otherwise."""
        if name is None:
            return None
        from whiteboard.api import UnknownProblem, known_problem

        try:
            return known_problem(name, self.settings())
        except UnknownProblem as error:
            raise RequestError(400, error.message, param="problem") from None

    def check(self, data: bytes, query):
        from whiteboard.api import check_stdin

        return check_stdin(data, problem=query.problem, sla_ms=query.sla_ms, templates=self.templates, cwd=self.cwd)

    def render(self, data: bytes, query) -> bytes:
        """The SVG; 422 when the text cannot be drawn (with the syntax error's position), 503 without Graphviz."""
        from whiteboard.render import RenderOptions, render_text
        from whiteboard.render.errors import RenderError
        from whiteboard.render.graphviz_engine import dot_available
        from whiteboard.source import decode

        if not dot_available():
            raise RequestError(503, "cannot draw: Graphviz's 'dot' program is not installed on the machine running "
                                    "whiteboard serve (apt-get install graphviz, or brew install graphviz)")
        try:
            text = decode(data, STDIN_NAME)
        except (InputError, DiagramSyntaxError) as error:  # a NUL byte: not text (bad UTF-8 is refused earlier)
            raise RequestError(422, error.message, line=getattr(error, "line", 1), column=getattr(error, "column", 1)) \
                from None
        result = None
        if query.overlay:  # the overlay draws the very check /api/check reports (configuration included)
            result = self.check(data, query).files[0].diagrams[0]
            if result.syntax_error:
                first = result.findings[0]
                raise _unparsable(first.message, first.line, first.column)
        options = RenderOptions(overlay=query.overlay, problem=result.problem if result else query.problem,
                                sla_ms=query.sla_ms)
        try:
            return render_text(text, STDIN_NAME, options, result=result)
        except DiagramSyntaxError as error:
            raise _unparsable(error.message, error.line, error.column) from None
        except RenderError as error:
            raise RequestError(422, f"cannot draw this diagram: {error.message}") from None

    def problems(self) -> list[dict[str, Any]]:
        from whiteboard.api import problem_templates
        from whiteboard.problems import list_problems, load_problem

        templates = problem_templates(self.settings())
        entries = []
        for name in list_problems(templates):
            spec = load_problem(name, templates)
            entries.append({"name": spec.name, "title": spec.title, "summary": spec.summary, "sla_ms": spec.sla_ms})
        return entries

    def skeleton(self, name: str, stage: int | None) -> str:
        from whiteboard.api import problem_templates
        from whiteboard.problems import load_problem

        return load_problem(name, problem_templates(self.settings())).skeleton(stage=stage)


def create_app(*, templates: str | None = None, cwd: str | os.PathLike | None = None) -> Starlette:
    """The application. *templates*: extra problem specs, as `--templates`; *cwd*: where the
    configuration is looked for, as for `whiteboard check -` run there (default: now's)."""
    checker = _Checker(templates, cwd)
    static = {path: (_static(name), media) for path, (name, media) in _STATIC.items()}
    drawing = anyio.Semaphore(DRAWING_SLOTS)

    async def draw(request: Request, data: bytes, query) -> bytes:
        """The picture, at most DRAWING_SLOTS at once. A page typing fast abandons its earlier
        requests: one whose client left while it waited is never drawn, so a large diagram
        cannot pile up Graphviz processes. (Checks are not queued: a slow one must not hold
        back the next.)"""
        async with drawing:
            if await request.is_disconnected():
                raise RequestError(503, "the client went away before its picture's turn")
            return await run_in_threadpool(checker.render, data, query)

    async def page(request: Request) -> Response:
        body, media = static[request.url.path]
        return Response(body, media_type=media)

    async def diagram_input(request: Request, allowed: tuple[str, ...]):
        query = read_query(request.query_params, allowed)
        if query.problem is not None:
            query = replace(query, problem=checker.problem(query.problem))
        data = await read_body(request)
        require_utf8(data)
        return data, query

    async def check(request: Request) -> Response:
        from whiteboard.api import contract_json

        data, query = await diagram_input(request, ("problem", "sla"))
        result = await run_in_threadpool(checker.check, data, query)
        return Response(contract_json(result), media_type="application/json")

    async def render(request: Request) -> Response:
        data, query = await diagram_input(request, ("problem", "sla", "overlay"))
        svg = await draw(request, data, query)
        return Response(svg, media_type="image/svg+xml")

    async def problems(request: Request) -> Response:
        read_query(request.query_params, ())
        return JSONResponse(await run_in_threadpool(checker.problems))

    async def skeleton(request: Request) -> Response:
        query = read_query(request.query_params, ("problem", "stage"))
        name = checker.problem(query.problem or DEFAULT_PROBLEM)
        text = await run_in_threadpool(checker.skeleton, name, query.stage)
        return Response(text, media_type="text/plain; charset=utf-8")

    # -- practice rounds (rounds_api.py): one round per server, kept in the practice history --
    from whiteboard.serve.rounds_api import RoundHost

    host = RoundHost(checker.problem, checker.templates)

    async def round_state(request: Request) -> Response:
        read_query(request.query_params, ())
        return JSONResponse(await run_in_threadpool(host.state))

    async def round_start(request: Request) -> Response:
        read_query(request.query_params, ())
        return JSONResponse(await run_in_threadpool(host.start, await read_body(request)))

    async def round_save(request: Request) -> Response:
        read_query(request.query_params, ())
        data = await read_body(request)
        require_utf8(data)
        return JSONResponse(await run_in_threadpool(host.save, data.decode("utf-8-sig")))

    async def round_finish(request: Request) -> Response:
        read_query(request.query_params, ())
        return JSONResponse(await run_in_threadpool(host.finish))

    rounds = [Route("/api/round", round_state, methods=["GET"]),
              Route("/api/round/start", round_start, methods=["POST"]),
              Route("/api/round/save", round_save, methods=["POST"]),
              Route("/api/round/finish", round_finish, methods=["POST"])]

    routes = [
        *(Route(path, page, methods=["GET"]) for path in static),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/render", render, methods=["POST"]),
        Route("/api/problems", problems, methods=["GET"]),
        Route("/api/skeleton", skeleton, methods=["GET"]),
        *rounds,
    ]
    handlers = {RequestError: _request_error, ConfigError: _config_error, HTTPException: _http_error,
                Exception: _internal_error}
    return Starlette(routes=routes, middleware=[Middleware(LocalOnly)], exception_handlers=handlers)


async def _request_error(request: Request, error: RequestError) -> Response:
    return error_response(error.status, error.message, **error.extra)


async def _config_error(request: Request, error: ConfigError) -> Response:
    """A broken configuration file or problem spec where the server runs: the CLI's exit 2, as a 400."""
    return error_response(400, str(error))


async def _http_error(request: Request, error: HTTPException) -> Response:
    if error.status_code == 404:
        message = f"no such page or endpoint: {request.url.path}"
    elif error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed on {request.url.path}" + (f"; use {allowed}" if allowed else "")
    else:
        message = str(error.detail)
    return error_response(error.status_code, message, headers=error.headers)


async def _internal_error(request: Request, error: Exception) -> Response:
    """The last resort: a bug in whiteboard, still answered in JSON (and logged by the server)."""
    return error_response(500, f"internal error: {type(error).__name__}: {error}; this is a bug in whiteboard, "
                               "not in your diagram: please report it with the diagram")


__all__ = ["DEFAULT_PROBLEM", "create_app"]
