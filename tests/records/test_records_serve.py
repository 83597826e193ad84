"""`coach serve`'s guard: token, Origin, session cap (aiohttp's test client on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import gc
import sys

import pytest
from aiohttp import WSServerHandshakeError
from aiohttp.test_utils import TestClient, TestServer

from coach.web.serve import GuardedServer, is_loopback

TOKEN = "s3cret-token"


def _run(check) -> None:
    async def main() -> None:
        server = GuardedServer(f"{sys.executable} -c pass", host="127.0.0.1", port=8000, max_sessions=1, token=TOKEN)
        server.console.quiet = True
        app = await server._make_app()
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            origin = f"http://127.0.0.1:{client.port}"
            server.public_url = origin  # the page as the browser sees it
            await asyncio.wait_for(check(client, server, origin), timeout=20)
        gc.collect()  # release app-process transports while their loop still runs
        await asyncio.sleep(0.05)

    asyncio.run(main())


def test_the_page_needs_the_token_and_then_remembers_it() -> None:
    async def check(client: TestClient, server: GuardedServer, origin: str) -> None:
        assert (await client.get("/")).status == 403
        assert (await client.get("/?token=wrong")).status == 403
        first = await client.get(f"/?token={TOKEN}")
        assert first.status == 200 and "HttpOnly" in first.headers["Set-Cookie"]
        assert "SameSite=Strict" in first.headers["Set-Cookie"]
        assert (await client.get("/static/js/textual.js")).status == 200  # the cookie now carries it
        assert (await client.get("/static/")).status in (403, 404)  # no directory listing

    _run(check)


def test_static_files_need_the_token_too() -> None:
    async def check(client: TestClient, server: GuardedServer, origin: str) -> None:
        assert (await client.get("/static/js/textual.js")).status == 403

    _run(check)


def test_a_foreign_origin_is_refused_even_with_the_token() -> None:
    async def check(client: TestClient, server: GuardedServer, origin: str) -> None:
        response = await client.get(f"/?token={TOKEN}", headers={"Origin": "http://evil.example"})
        assert response.status == 403
        for headers in ({"Origin": "http://evil.example"}, {}):
            with pytest.raises(WSServerHandshakeError) as refused:
                await client.ws_connect(f"/ws?token={TOKEN}", headers=headers)
            assert refused.value.status == 403

    _run(check)


def test_the_websocket_needs_the_token() -> None:
    async def check(client: TestClient, server: GuardedServer, origin: str) -> None:
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": origin})
        assert refused.value.status == 403

    _run(check)


def test_sessions_beyond_the_limit_are_refused() -> None:
    async def check(client: TestClient, server: GuardedServer, origin: str) -> None:
        await client.get(f"/?token={TOKEN}")  # sets the cookie, as the page load does
        first = await client.ws_connect("/ws?width=80&height=24", headers={"Origin": origin})
        for _ in range(100):
            if server.sessions == 1:
                break
            await asyncio.sleep(0.02)
        assert server.sessions == 1
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect("/ws", headers={"Origin": origin})
        assert refused.value.status == 503
        await first.close()
        for _ in range(250):
            if server.sessions == 0:
                break
            await asyncio.sleep(0.02)
        assert server.sessions == 0

    _run(check)


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_access_log_never_holds_the_token(caplog) -> None:
    """aiohttp's access log writes each request line; the token in `?token=` is redacted."""
    async def check(client: TestClient, server: GuardedServer, origin: str) -> None:
        assert (await client.get(f"/?token={TOKEN}&x=1")).status == 200
        assert (await client.get(f"/static/js/textual.js?token={TOKEN}",
                                 headers={"Referer": f"{origin}/?token={TOKEN}"})).status == 200
        client.session.cookie_jar.clear()
        assert (await client.get("/?token=wrong-guess")).status == 403

    import logging

    with caplog.at_level(logging.INFO, logger="aiohttp.access"):
        _run(check)
    lines = [record.getMessage() for record in caplog.records if record.name == "aiohttp.access"]
    assert len(lines) == 3, lines
    assert all(TOKEN not in line for line in lines)
    leaks = [(record.name, key) for record in caplog.records for key, value in vars(record).items() if TOKEN in str(value)]
    assert leaks == []
    assert "GET /?token=<redacted>&x=1" in lines[0]
    assert "token=wrong-guess" not in lines[2]  # a guess may be a near miss of the real one
