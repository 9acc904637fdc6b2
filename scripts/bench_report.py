"""Render the figures of scripts/bench.py as BENCHMARKS.md, with every target checked."""

from __future__ import annotations

from typing import Any

PAGINATION_TARGET_SLACK = 1.02
"""The pager takes at most this many times as long as the raw httpx loop (issue 12)."""

PARSE_BEFORE_TYPE_CHECKS = 0.58
"""Our parse time as a fraction of the official SDK's before the models checked scalar types
(BENCHMARKS.md of 2026-11-24: 7.99 vs 13.71 us per record)."""

PARSE_SLOWDOWN_ALLOWED = 1.10
"""The type checks may cost at most this factor of the parse time (issue 12)."""

IMPORT_TARGET = 1.3
"""``import incidentio_async`` (httpx included) takes at most this many times ``import httpx``."""

QUIET_TELEMETRY_SHARE = 0.01
"""With nothing watching (no hook, no OpenTelemetry), the observation path costs at most this
share of a call's client CPU (issue 21: "within noise of today")."""


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _number(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(target, what was measured, met?) for every target of the benchmark issues."""
    checks: list[tuple[str, str, bool]] = []
    pagination = results["pagination"]
    for label in ("no work", "40 ms per page"):
        table = pagination[label]
        ours, raw, official = table["ours"], table["raw httpx"], table["official"]
        checks.append(
            (
                f"pagination ({label}): ours within {PAGINATION_TARGET_SLACK - 1:.0%} of "
                "the raw httpx loop",
                f"ours {ours['wall_s']:.2f}s vs raw {raw['wall_s']:.2f}s "
                f"({ours['wall_s'] / raw['wall_s']:.3f}x)",
                ours["wall_s"] <= raw["wall_s"] * PAGINATION_TARGET_SLACK,
            )
        )
        checks.append(
            (
                f"pagination ({label}): ours clearly faster than the official loop",
                f"ours {ours['wall_s']:.2f}s vs official {official['wall_s']:.2f}s "
                f"({official['wall_s'] / ours['wall_s']:.2f}x faster)",
                ours["wall_s"] * 1.03 < official["wall_s"],
            )
        )
    # Hiding the network means taking about as long as the longer of the two chains alone:
    # the cursor chain with no work (raw httpx, no work) or the consumer's work.
    worked = pagination["40 ms per page"]
    floor = max(pagination["no work"]["raw httpx"]["wall_s"], worked["ours"]["bound_s"])
    checks.append(
        (
            "lookahead hides the network under a 40 ms/page consumer",
            f"ours {worked['ours']['wall_s']:.2f}s vs {floor:.2f}s for the longer of the "
            f"network chain and the work alone ({worked['ours']['wall_s'] / floor:.2f}x); "
            f"without lookahead raw httpx takes {worked['raw httpx']['wall_s']:.2f}s",
            worked["ours"]["wall_s"] <= floor * 1.10,
        )
    )
    cpu = pagination["no work"]
    checks.append(
        (
            "client CPU per request no worse than official",
            f"ours {cpu['ours']['cpu_ms_per_request']:.2f} ms vs official "
            f"{cpu['official']['cpu_ms_per_request']:.2f} ms",
            cpu["ours"]["cpu_ms_per_request"] <= cpu["official"]["cpu_ms_per_request"],
        )
    )
    parse = results["parse"]["us_per_record"]
    checks.append(
        (
            "parse per record no worse than official",
            f"ours {parse['ours']:.2f} us vs official {parse['official']:.2f} us",
            parse["ours"] <= parse["official"],
        )
    )
    allowed = PARSE_BEFORE_TYPE_CHECKS * PARSE_SLOWDOWN_ALLOWED
    checks.append(
        (
            f"parse with type checks at most {PARSE_SLOWDOWN_ALLOWED - 1:.0%} slower than "
            f"before them ({PARSE_BEFORE_TYPE_CHECKS:.2f}x official then)",
            f"ours {parse['ours'] / parse['official']:.2f}x official "
            f"(at most {allowed:.2f}x allowed)",
            parse["ours"] / parse["official"] <= allowed,
        )
    )
    memory = results["memory"]
    growth = memory["growth_at_quarters_mib"]
    checks.append(
        (
            "flat memory while iterating 100,000 records",
            "RSS growth after 25/50/75/100% of the records: "
            + " / ".join(f"{g:.1f}" for g in growth)
            + " MiB",
            max(growth) - min(growth) <= 2.0 and memory["peak_growth_mib"] <= 16,
        )
    )
    for setting, figures in _import_settings(results["import"]):
        checks.append(
            (
                f"import incidentio_async <= {IMPORT_TARGET}x import httpx ({setting})",
                f"{figures['incidentio_async'] * 1000:.1f} ms vs "
                f"{figures['httpx'] * 1000:.1f} ms ({figures['ratio']:.2f}x)",
                figures["ratio"] <= IMPORT_TARGET,
            )
        )
    telemetry = results.get("telemetry")
    if telemetry is not None:
        checks.append(
            (
                "telemetry off (no hook, no OpenTelemetry): the observation path costs under "
                f"{QUIET_TELEMETRY_SHARE:.0%} of a call's client CPU",
                f"{telemetry['quiet_path_ns']:.0f} ns of {telemetry['us_per_call']['off']:.0f} us "
                f"({telemetry['quiet_share']:.2%})",
                telemetry["quiet_share"] <= QUIET_TELEMETRY_SHARE,
            )
        )
    if "webhooks" in results:
        checks.append(webhook_target(results["webhooks"]))
    for row in results.get("ratelimit", {}).get("rows", []):
        if row.get("contender") != "ours" or "target_fraction" not in row:
            continue
        checks.append(
            (
                f"rate limit, {row['setup']}: >= {row['target_fraction']:.2f} of ideal, no 429s",
                f"{_number(row.get('fraction_of_ideal'), '.3f')} of ideal, "
                f"{row.get('rejected', 'n/a')} 429s"
                if row.get("fraction_of_ideal") is not None
                else "not run (see the rate-limit section)",
                bool(row["met"]),
            )
        )
    if "export" in results:
        from bench_export import targets as export_targets

        checks += export_targets(results["export"])
    if "cpu" in results:
        from bench_cpu import targets as cpu_targets

        checks += cpu_targets(results["cpu"])
    checks += _ratelimit_scope_targets(results.get("ratelimit", {}))
    return checks


FAIRNESS_P99_SLACK = 1.05
FAIRNESS_THROUGHPUT_SLACK = 0.98
"""Serving waiters by call start must not make p99 per call worse than first come, first
served (beyond this noise), nor throughput lower."""


def _ratelimit_scope_targets(ratelimit: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """The targets of the mixed workload (issue 17) and of fairness (issue 20)."""
    checks: list[tuple[str, str, bool]] = []
    for row in ratelimit.get("mixed", []):
        if row.get("target_fraction") is None and row.get("status") == "ok":
            continue  # a quick run: no targets
        measured = (
            f"{_number(row.get('fraction_of_alone'), '.3f')} of alone, "
            f"{row.get('bulk_429s')} 429s on the GETs, slow calls {row.get('slow_ok')} ok / "
            f"{row.get('slow_failed')} failed"
            if row.get("status") == "ok"
            else f"not run: {row.get('note', '')}"
        )
        checks.append(
            (
                f"rate limit, GETs beside a saturated slow operation, {row['setup']}: >= "
                f"{row.get('target_fraction') or 0.97:.2f} of the GETs alone, no 429s on them, "
                "every slow call succeeds",
                measured,
                bool(row.get("met")),
            )
        )
    fairness = ratelimit.get("fairness")
    if fairness and not fairness.get("quick"):
        for verdict in fairness["verdicts"]:
            checks.append(
                (
                    f"fairness ({verdict['case']}): waiters by call start, p99 per call no "
                    "worse than first come first served, throughput no lower",
                    f"p99 {verdict['p99_ratio']:.2f}x, throughput "
                    f"{verdict['throughput_ratio']:.3f}x of FIFO's",
                    verdict["p99_ratio"] <= FAIRNESS_P99_SLACK
                    and verdict["throughput_ratio"] >= FAIRNESS_THROUGHPUT_SLACK,
                )
            )
    return checks


def _reruns(reruns: dict[str, str]) -> str:
    """Which scenarios were measured again alone (``bench.py --only``) since the full run."""
    if not reruns:
        return ""
    listed = ", ".join(f"{name} at {when}" for name, when in sorted(reruns.items()))
    return f" Measured again alone since (`bench.py --only`), on the code of that moment: {listed}."


def render(results: dict[str, Any]) -> str:
    """BENCHMARKS.md for one run of scripts/bench.py."""
    machine = results["machine"]
    out = [
        "# Benchmarks",
        "",
        f"`make bench` on {machine['date']}: {machine['cpu']}, {machine['cores']} cores, "
        f"Python {machine['python']}, httpx {machine['httpx']} ({machine['platform']}). "
        "Contenders run interleaved in one run, round after round; figures are medians "
        "(parse: best of several rounds) and ratios, because this machine is shared and noisy. "
        "Raw figures: `bench-results/bench.json`."
        + (" **Quick run: fewer rounds.**" if results.get("quick") else "")
        + _reruns(results.get("reruns", {})),
        "",
        "## Targets",
        "",
        _table(
            ["Target", "Measured", "Result"],
            [[target, measured, _met(ok)] for target, measured, ok in targets(results)],
        ),
        "",
    ]
    out += _plainly(results)
    out += _pagination(results["pagination"])
    out += _parse(results["parse"])
    out += _memory(results["memory"])
    out += _imports(results["import"])
    if "cpu" in results:
        from bench_cpu import section as cpu_section

        out += cpu_section(results["cpu"], results.get("parse"))
    if "telemetry" in results:
        out += _telemetry(results["telemetry"])
    if "webhooks" in results:
        out += webhooks_section(results["webhooks"])
    if "ratelimit" in results:
        out += _ratelimit(results["ratelimit"])
    if "export" in results:
        out += _export(results["export"])
    return "\n".join(out) + "\n"


def _plainly(results: dict[str, Any]) -> list[str]:
    """What the targets table rounds off, said in words."""
    notes = []
    idle = results["pagination"]["no work"]
    ours, raw, official = (
        idle["ours"]["wall_s"],
        idle["raw httpx"]["wall_s"],
        idle["official"]["wall_s"],
    )
    if ours > raw:
        notes.append(
            f"With a consumer that does nothing, our pager is {ours / raw - 1:.1%} slower than "
            "the raw httpx loop, which builds no models; the official loop, which builds them "
            f"after each response, is {official / raw - 1:.1%} slower. We build them while the "
            "next request is in flight, so most of that cost leaves the cursor chain, not all "
            "of it."
        )
    else:
        notes.append(
            f"With a consumer that does nothing, our pager is {1 - ours / raw:.1%} faster than "
            "the raw httpx loop, though it builds every model and the loop builds none: it "
            "reads the next cursor from the end of the body and sends the next request before "
            "decoding the page, while the loop must decode all of it first. The official loop, "
            f"which also builds models before its next request, is {official / raw - 1:.1%} "
            "slower than the raw one."
        )
    notes.append(
        f"With a consumer that does nothing, ours is {official / ours - 1:.0%} faster than the "
        "official loop: both wait on the same sequential chain of requests. The difference "
        "grows when the consumer works, because our next page is already in flight."
    )
    missed = [target for target, _, ok in targets(results) if not ok]
    if missed:
        notes.append("Missed in this run: " + "; ".join(missed) + ".")
    return ["Said plainly:", "", *[f"- {note}" for note in notes], ""]


def _pagination(pagination: dict[str, Any]) -> list[str]:
    out = [
        f"## Pagination: {pagination['pages'] * pagination['page_size']:,} incident updates "
        f"({pagination['pages']} pages x {pagination['page_size']}), "
        f"{pagination['latency_s'] * 1000:.0f} ms latency per request",
        "",
        "The fake incident.io served by uvicorn in another process. Every run is a fresh "
        "process holding one contender (as an application holds one SDK; in a shared process "
        "each garbage collection would also walk the other contenders' modules), warmed up by "
        "two untimed pages; CPU is that process's. "
        "Ours: `async for page in client.incident_updates.list(...).pages()`. "
        "Official: the cursor loop from its README (`incident_updates_v2_list.asyncio`). "
        "Raw httpx: GET, `json.loads`, next cursor, no models. The bound is pages x "
        "max(latency, work per page).",
        "",
    ]
    for label in ("no work", "40 ms per page"):
        table = pagination[label]
        rows = [
            [
                name,
                f"{row['wall_s']:.2f}",
                f"{row['wall_over_bound']:.2f}x",
                f"{row['wall_s'] / table['raw httpx']['wall_s']:.2f}x",
                f"{row['cpu_s']:.2f}",
                f"{row['cpu_ms_per_request']:.2f}",
            ]
            for name, row in table.items()
        ]
        out += [
            f"Consumer: {label}.",
            "",
            _table(
                [
                    "Contender",
                    "Wall (s)",
                    "Wall / bound",
                    "Wall / raw httpx",
                    "CPU (s)",
                    "CPU per request (ms)",
                ],
                rows,
            ),
            "",
        ]
    return out


def _parse(parse: dict[str, Any]) -> list[str]:
    per_record = parse["us_per_record"]
    rows = [
        [name, f"{value:.2f}", f"{value / per_record['official']:.2f}x"]
        for name, value in per_record.items()
    ]
    return [
        f"## Parse: a {parse['records_per_page']}-record page ({parse['page_bytes']:,} bytes) "
        "into models",
        "",
        "`json.loads` plus `from_dict`, garbage collector on (its work is part of the cost).",
        "",
        _table(["Parser", "µs per record", "vs official"], rows),
        "",
    ]


def _memory(memory: dict[str, Any]) -> list[str]:
    growth = memory["growth_at_quarters_mib"]
    return [
        f"## Memory: iterating {memory['records']:,} records",
        "",
        "A fresh process streams every record through the pager (page size 250); RSS is "
        "sampled after every page and compared with the RSS after the first.",
        "",
        _table(
            ["Measure", "MiB"],
            [
                ["RSS after the first page (baseline)", f"{memory['baseline_mib']:.1f}"],
                *[
                    [f"growth after {q}% of the records", f"{g:.1f}"]
                    for q, g in zip((25, 50, 75, 100), growth, strict=True)
                ],
                ["peak growth", f"{memory['peak_growth_mib']:.1f}"],
                [
                    "for contrast: collecting all records in a list",
                    f"{memory['collect_all_growth_mib']:.1f}",
                ],
                [
                    "two pages of models (from the line above)",
                    f"{memory['two_pages_of_models_mib']:.1f}",
                ],
            ],
        ),
        "",
        "Streaming holds about two pages at a time (the page being read and the one in "
        "flight, each as bytes, decoded JSON and models), so the growth stays flat however "
        "many records go by.",
        "",
    ]


def _import_settings(imports: dict[str, Any]) -> list[tuple[str, dict[str, float]]]:
    """(setting, medians and ratio) for each setting scripts/bench.py timed imports in."""
    return [(key, value) for key, value in imports.items() if isinstance(value, dict)]


def _imports(imports: dict[str, Any]) -> list[str]:
    settings = _import_settings(imports)
    cli = (
        "Here httpx's command-line dependencies (click, rich) are installed, so a plain "
        "`import httpx` imports its CLI too; an application's environment usually lacks "
        "them, hence the second setting, where httpx skips its CLI as it would there."
        if imports.get("httpx_cli_installed")
        else "httpx's command-line dependencies are not installed: both settings are the same."
    )
    return [
        "## Import time",
        "",
        f"Median of {imports.get('runs', 'several')} fresh interpreters per module and setting, "
        "interleaved; both packages import from bytecode (warmed in a private cache first). "
        f"`incidentio_async` includes importing httpx. {cli}",
        "",
        _table(
            ["Setting", "incidentio_async ms", "httpx alone ms", "ratio"],
            [
                [
                    setting,
                    f"{figures['incidentio_async'] * 1000:.1f}",
                    f"{figures['httpx'] * 1000:.1f}",
                    f"{figures['ratio']:.2f}x",
                ]
                for setting, figures in settings
            ],
        ),
        "",
    ]


def _telemetry(telemetry: dict[str, Any]) -> list[str]:
    per_call, ratio = telemetry["us_per_call"], telemetry["vs_off"]
    labels = {
        "off": "off: no hook, no OpenTelemetry (the default)",
        "hooks": "hooks: a no-op function on each of the four",
        "opentelemetry": "OpenTelemetry: SDK tracer and meter, every span sampled",
    }
    return [
        "## Telemetry: client CPU per call",
        "",
        f"{telemetry['calls']:,} calls of `client.follow_ups_v3.get` per fresh process, through "
        "a mock transport that answers at once, so the figure is the client's own CPU (pipeline, "
        "httpx, parsing, and what watches); median of "
        f"{telemetry['rounds']} interleaved rounds. OpenTelemetry records two spans per call "
        "(the call, its attempt; no exporter, so no export cost) and five measurements. "
        "With nothing watching, a call asks for an observer and tells it five events: that "
        f"path alone takes {telemetry['quiet_path_ns']:.0f} ns "
        f"({telemetry['quiet_share']:.2%} of a call), allocating nothing.",
        "",
        _table(
            ["Mode", "µs per call", "vs off"],
            [
                [labels.get(mode, mode), f"{value:.1f}", f"{ratio[mode]:.2f}x"]
                for mode, value in per_call.items()
            ],
        ),
        "",
    ]


def _ratelimit(ratelimit: dict[str, Any]) -> list[str]:
    out = ["## Rate limiting", ""]
    if ratelimit.get("description"):
        out += [ratelimit["description"], ""]
    rows = [
        [
            str(row.get("contender", "")),
            str(row.get("setup", "")),
            _number(row.get("fraction_of_ideal"), ".3f"),
            str(row.get("rejected", "n/a")),
            _number(row.get("seconds"), ".1f"),
            _met(bool(row["met"])) if "met" in row and row.get("target_fraction") else "",
        ]
        for row in ratelimit.get("rows", [])
    ]
    out += [
        _table(["Contender", "Setup", "Throughput / ideal", "429s", "Seconds", "Target"], rows),
        "",
    ]
    out += [f"- {note}" for note in ratelimit.get("notes", [])]
    if ratelimit.get("mixed"):
        out += ["", *_mixed(ratelimit["mixed"], ratelimit.get("mixed_description", ""))]
    if ratelimit.get("fairness"):
        out += ["", *_fairness(ratelimit["fairness"])]
    return out


def _export(export: dict[str, Any]) -> list[str]:
    rows = export["rows"]
    table = [
        [
            name,
            f"{row['wall_s']:.2f}",
            f"{row['time_vs_chain']:.3f}x",
            str(row["requests"]),
            f"{row['requests_vs_chain']:.3f}x",
            str(row["rejected"]),
            f"{row['peak_rss_growth_mib']:.1f}",
            "same" if row["same_as_chain"] else "**different**",
        ]
        for name, row in rows.items()
    ]
    eight = rows["ours, concurrency 8"]
    return [
        f"## Export: {export['follow_ups']:,} Follow-ups V3 at {export['page_size']} per page, "
        f"{export['latency_s'] * 1000:.0f} ms per request, the real key bucket",
        "",
        "The fake incident.io served by uvicorn in another process, with the follow-ups "
        "created in bursts after incidents over 400 days, more of them lately, and the API's "
        "bucket of 1200 requests refilled at 20/s. Every contender runs in a fresh process on "
        "a fresh key, after one untimed request; the best of "
        f"{export['rounds']} round(s). Raw httpx: the cursor chain, GET and `json.loads`, no "
        "models. Ours: `client.follow_ups_v3.list(page_size=250, concurrency=N)`. Requests and "
        "429s as the client's httpx saw them; memory is the peak RSS growth of the process; "
        "the IDs' digest, in the order received, is compared with the chain's.",
        "",
        _table(
            [
                "Contender",
                "Wall (s)",
                "vs chain",
                "Requests",
                "vs chain",
                "429s",
                "Peak RSS growth (MiB)",
                "Records and order",
            ],
            table,
        ),
        "",
        f"With concurrency 8 the export takes {eight['time_vs_chain']:.0%} of the chain's time "
        f"for {eight['requests_vs_chain'] - 1:.1%} more requests (each partition ends on a "
        "part-filled page). Memory grows with the concurrency, not with the export: each "
        "worker keeps at most a few pages waiting to be merged.",
        "",
    ]


WEBHOOKS_START = "<!-- webhooks -->"
WEBHOOKS_END = "<!-- /webhooks -->"


def webhook_target(webhooks: dict[str, Any]) -> tuple[str, str, bool]:
    """The target of scripts/bench_webhooks.py: verify well under a millisecond per event."""
    figures = webhooks["us_per_event"]
    ours, reference = figures["verify"], figures["standardwebhooks"]
    return (
        f"webhooks: verify a typical event in under {webhooks['target_us'] / 1000:g} ms",
        f"{ours:.1f} µs per event ({ours / reference:.2f}x the reference's signature and "
        f"JSON alone, {reference:.1f} µs)",
        ours < webhooks["target_us"],
    )


def webhooks_section(webhooks: dict[str, Any]) -> list[str]:
    """The webhook section, between markers so that it can be measured and replaced alone
    (``scripts/bench.py --only webhooks``)."""
    figures = webhooks["us_per_event"]
    reference = figures["standardwebhooks"]
    descriptions = {
        "verify": "ours: signature, time window, JSON and the payload's model (FollowUpV2)",
        "signature only": "ours: signature and time window (`check_signature`), no JSON",
        "standardwebhooks": "the reference: `Webhook(secret).verify`, signature and JSON",
        "WebhookApp": "ours: one delivery through the ASGI receiver, deduplication included",
    }
    rows = [
        [name, descriptions.get(name, ""), f"{value:.1f}", f"{value / reference:.2f}x"]
        for name, value in figures.items()
    ]
    target, measured, ok = webhook_target(webhooks)
    return [
        WEBHOOKS_START,
        f"## Webhooks: verifying a typical event ({webhooks['body_bytes']:,} bytes)",
        "",
        f"A `{webhooks['event_type']}` delivery, each one fresh (its own id and timestamp); "
        f"best of {webhooks['rounds']} interleaved rounds of {webhooks['per_round']:,} "
        "deliveries, garbage collector on. Ours does more than the reference: it also builds "
        "the payload's typed model.",
        "",
        _table(["Contender", "What it does", "µs per event", "vs reference"], rows),
        "",
        f"Target, {target}: {measured}, {_met(ok)}.",
        WEBHOOKS_END,
        "",
    ]


def _mixed(rows: list[dict[str, Any]], description: str) -> list[str]:
    table = [
        [
            str(row["setup"]),
            _number(row.get("alone_seconds"), ".2f"),
            _number(row.get("mixed_seconds"), ".2f"),
            _number(row.get("fraction_of_alone"), ".3f"),
            str(row.get("bulk_429s", "n/a")),
            f"{row.get('slow_ok', 'n/a')} / {row.get('slow_failed', 'n/a')}",
            str(row.get("slow_429s", "n/a")),
            (_met(bool(row["met"])) if row.get("met") is not None else "")
            if row.get("status") == "ok"
            else f"not run: {row.get('note', '')}",
        ]
        for row in rows
    ]
    headers = [
        "Setup",
        "GETs alone (s)",
        "beside the slow operation (s)",
        "Fraction of alone",
        "429s on the GETs",
        "Slow calls ok / failed",
        "Slow operation's 429s",
        "Target",
    ]
    return ["### Bulk GETs beside a saturated slow operation", "", description, "",
            _table(headers, table), ""]  # fmt: skip


def _fairness(result: dict[str, Any]) -> list[str]:
    rows = [
        [
            str(row["case"]),
            f"by {row['order']}",
            f"{row['call_p50']:.2f}",
            f"{row['call_p99']:.2f}",
            f"{row['caller_p50']:.2f}",
            f"{row['caller_p99']:.2f}",
            f"{row['throughput']:.1f}",
            str(row["rejected"]),
        ]
        for row in result["rows"]
    ]
    headers = ["Case", "Order", "Call p50 (s)", "Call p99 (s)", "Caller p50 (s)",
               "Caller p99 (s)", "Calls/s", "429s"]  # fmt: skip
    verdicts = [
        f"- {v['case']}: by call start, p99 per call is {v['p99_ratio']:.2f}x and throughput "
        f"{v['throughput_ratio']:.3f}x first come first served's."
        for v in result["verdicts"]
    ]
    return [
        "### Fairness under throttling",
        "",
        f"{result['callers']} callers, each making {result['calls_each']} calls one after the "
        f"other, all starting at once behind an empty bucket ({result['capacity']} refilled at "
        f"{result['refill_rate']:g}/s, five times the API's rate so that a run takes seconds: "
        "latencies scale with 1/rate). The limiter serves its waiters by the start of the call "
        "a request belongs to, so a retry after a 429 keeps its call's place; the other order "
        "is first come, first served. When the limiter knows the bucket is empty there are no "
        "retries and both orders are one (differences are noise); when it does not, the first "
        "requests meet 429s. Every first call goes before any second call in either order: "
        "a caller's second call starts when its first ends.",
        "",
        _table(headers, rows),
        "",
        *verdicts,
        "",
    ]
