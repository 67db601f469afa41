"""The `scrbot` command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.content import Catalogue, ContentError, load_catalogue


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except ConfigError as exc:
        print(f"scrbot: configuration error: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"scrbot: the content has {len(exc.problems)} problem(s):\n{exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scrbot", description="Learning from child Serious Case Reviews, in chat and on the command line."
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    ask = sub.add_parser("ask", help="answer one question (or one per line from stdin with '-')")
    ask.add_argument("question", nargs="+", help="the question, or '-' to read one per line from stdin")
    ask.add_argument("--json", action="store_true", help="print a JSON object per question")
    ask.set_defaults(handler=_ask)

    chat = sub.add_parser("chat", help="talk to scrbot in the terminal (the default main job)")
    chat.set_defaults(handler=_chat)

    themes = sub.add_parser("themes", help="list the themes")
    themes.add_argument("--json", action="store_true")
    themes.set_defaults(handler=_themes)

    show = sub.add_parser("show", help="print one theme in full")
    show.add_argument("theme_id")
    show.set_defaults(handler=_show)

    serve = sub.add_parser("serve", help="run the Slack (and Teams) server with weekly prompts")
    serve.set_defaults(handler=_serve)

    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(title="db commands", metavar="ACTION")
    upgrade = db_sub.add_parser("upgrade", help="run schema migrations (also done at start-up)")
    upgrade.set_defaults(handler=_db_upgrade)

    prompt = sub.add_parser("prompt", help="weekly prompt tools (admins)")
    prompt_sub = prompt.add_subparsers(title="prompt commands", metavar="ACTION")
    send = prompt_sub.add_parser("send", help="post this week's prompt to a channel now")
    send.add_argument("--platform", choices=("slack", "teams"), default="slack", help="where the channel is")
    send.add_argument(
        "--channel", required=True, help="Slack channel id (C0123ABCD), or the Teams channel's conversation id"
    )
    send.add_argument(
        "--workspace",
        help="Slack team id (default: the token's own workspace); for Teams, the tenant id (required)",
    )
    send.add_argument("--now", action="store_true", required=True, help="post immediately")
    send.set_defaults(handler=_prompt_send)

    doctor = sub.add_parser("doctor", help="check configuration, content, store and Slack token")
    doctor.set_defaults(handler=_doctor)

    starter = sub.add_parser("starter", help="write a printable one-page team discussion starter")
    starter.add_argument("theme_id", metavar="THEME", help="the theme id (see `scrbot themes`)")
    starter.add_argument("--format", choices=("md", "html"), default="md", help="markdown or printable HTML")
    starter.add_argument("--out", metavar="FILE", help="write to FILE instead of printing")
    starter.set_defaults(handler=_starter)

    report = sub.add_parser("report", help="reflection figures for the Safeguarding Partnership")
    report.add_argument("--since", required=True, type=_day, metavar="DATE", help="first day, YYYY-MM-DD")
    report.add_argument("--until", type=_day, metavar="DATE", help="last day, inclusive (default: today)")
    report.add_argument(
        "--format",
        choices=("text", "csv", "html", "png"),
        default="text",
        help="csv has one row per reflection with a pseudonymous key, never a user id or text",
    )
    report.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    report.add_argument("--workspace", metavar="TEAM_ID", help="only this workspace")
    report.add_argument(
        "--no-members",
        action="store_true",
        help="skip participation (otherwise channel members are read from Slack when configured)",
    )
    report.set_defaults(handler=_report)

    content = sub.add_parser("content", help="content tools")
    content_sub = content.add_subparsers(title="content commands", metavar="ACTION")
    check = content_sub.add_parser("check", help="validate a content folder")
    check.add_argument("folder", nargs="?", help="content folder (default: the configured one)")
    check.set_defaults(handler=_content_check)
    return parser


def _catalogue(settings: Settings) -> Catalogue:
    return load_catalogue(settings.content_dir)


def _conversation(settings: Settings):
    from bot.conversation import Conversation
    from bot.engine import Engine

    return Conversation(Engine(_catalogue(settings)), settings.urgent_contacts)


def _ask(args: argparse.Namespace) -> int:
    from bot.console import answer

    settings = load_settings()
    conversation = _conversation(settings)
    engine = conversation.engine
    if args.question == ["-"]:
        for line in sys.stdin:
            question = line.rstrip("\n")
            if args.json:
                print(json.dumps(engine.answer(question).as_json(), ensure_ascii=False), flush=False)
            else:
                print(answer(conversation, question))
        sys.stdout.flush()
        return 0
    question = " ".join(args.question)
    if args.json:
        print(json.dumps(engine.answer(question).as_json(), ensure_ascii=False))
    else:
        print(answer(conversation, question), end="")
    return 0


def _chat(args: argparse.Namespace) -> int:
    from bot.console import run_chat

    run_chat(_conversation(load_settings()))
    return 0


def _themes(args: argparse.Namespace) -> int:
    catalogue = _catalogue(load_settings())
    if args.json:
        print(json.dumps([{"id": t.id, "title": t.title} for t in catalogue], ensure_ascii=False))
    else:
        width = max(len(t.id) for t in catalogue)
        for theme in catalogue:
            print(f"{theme.id:<{width}}  {theme.title}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from bot.console import render

    conversation = _conversation(load_settings())
    theme = conversation.catalogue.get(args.theme_id)
    if theme is None:
        from bot.engine import Engine

        guess = Engine(conversation.catalogue).answer(args.theme_id.replace("-", " "))
        hint = f" Did you mean '{guess.theme.id}'?" if guess.theme else ""
        print(f"scrbot: no theme with id '{args.theme_id}'.{hint} Run `scrbot themes` for the list.", file=sys.stderr)
        return 1
    print(render(conversation.answer(theme)), end="")
    print(render(conversation.theme_part(theme, "more")), end="")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import asyncio

    from bot.observability import configure_logging
    from bot.server import create_app, require_slack, run_server
    from bot.services import Services

    settings = load_settings()
    configure_logging(
        secrets=(settings.slack_signing_secret, settings.person_key_secret, settings.teams_app_password),
        level=settings.log_level,
    )
    if settings.slack_enabled:
        require_slack(settings)
    services = Services.build(settings)  # refuses to start on invalid content (ContentError)
    app = create_app(services)  # Slack and Teams as settings.slack_enabled / teams_enabled say
    asyncio.run(run_server(app, settings.port, settings.shutdown_grace_seconds, host=settings.host))
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    import asyncio

    from bot.store import default_database_url, upgrade

    settings = load_settings()
    url = settings.database_url or default_database_url()
    asyncio.run(upgrade(url))
    print(f"database is up to date ({url.split('://', 1)[0]})")
    return 0


def _prompt_send(args: argparse.Namespace) -> int:
    import asyncio

    return asyncio.run(_prompt_send_async(args))


async def _prompt_send_async(args: argparse.Namespace) -> int:
    from bot.schedule.service import WeeklyPrompts
    from bot.server import prompt_posters, require_slack, require_teams
    from bot.services import Services
    from bot.store import open_store

    settings = load_settings()
    platform = args.platform
    if platform == "teams":
        require_teams(settings)
        if not args.workspace:
            raise ConfigError("--workspace is required for Teams: the tenant id of the team")
    else:
        require_slack(settings)
    services = Services.build(settings)
    services.store = open_store(settings.database_url)
    try:
        await services.store.migrate()
        posters = prompt_posters(services)
        workspace = args.workspace or (await posters["slack"].client.auth_test())["team_id"]
        outcome = await WeeklyPrompts(services, posters).send_now(platform, workspace, args.channel)
    finally:
        await services.store.close()
    messages = {
        "posted": f"posted '{outcome.theme_id}' to {args.channel} (message {outcome.message_ts})",
        "already": f"this week's prompt for {args.channel} was already posted ({outcome.detail})",
        "skipped": f"not posted: {outcome.detail}",
        "failed": f"{platform.title()} refused the post: {outcome.detail}",
        "retry": f"not confirmed ({outcome.detail}); the running server will reconcile it",
    }
    print(messages.get(outcome.status, outcome.status))
    return 0 if outcome.status in ("posted", "already") else 1


def _day(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-01-31") from None


def _report(args: argparse.Namespace) -> int:
    import asyncio

    if args.format == "png" and not args.out and sys.stdout.isatty():
        print("scrbot: a PNG chart needs --out FILE", file=sys.stderr)
        return 2
    data = asyncio.run(_report_async(args))
    if data is None:
        return 1
    if args.out:
        from pathlib import Path

        Path(args.out).write_bytes(data)
        print(f"wrote the {args.format} report to {args.out}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


async def _report_async(args: argparse.Namespace) -> bytes | None:
    from datetime import UTC, datetime, time, timedelta

    from bot.reflections.reports import gather_report, render
    from bot.server import channel_members
    from bot.services import Services
    from bot.store import open_store

    settings = load_settings()
    until = args.until or datetime.now(UTC).date()
    if until < args.since:
        print("scrbot: --until is before --since", file=sys.stderr)
        return None
    start = datetime.combine(args.since, time(), UTC)
    end = datetime.combine(until + timedelta(days=1), time(), UTC)
    services = Services.build(settings)
    services.store = open_store(settings.database_url)
    try:
        await services.store.migrate()
        members = None if args.no_members else channel_members(settings, services.store)
        report = await gather_report(
            services.store,
            services.catalogue,
            start,
            end,
            workspace_id=args.workspace,
            members=members,
            keys=await services.person_keys() if members is not None else None,
            rows=args.format == "csv",
        )
    finally:
        await services.store.close()
    return render(report, args.format)


def _starter(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.handouts import handout

    catalogue = _catalogue(load_settings())
    theme = catalogue.get(args.theme_id)
    if theme is None:
        print(f"scrbot: no theme with id '{args.theme_id}'. Run `scrbot themes` for the list.", file=sys.stderr)
        return 1
    text = handout(theme, args.format)
    if not args.out:
        print(text, end="")
        return 0
    try:
        Path(args.out).write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"scrbot: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({theme.title}, {args.format})")
    return 0


def _content_check(args: argparse.Namespace) -> int:
    folder = args.folder or load_settings().content_dir
    try:
        catalogue = load_catalogue(folder)
    except ContentError as exc:
        print(f"{folder}: {len(exc.problems)} problem(s)", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"{folder}: OK, {len(catalogue)} themes, urgent signposting present")
    return 0


def _doctor(args: argparse.Namespace) -> int:
    from bot.doctor import main as doctor

    return doctor()


if __name__ == "__main__":
    sys.exit(main())
