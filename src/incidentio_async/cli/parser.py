"""The command line: ``incidentio-async <resource> <action> [options]``."""

from __future__ import annotations

import argparse

from .output import FORMATS

DESCRIPTION = """\
Work with incident.io follow-ups and incident updates from the command line.
The API key comes from INCIDENT_API_KEY; --fake uses an embedded fake incident.io
with sample data instead (no network, no key).

exit codes: 0 ok, 1 other API error, 2 usage or configuration, 3 authentication or
permission, 4 not found, 5 invalid request, 6 rate limited, 7 network or timeout,
130 interrupted
"""


def _common_options() -> argparse.ArgumentParser:
    # Accepted before or after the subcommand; SUPPRESS keeps a later parser's default from
    # overwriting a value given earlier.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-o",
        "--format",
        choices=FORMATS,
        default=argparse.SUPPRESS,
        help="output format (default: table on a terminal, json otherwise)",
    )
    common.add_argument(
        "--fake",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded fake incident.io with sample data",
    )
    common.add_argument(
        "--base-url",
        default=argparse.SUPPRESS,
        help="API base URL (default: INCIDENT_API_BASE_URL or the public API)",
    )
    common.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=argparse.SUPPRESS,
        help="progress on stderr while paging (default: on when stderr is a terminal)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``incidentio-async`` command."""
    common = _common_options()
    parser = argparse.ArgumentParser(
        prog="incidentio-async",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    resources = parser.add_subparsers(dest="resource", required=True, metavar="RESOURCE")

    follow_ups = resources.add_parser(
        "follow-ups", help="incident follow-ups (Follow-ups V2)", parents=[common]
    )
    actions = follow_ups.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="list follow-ups", parents=[common])
    listing.add_argument("--incident-id")
    listing.add_argument(
        "--incident-mode", help="standard, retrospective, test, tutorial or stream"
    )
    listing.add_argument("--assignee-team-id")

    show = actions.add_parser("get", help="show one follow-up", parents=[common])
    show.add_argument("id")

    create = actions.add_parser("create", help="create a follow-up", parents=[common])
    create.add_argument("--incident-id", required=True)
    create.add_argument("--title", required=True)
    _optional_fields(create)

    update = actions.add_parser("update", help="update a follow-up", parents=[common])
    update.add_argument("id")
    update.add_argument("--title", required=True)
    update.add_argument("--status", required=True, help="outstanding, completed or not_doing")
    _optional_fields(update)
    update.add_argument("--unassign", action="store_true", help="remove the assignee")
    update.add_argument("--unassign-team", action="store_true", help="remove the assigned team")

    delete = actions.add_parser("delete", help="delete a follow-up", parents=[common])
    delete.add_argument("id")

    connect = actions.add_parser(
        "connect", help="link a follow-up to an issue tracker issue", parents=[common]
    )
    connect.add_argument("id")
    connect.add_argument("--provider", required=True, help="e.g. linear, jira, github")
    connect.add_argument("--url", required=True, help="the issue's URL")

    updates = resources.add_parser(
        "incident-updates", help="incident updates (Incident Updates V2)", parents=[common]
    )
    update_actions = updates.add_subparsers(dest="action", required=True, metavar="ACTION")
    update_list = update_actions.add_parser(
        "list", help="list incident updates, across pages", parents=[common]
    )
    update_list.add_argument("--incident-id")
    update_list.add_argument(
        "--page-size", type=int, default=250, help="records per request, 1-250 (default 250)"
    )
    update_list.add_argument("--limit", type=int, help="stop after this many records")

    demo = resources.add_parser(
        "demo", help="a tour of the client against the embedded fake", parents=[common]
    )
    demo.set_defaults(action="run")
    demo.add_argument("--updates", type=int, default=5000, help="incident updates to export")
    demo.add_argument("--latency-ms", type=float, default=20.0, help="fake network latency")
    demo.add_argument("--output", help="where to write the export (default: a temp file)")
    return parser


def _optional_fields(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--description")
    parser.add_argument("--assignee-id")
    parser.add_argument("--assignee-team-id")
    parser.add_argument("--category-id", dest="follow_up_category_id")
    parser.add_argument("--priority-id", dest="follow_up_priority_option_id")
    parser.add_argument(
        "--label", dest="labels", action="append", help="a label (repeat for several)"
    )
