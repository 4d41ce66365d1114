"""The `samverkan` command: run, check-config, crypto status, demo."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys

from bot.config import ConfigError, check_config, load_config
from bot.matrix.session import LoginFailed


def _config_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        default=os.environ.get("SAMVERKAN_CONFIG"),
        help="path to the TOML config (or set SAMVERKAN_CONFIG)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="samverkan",
        description="A Matrix bot for regional crisis-management collaboration forums.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot until stopped (SIGTERM/SIGINT stop it cleanly)")
    _config_arg(run)
    check = sub.add_parser("check-config", help="validate the TOML config; exit 1 on error")
    _config_arg(check)
    crypto = sub.add_parser("crypto", help="the bot's end-to-end encryption identity")
    crypto_sub = crypto.add_subparsers(dest="crypto_command", required=True)
    status = crypto_sub.add_parser(
        "status", help="device id, fingerprint, master key and whether the device is cross-signed"
    )
    _config_arg(status)
    sub.add_parser(
        "demo",
        help="play a scripted exchange on a throwaway local homeserver and print the transcript",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    quiet = args.command == "demo" and not args.verbose  # the transcript is the output
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("nio", "alembic", "apscheduler.scheduler", "peewee"):
        logging.getLogger(noisy).setLevel(logging.ERROR if quiet else logging.WARNING)
    if args.command == "check-config":
        return _check_config(args.config)
    if args.command == "run":
        return _run(args.config, verbose=args.verbose)
    if args.command == "crypto":
        from bot.crypto.status import main as crypto_status

        return crypto_status(args.config)
    if args.command == "demo":
        from bot.demo.script import main as demo_main

        return demo_main()
    return 2


def _check_config(path: str | None) -> int:
    if not path:
        print("check-config: give --config PATH or set SAMVERKAN_CONFIG", file=sys.stderr)
        return 2
    problems = check_config(path)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    settings = load_config(path)
    if settings.bot.require_encryption:
        from bot.crypto.room_encryption import check_with_saved_login

        for line in asyncio.run(check_with_saved_login(settings)):
            print(f"warning: {line}", file=sys.stderr)
    print(f"{path}: OK")
    return 0


def _run(path: str | None, *, verbose: bool = False) -> int:
    from bot.app import App
    from bot.observability.logs import configure_logging

    try:
        settings = load_config(path)
        settings.require_login_secret()
        settings.require_web_secrets()
    except ConfigError as err:
        for problem in err.problems:
            print(f"{problem.path}: {problem.message}", file=sys.stderr)
        return 1
    configure_logging(settings, verbose=verbose)

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await App(settings).run_forever(stop)

    try:
        asyncio.run(runner())
    except LoginFailed as exc:
        print(f"login failed: {exc}", file=sys.stderr)
        return 1
    except Exception:  # through the log, so the traceback is formatted and redacted like any line
        logging.getLogger("bot").exception("the bot stopped on an unexpected error")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
