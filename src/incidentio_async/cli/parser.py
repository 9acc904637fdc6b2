"""The command line: ``incidentio-async <resource> <action> [options]``, from the operations."""

from __future__ import annotations

import argparse

from .._operation import Param
from .operations import ACTION_ALIASES, NULL_FLAGS, OPTION_ALIASES, Command, kebab, resources
from .output import ALL_COLUMNS, FORMATS, available_columns, columns_for
from .sync import add_sync_command
from .webhooks import add_webhook_commands

DESCRIPTION = """\
Work with incident.io from the command line: one command per API operation
(incidentio-async follow-ups-v3 list --updated-since 2025-01-01T00:00:00Z).
The API key comes from INCIDENT_API_KEY; --fake uses an embedded fake incident.io
with sample data instead (no network, no key).

exit codes: 0 ok, 1 other API error, 2 usage or configuration, 3 authentication or
permission, 4 not found, 5 invalid request, 6 rate limited, 7 network or timeout,
130 interrupted
"""

DEFAULT_CONCURRENCY = 8
"""``--concurrency`` of a list that can be partitioned: most of the speed-up for at most a
few percent more requests (see BENCHMARKS.md)."""

FILTER_WORDS = {"gte": "since", "lte": "until"}
"""``--updated-since`` for ``updated_at[gte]``, ``--updated-until`` for ``[lte]``."""


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
    groups = parser.add_subparsers(dest="resource", required=True, metavar="RESOURCE")
    for name, tag, aliases, commands in resources():
        retiring = all(command.operation.deprecation for command in commands)
        group = groups.add_parser(
            name,
            aliases=aliases,
            help=f"{tag} (deprecated by incident.io)" if retiring else tag,
            parents=[common],
        )
        actions = group.add_subparsers(dest="action", required=True, metavar="ACTION")
        for command in commands:
            _add_command(actions, command, common)
            if command.operation.changes_by:
                add_sync_command(actions, command.resource, command.noun, common)

    demo = groups.add_parser(
        "demo", help="a tour of the client against the embedded fake", parents=[common]
    )
    demo.set_defaults(action="run", command=None)
    demo.add_argument("--updates", type=int, default=5000, help="incident updates to export")
    demo.add_argument("--latency-ms", type=float, default=20.0, help="fake network latency")
    demo.add_argument("--output", help="where to write the export (default: a temp file)")
    add_webhook_commands(groups)
    return parser


def _add_command(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    command: Command,
    common: argparse.ArgumentParser,
) -> None:
    operation = command.operation
    description = f"{command.tag}: {command.words} ({operation.method} {operation.path})."
    if operation.deprecation:
        # The command runs without a warning (it is for the code calling the library): the
        # help says it instead, with the date and the replacement.
        description += f" {operation.deprecation}."
    parser = actions.add_parser(
        command.action,
        aliases=list(ACTION_ALIASES.get(command.action, ())),
        help=command.help,
        description=description,
        parents=[common],
    )
    parser.set_defaults(command=command)
    for param in operation.params:
        _add_argument(parser, param, operation.pagination is not None)
    parser.add_argument(
        "--output",
        metavar="FILE",
        help="write to FILE, replacing it only if the command succeeds (default: stdout)",
    )
    if operation.model is not None:
        usual = ",".join(column.header for column in columns_for(operation.model))
        every = ", ".join(available_columns(operation.model))
        parser.add_argument(
            "--columns",
            metavar="NAME,...",
            help=f"columns of table and csv output (default {usual}; {ALL_COLUMNS}: every "
            f"one); nested fields with dots. Columns: {every}",
        )
    if operation.pagination is not None:
        parser.add_argument(
            "--max-items",
            *OPTION_ALIASES.get("max_items", ()),
            dest="max_items",
            type=int,
            help="stop after this many records",
        )
    if operation.partition_by is not None:
        parser.add_argument(
            "--concurrency",
            type=int,
            default=DEFAULT_CONCURRENCY,
            metavar="N",
            help=f"partitions of the {operation.partition_by} range fetched at once; the "
            f"records and their order do not change (default {DEFAULT_CONCURRENCY}, 1: one "
            "cursor chain)",
        )


def _add_argument(parser: argparse.ArgumentParser, param: Param, paginated: bool) -> None:
    dest = f"arg_{param.name}"
    help_text = param.description or None
    if param.location == "path":
        parser.add_argument(dest, metavar=param.name.upper(), help=help_text)
        return
    names = [f"--{kebab(param.name)}", *OPTION_ALIASES.get(param.name, ())]
    if param.kind == "filter":
        _add_filter(parser, param, dest)
        return
    options: dict[str, object] = {"dest": dest, "help": help_text, "metavar": param.name.upper()}
    if param.kind == "array":
        singular = param.name.removesuffix("s")
        if singular != param.name:
            names.append(f"--{kebab(singular)}")
        options.update(action="append", help=f"{param.description} (repeat for several)")
    elif param.kind == "integer":
        options["type"] = int
        if paginated and param.maximum is not None and param.name == "page_size":
            # The largest page means the fewest requests against the rate limit.
            options["default"] = int(param.maximum)
            options["help"] = f"records per request (default {int(param.maximum)})"
    elif param.kind == "number":
        options["type"] = float
    elif param.kind == "boolean":
        options["action"] = argparse.BooleanOptionalAction
        del options["metavar"]
    elif param.kind == "enum" and param.enum is not None:
        known = ", ".join(str(member.value) for member in param.enum)
        options["help"] = f"{param.description} ({known})".strip()
    if param.required and not param.generated_key:
        options["required"] = True
    parser.add_argument(*names, **options)  # type: ignore[arg-type]
    if param.nullable:
        parser.add_argument(
            f"--clear-{kebab(param.name)}",
            *NULL_FLAGS.get(param.name, ()),
            dest=f"clear_{param.name}",
            action="store_true",
            help=f"send {param.name} as null (to unset it)",
        )


def _add_filter(parser: argparse.ArgumentParser, param: Param, dest: str) -> None:
    operators = param.operators or ("OP",)
    parser.add_argument(
        f"--{kebab(param.name)}",
        dest=dest,
        action="append",
        metavar="OP=VALUE",
        help=f"{param.description} ({', '.join(operators)}=VALUE; repeat for several)",
    )
    stem = param.name.removesuffix("_at")
    if stem == param.name:
        return
    for operator, word in FILTER_WORDS.items():
        if operator in param.operators:
            parser.add_argument(
                f"--{kebab(stem)}-{word}",
                dest=f"{dest}__{operator}",
                metavar="TIME",
                help=f"same as --{kebab(param.name)} {operator}=TIME",
            )
