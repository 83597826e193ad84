"""The app in the browser: textual-serve behind a token, an Origin check and a session limit.

textual-serve 1.1.3 checks no Origin and has no login, so any web page a user visits could
open a session, and `/static` lists its folder. `GuardedServer` adds, as aiohttp middleware:
a per-run secret token (in the URL printed at start, then kept in an HttpOnly, SameSite=Strict
cookie so the page's own requests and websocket carry it), refusal of any request whose Origin
is not the served page, no directory listings, and a cap on concurrent sessions.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_SESSIONS = 20
TOKEN_PARAM = "token"
ACCESS_LOG = "aiohttp.access"
_TOKEN_IN_URL = re.compile(rf"([?&]{TOKEN_PARAM}=)[^&\s\"']*")


class TokenRedactor(logging.Filter):
    """Takes the access token out of log records: aiohttp's access log writes every request
    line, and the first request's line carries `?token=...`, the key to every session."""

    def __init__(self, secrets_: Callable[[], list[str]]) -> None:
        super().__init__()
        self.secrets = secrets_

    def redact(self, text: str) -> str:
        text = _TOKEN_IN_URL.sub(r"\1<redacted>", text)
        for secret in self.secrets():
            text = text.replace(secret, "<redacted>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.redact(record.getMessage()), None
        for name, value in list(vars(record).items()):  # extras: first_request_line, request_header...
            if isinstance(value, str) and name not in ("msg", "name", "levelname", "pathname", "filename", "module"):
                setattr(record, name, self.redact(value))
            elif isinstance(value, dict):
                setattr(record, name, {k: self.redact(v) if isinstance(v, str) else v for k, v in value.items()})
        return True


_LIVE_TOKENS: list[str] = []  # of every server in this process, for the one redactor


def redact_access_log() -> None:
    """Install the redactor on aiohttp's access log (once per process)."""
    logger = logging.getLogger(ACCESS_LOG)
    if not any(isinstance(f, TokenRedactor) for f in logger.filters):
        logger.addFilter(TokenRedactor(lambda: _LIVE_TOKENS))


_WEB_FONT = re.compile(r'<link[^>]*href="https?://[^"]*"[^>]*/?>', re.S)
LOCAL_FONT = """<style>
      @font-face { font-family: "Roboto Mono"; font-style: normal;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
      @font-face { font-family: "Roboto Mono"; font-style: italic;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
    </style>"""
"""The page's font, from the fonts textual-serve ships: a room without internet (or one that
should not tell a font host who is training) gets the same page."""


def offline_page(template: str) -> str:
    """textual-serve's page without stylesheets from other hosts, with the local font instead."""
    return _WEB_FONT.sub("", template).replace("</head>", f"  {LOCAL_FONT}\n  </head>", 1)


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, as browsers send it in the Origin header."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class GuardedServer(Server):
    """A textual-serve `Server` that only serves whoever holds this run's token."""

    def __init__(self, command: str, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, *,
                 public_url: str | None = None, max_sessions: int = DEFAULT_MAX_SESSIONS,
                 token: str | None = None, title: str = "coach") -> None:
        super().__init__(command, host=host, port=port, title=title, public_url=public_url)
        self.public_url = self.public_url.rstrip("/")
        self.token = token or secrets.token_urlsafe(24)
        _LIVE_TOKENS.append(self.token)
        self.max_sessions = max_sessions
        self.sessions = 0
        self.cookie = f"coach-token-{port}"

    @property
    def url(self) -> str:
        """The address to open, token included (print it; it is the key)."""
        return f"{self.public_url}/?{TOKEN_PARAM}={self.token}"

    @property
    def origin(self) -> str:
        return origin_of(self.public_url)

    def _valid(self, candidate: str | None) -> bool:
        return candidate is not None and hmac.compare_digest(candidate.encode(), self.token.encode())

    @web.middleware
    async def guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse foreign origins and requests without the token; remember the token in a cookie."""
        origin = request.headers.get("Origin")
        websocket = request.headers.get("Upgrade", "").lower() == "websocket"
        if (origin is not None or websocket) and (origin or "").lower() != self.origin:
            raise web.HTTPForbidden(text="coach: connections are only accepted from the served page\n")
        from_query = self._valid(request.query.get(TOKEN_PARAM))
        if not (from_query or self._valid(request.cookies.get(self.cookie))):
            raise web.HTTPForbidden(text="coach: open the address with ?token=... printed by `coach serve`\n")
        response = await handler(request)
        if not websocket and not response.prepared:
            if from_query:
                response.set_cookie(self.cookie, self.token, httponly=True, samesite="Strict", path="/")
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    async def _make_app(self) -> web.Application:
        """textual-serve's routes, behind `guard`, with no directory listing under /static."""
        redact_access_log()
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(self._offline_template))
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    def _offline_template(self, name: str) -> str | None:
        path = self.templates_path / name
        return offline_page(path.read_text(encoding="utf-8")) if path.is_file() else None

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        """One app process per connection, up to `max_sessions` at once."""
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=f"coach: all {self.max_sessions} sessions are in use; try again later\n")
        self.sessions += 1
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    async def on_startup(self, app: web.Application) -> None:
        self.console.print(f"coach is served at [bold]{self.url}[/bold]", highlight=False, soft_wrap=True)
        self.console.print(f"Up to {self.max_sessions} sessions at once. Press Ctrl+C to stop.", highlight=False)
