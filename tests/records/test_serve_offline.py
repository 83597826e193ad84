"""Issue 13: `coach serve` works offline (no font from a web host) and says plainly when its
port is taken, instead of printing its address and then a traceback."""

from __future__ import annotations

import re
import socket

from coach.cli import main
from tests.records.test_records_serve import TOKEN, _run

URLS = re.compile(r'(?:src|href|url)\s*[=(]\s*"((?:https?:)?//[^"]*)"', re.I)


def test_the_page_loads_nothing_from_another_host_and_serves_its_font() -> None:
    async def check(client, server, origin) -> None:
        page = await (await client.get(f"/?token={TOKEN}")).text()
        foreign = [url for url in URLS.findall(page) if not url.startswith(origin + "/")]
        assert not foreign
        assert "googleapis" not in page and "@font-face" in page
        [font] = re.findall(r'url\("([^"]+RobotoMono-VariableFont_wght\.ttf)"\)', page)
        response = await client.get(font.removeprefix(origin))
        assert response.status == 200 and len(await response.read()) > 10_000

    _run(check)


def test_a_taken_port_is_one_clear_line_and_nothing_is_served(capsys, tmp_path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code = main(["serve", "--port", str(port), "--db", str(tmp_path / "r.sqlite3")])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"port {port} on 127.0.0.1 is taken" in err and "--port" in err
    assert "Traceback" not in err and "token=" not in out + err
