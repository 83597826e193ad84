"""`coach serve`: the app in the browser for a room, guarded by a per-run token."""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import socket
import sys


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    from coach.cli.history import add_db_option

    parser = subparsers.add_parser(
        "serve", parents=[common], help="serve the app in the browser",
        description="Serve the app in the browser (one session per browser tab). Open the printed address: "
                    "it carries this run's access token.")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, default=8000, help="port, 1-65535 (default 8000)")
    parser.add_argument("--public-url", metavar="URL",
                        help="the address browsers use, if not http://HOST:PORT (e.g. behind a proxy)")
    parser.add_argument("--max-sessions", type=int, default=20, metavar="N",
                        help="concurrent sessions allowed (default 20)")
    parser.add_argument("--workshop", metavar="NAME", help="tag every session with this workshop")
    parser.add_argument("--participant", metavar="NAME", help="tag every session with this participant")
    add_db_option(parser)
    parser.set_defaults(run=run)


def check_port(host: str, port: int) -> None:
    """Refuse a port out of range or one another program listens on, before the address is printed."""
    from coach.errors import CoachError

    if not 1 <= port <= 65535:
        raise CoachError(f"port {port} is out of range: choose one from 1 to 65535 with --port")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise CoachError(f"cannot serve on host {host!r}: {exc.strerror}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is no obstacle
        try:
            probe.bind(address)
        except OSError as exc:
            why = "is taken by another program" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
            raise CoachError(f"port {port} on {host} {why}: choose another with --port") from None


def app_command(scenarios: list[str]) -> str:
    """The shell command textual-serve runs per connection: this coach, same interpreter."""
    parts = [sys.executable, "-m", "coach"]
    for path in scenarios:
        parts += ["--scenarios", os.path.abspath(path)]
    return " ".join(shlex.quote(part) for part in parts)


def run(args: argparse.Namespace) -> int:
    from coach.cli.history import open_store
    from coach.errors import CoachError
    from coach.records import ENV_DB, ENV_PARTICIPANT, ENV_WORKSHOP
    from coach.web.serve import GuardedServer, is_loopback

    if args.max_sessions < 1:
        raise CoachError("--max-sessions must be at least 1")
    check_port(args.host, args.port)
    with open_store(args) as store:  # a bad database or workshop name is reported now, not per session
        if args.workshop:
            store.workshop(args.workshop)
        os.environ[ENV_DB] = str(store.path.resolve())
    os.environ["COACH_SERVED"] = "1"  # coach.app.settings.ENV_SERVED: sessions keep no settings of their own
    for name, value in ((ENV_WORKSHOP, args.workshop), (ENV_PARTICIPANT, args.participant)):
        if value:
            os.environ[name] = value  # the app processes inherit these
    public_url = args.public_url
    if not is_loopback(args.host):
        shown = socket.gethostname() if args.host in ("0.0.0.0", "::") else args.host
        public_url = public_url or f"http://{shown}:{args.port}"
        print(f"warning: serving on {args.host}: anyone who can reach this machine and has the address with its "
              f"token can open sessions, over unencrypted HTTP. Browsers must use exactly {public_url}.",
              file=sys.stderr)
    server = GuardedServer(app_command(args.scenarios), host=args.host, port=args.port, public_url=public_url,
                           max_sessions=args.max_sessions)
    try:
        server.serve()
    except OSError as exc:  # taken between the check and now, or refused by the system
        raise CoachError(f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}") from None
    return 0
