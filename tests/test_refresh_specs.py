"""scripts/refresh_specs.py against a small hand-built upstream document (never the network)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
from pathlib import Path
from typing import Any

import pytest
import yaml

from spec_data import ROOT, generate

sys.path.insert(0, str(ROOT / "scripts"))  # scripts/ is not a package

import refresh_specs
from spec_refresh import source as source_module
from spec_refresh.cut import strip_extensions
from spec_refresh.drift import Change, diff_documents

FIXTURE = Path(__file__).parent / "fixtures" / "upstream-openapi.json"
FILES = {"follow-ups-v2.yaml", "follow-ups-v3.yaml"}
UNASSIGN = "the docs say null unassigns, the schema says string"
PATCHES = [
    {
        "target": f"follow-ups-{version}.yaml#/components/schemas/"
        f"FollowUpsUpdatePayload{version.upper()}/properties/{field}",
        "set": {"nullable": True},
        "reason": UNASSIGN,
    }
    for version in ("v2", "v3")
    for field in ("assignee_id", "assignee_team_id")
]


def upstream() -> dict[str, Any]:
    """A fresh copy of the fixture document, to plant changes in."""
    document: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return document


def write_config(
    where: Path, patches: list[dict[str, Any]] | None = None, tags: dict[str, Any] | None = None
) -> Path:
    """A vendoring config and patch list in ``where``; returns the config's path."""
    where.mkdir(parents=True, exist_ok=True)
    config = {
        "tags": tags
        or {"Follow-ups V2": "follow-ups-v2.yaml", "Follow-ups V3": "follow-ups-v3.yaml"},
        "servers": [{"url": "https://api.incident.io"}],
        "security": [{"BearerAuth": []}],
        "drop_extensions": ["x-mint", "x-docs-*", "x-extracted-from"],
        "patches": "patches.yaml",
    }
    (where / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    patch_list = {"patches": PATCHES if patches is None else patches}
    (where / "patches.yaml").write_text(yaml.safe_dump(patch_list), encoding="utf-8")
    return where / "config.yaml"


def save(document: dict[str, Any], path: Path) -> str:
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def run(source: str, spec_dir: Path, config: Path, *extra: str) -> int:
    """The command line on ``source`` (more sources, parts of the document, may lead
    ``extra``)."""
    return refresh_specs.main(
        [source, "--spec-dir", str(spec_dir), "--config", str(config), *extra]
    )


def texts(spec_dir: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(spec_dir.glob("*.yaml"))}


def load(spec_dir: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((spec_dir / name).read_text(encoding="utf-8"))
    return document


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path / "vendor")


@pytest.fixture
def vendored(tmp_path: Path, config: Path) -> Path:
    """A spec directory refreshed from the unchanged fixture."""
    spec_dir = tmp_path / "openapi"
    assert run(str(FIXTURE), spec_dir, config) == 0
    return spec_dir


def test_refresh_writes_one_file_per_vendored_tag_with_what_it_references(vendored: Path) -> None:
    assert set(texts(vendored)) == FILES
    v2, v3 = load(vendored, "follow-ups-v2.yaml"), load(vendored, "follow-ups-v3.yaml")
    assert {(m, p) for p, item in v2["paths"].items() for m in item} == {
        ("get", "/v2/follow_ups"),
        ("put", "/v2/follow_ups/{id}"),
    }
    assert {(m, p) for p, item in v3["paths"].items() for m in item} == {
        ("get", "/v3/follow_ups"),
        ("post", "/v3/follow_ups"),
        ("get", "/v3/follow_ups/{id}"),
        ("put", "/v3/follow_ups/{id}"),
    }
    assert set(v2["components"]["schemas"]) == {
        "ErrorResponse",
        "FollowUpV2",
        "FollowUpsListResultV2",
        "FollowUpsUpdatePayloadV2",
        "FollowUpsUpdateResultV2",
        "UserV2",
    }
    # Reached only through a parameter, a request body and a response component.
    assert v3["components"]["parameters"].keys() == {"PageSize"}
    assert v3["components"]["requestBodies"].keys() == {"FollowUpsCreateV3"}
    assert v3["components"]["responses"].keys() == {"NotFound"}
    assert {"FollowUpsCreatePayloadV3", "ErrorResponse", "FollowUpCategoryV3"} <= set(
        v3["components"]["schemas"]
    )
    for document in (v2, v3):
        assert document["servers"] == [{"url": "https://api.incident.io"}]
        assert document["security"] == [{"BearerAuth": []}]
        assert document["components"]["securitySchemes"].keys() == {"BearerAuth"}
        assert document["info"] == upstream()["info"]
        assert "externalDocs" not in document
    assert v2["tags"] == [
        {"name": "Follow-ups V2", "description": "Manage follow-ups (deprecated)."}
    ]
    assert v2["paths"]["/v2/follow_ups"]["get"]["deprecated"] is True


def test_an_unvendored_tag_and_unreferenced_schemas_are_not_written(vendored: Path) -> None:
    written = b"".join(texts(vendored).values()).decode()
    for absent in (
        "Incidents V2",
        "/v2/incidents",
        "IncidentV2",
        "IncidentsShowResultV2",
        "Orphan",
    ):
        assert absent not in written


def test_documentation_extensions_are_dropped_and_scopes_kept(vendored: Path) -> None:
    written = b"".join(texts(vendored).values()).decode()
    for dropped in ("x-mint", "x-docs-", "x-extracted-from"):
        assert dropped not in written
    v3 = load(vendored, "follow-ups-v3.yaml")
    assert v3["paths"]["/v3/follow_ups"]["post"]["x-rbac-scopes"] == ["follow_ups.create"]


def test_extensions_are_only_dropped_where_they_are_spec_keywords() -> None:
    schema = {
        "type": "object",
        "x-docs-hint": "dropped",
        "properties": {"x-docs-id": {"type": "string", "x-mint": "dropped"}},
        "example": {"x-mint": "example data stays"},
    }
    assert strip_extensions(schema, ("x-mint", "x-docs-*")) == {
        "type": "object",
        "properties": {"x-docs-id": {"type": "string"}},
        "example": {"x-mint": "example data stays"},
    }


def test_each_file_has_a_header_pointing_at_the_readme(vendored: Path) -> None:
    for name, text in texts(vendored).items():
        first, second = text.decode().splitlines()[:2]
        tag = "Follow-ups V2" if "v2" in name else "Follow-ups V3"
        assert first.startswith(f"# {tag}: written by scripts/refresh_specs.py")
        assert second.endswith("see openapi/README.md.")


def test_the_patch_list_is_applied_and_kept_on_a_second_refresh(
    vendored: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def patched(spec_dir: Path) -> list[Any]:
        return [
            load(spec_dir, f"follow-ups-{v}.yaml")["components"]["schemas"][
                f"FollowUpsUpdatePayload{v.upper()}"
            ]["properties"][field].get("nullable")
            for v in ("v2", "v3")
            for field in ("assignee_id", "assignee_team_id")
        ]

    assert patched(vendored) == [True] * 4
    assert upstream()["components"]["schemas"]["FollowUpsUpdatePayloadV2"]["properties"][
        "assignee_id"
    ] == {"type": "string", "description": "Set to null to unassign."}
    before = texts(vendored)
    capsys.readouterr()
    assert run(str(FIXTURE), vendored, config) == 0
    assert patched(vendored) == [True] * 4
    assert texts(vendored) == before
    assert capsys.readouterr().out.count("unchanged ") == 2


def test_output_is_byte_identical_whatever_the_source_key_order(
    vendored: Path, config: Path, tmp_path: Path
) -> None:
    def reversed_keys(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: reversed_keys(value[key]) for key in reversed(list(value))}
        if isinstance(value, list):
            return [reversed_keys(item) for item in value]
        return value

    shuffled = save(reversed_keys(upstream()), tmp_path / "shuffled.json")
    again = tmp_path / "again"
    assert run(shuffled, again, config) == 0
    assert texts(again) == texts(vendored)


def test_a_yaml_source_gives_the_same_files(vendored: Path, config: Path, tmp_path: Path) -> None:
    source = tmp_path / "upstream.yaml"
    source.write_text(yaml.safe_dump(upstream()), encoding="utf-8")
    assert run(str(source), tmp_path / "from-yaml", config) == 0
    assert texts(tmp_path / "from-yaml") == texts(vendored)


def test_the_generator_can_merge_what_the_refresh_writes(vendored: Path) -> None:
    merged = generate.merge_specs(generate.load_specs(vendored))
    assert len(merged["paths"]) == 4
    assert "UserV2" in merged["components"]["schemas"]


def test_check_on_an_unchanged_copy_exits_0(
    vendored: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run(str(FIXTURE), vendored, config, "--check") == 0
    assert "no drift" in capsys.readouterr().out
    assert run(str(FIXTURE), vendored, config, "--check", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["drift"] is False
    assert report["changes"] == []
    assert report["files"] == dict.fromkeys(sorted(FILES), "unchanged")


def planted_drift() -> dict[str, Any]:
    """The fixture with one change of each kind the report must name."""
    document = upstream()
    schemas = document["components"]["schemas"]
    schemas["FollowUpV3"]["properties"]["priority"] = {"type": "string"}
    schemas["FollowUpV3"]["required"].append("category")
    schemas["FollowUpV2"]["properties"]["status"]["enum"].append("not_doing")
    schemas["FollowUpV2"]["properties"]["assignee"] = {"type": "string"}
    paths = document["paths"]
    paths["/v3/follow_ups/{id}"]["delete"] = {
        "tags": ["Follow-ups V3"],
        "operationId": "Follow-ups V3#Delete",
        "parameters": [
            {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
        ],
        "responses": {"204": {"description": "Deleted."}},
    }
    del paths["/v3/follow_ups"]["post"]
    paths["/v3/follow_ups"]["get"]["deprecated"] = True
    paths["/v3/follow_ups"]["get"]["parameters"].append(
        {"in": "query", "name": "incident_id", "schema": {"type": "string"}}
    )
    paths["/v3/follow_ups"]["get"]["parameters"][1]["schema"]["format"] = "ulid"
    paths["/v3/follow_ups"]["get"]["description"] = "Reworded."
    return document


def test_check_reports_planted_drift_breaking_first_and_exits_1(
    vendored: Path, config: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = save(planted_drift(), tmp_path / "drifted.json")
    before = texts(vendored)
    capsys.readouterr()
    assert run(source, vendored, config, "--check", "--json") == 1
    report = json.loads(capsys.readouterr().out)
    found = {(c["file"], c["kind"], c["where"], c["detail"]) for c in report["changes"]}
    v2, v3 = "follow-ups-v2.yaml", "follow-ups-v3.yaml"
    expected = {
        (v3, "field_added", "schema FollowUpV3.priority", ""),
        (v3, "required_added", "schema FollowUpV3", '"category"'),
        (v2, "enum_value_added", "schema FollowUpV2.status", '"not_doing"'),
        (
            v2,
            "changed",
            "schema FollowUpV2.assignee",
            '$ref: "#/components/schemas/UserV2" -> (absent)',
        ),
        (v2, "schema_removed", "schema UserV2", ""),
        (v3, "operation_added", "DELETE /v3/follow_ups/{id}", "Follow-ups V3#Delete"),
        (v3, "operation_removed", "POST /v3/follow_ups", "Follow-ups V3#Create"),
        (v3, "deprecated_added", "GET /v3/follow_ups", ""),
        (v3, "parameter_added", "GET /v3/follow_ups", "query incident_id"),
        (
            v3,
            "parameter_changed",
            "GET /v3/follow_ups parameter query after",
            'schema.format: (absent) -> "ulid"',
        ),
        (v3, "documentation_changed", "GET /v3/follow_ups", "description"),
        (v3, "schema_removed", "schema FollowUpsCreatePayloadV3", ""),
    }
    assert expected <= found, sorted(found - expected)
    severities = {(c["kind"], c["where"]): c["severity"] for c in report["changes"]}
    assert severities[("operation_removed", "POST /v3/follow_ups")] == "breaking"
    assert severities[("operation_added", "DELETE /v3/follow_ups/{id}")] == "additive"
    assert severities[("required_added", "schema FollowUpV3")] == "additive"  # a response's
    assert report["drift"] is True and report["breaking"] is True
    assert report["files"] == {v2: "changed", v3: "changed"}
    assert texts(vendored) == before  # --check writes nothing

    assert run(source, vendored, config, "--check") == 1
    text = capsys.readouterr().out
    lines = text.splitlines()
    for line in (
        "  + field         schema FollowUpV3.priority",
        '  + required      schema FollowUpV3: "category"',
        '  + enum value    schema FollowUpV2.status: "not_doing"',
        "  + operation     DELETE /v3/follow_ups/{id}: Follow-ups V3#Delete",
        "  - operation     POST /v3/follow_ups: Follow-ups V3#Create  [operation removed]",
        "  + deprecated    GET /v3/follow_ups  [deprecation announced]",
        "  + parameter     GET /v3/follow_ups: query incident_id",
        "Documentation: 1 text/example changes: GET /v3/follow_ups description",
    ):
        assert line in lines, line
    # The verdict comes first, then the breaking changes, then the additive ones.
    assert lines[1] == "9 breaking, 5 additive, 0 other, 1 documentation."
    assert lines[2].startswith("Verdict: BREAKING.")
    breaking = lines.index("Breaking: existing callers may stop working (9):")
    additive = lines.index("Additive: new things callers can use (5):")
    assert breaking < lines.index("  + deprecated    GET /v3/follow_ups  [deprecation announced]")
    assert additive > breaking


def test_check_flags_a_missing_file_a_hand_edit_and_an_unmanaged_spec(
    vendored: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (vendored / "follow-ups-v2.yaml").unlink()
    with (vendored / "follow-ups-v3.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# a hand-written note\n")
    (vendored / "extra.yaml").write_text("openapi: 3.0.3\n", encoding="utf-8")
    capsys.readouterr()
    # Nothing a caller relies on changes: exit 0, unless any drift is to fail.
    assert run(str(FIXTURE), vendored, config, "--check", "--fail-on", "any") == 1
    capsys.readouterr()
    assert run(str(FIXTURE), vendored, config, "--check", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["drift"] is True and report["breaking"] is False
    assert report["files"] == {
        "follow-ups-v2.yaml": "new",
        "follow-ups-v3.yaml": "changed",
        "extra.yaml": "unmanaged",
    }
    kinds = {(c["file"], c["kind"]) for c in report["changes"]}
    assert {
        ("follow-ups-v2.yaml", "file_added"),
        ("follow-ups-v2.yaml", "operation_added"),
        ("follow-ups-v3.yaml", "formatting_changed"),
        ("extra.yaml", "file_unmanaged"),
    } <= kinds


def test_reordered_or_emptied_lists_are_reported_as_changes() -> None:
    def spec(schema: dict[str, Any]) -> dict[str, Any]:
        return {"paths": {}, "components": {"schemas": {"X": schema}}}

    before = spec({"enum": ["a", "b"], "required": ["x"]})
    after = spec({"enum": ["b", "a"], "required": []})
    assert diff_documents("f.yaml", before, after) == [
        Change(
            "f.yaml",
            "changed",
            "schema X",
            'enum: ["a", "b"] -> ["b", "a"]',
            "other",
            "enum: same members",
        ),
        # X is used nowhere, so it may be a response: a field that may now be absent.
        Change(
            "f.yaml",
            "required_removed",
            "schema X",
            '"x"',
            "breaking",
            "response field may now be absent",
        ),
    ]
    assert diff_documents("f.yaml", after, spec({"enum": ["b", "a"]})) == [
        Change(
            "f.yaml",
            "changed",
            "schema X",
            "required: [] -> (absent)",
            "other",
            "required: same members",
        )
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not: [valid", "not valid JSON or YAML"),
        ("[1, 2]", "top level is not an object"),
        ('{"swagger": "2.0", "info": {}, "paths": {}}', "not an OpenAPI 3 document"),
        ('{"openapi": "3.0.3", "info": {}}', "no 'paths' object"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_an_unreadable_source_exits_2_and_writes_nothing(
    tmp_path: Path,
    config: Path,
    capsys: pytest.CaptureFixture[str],
    content: str | bytes | None,
    message: str,
) -> None:
    source = tmp_path / "source.json"
    if isinstance(content, bytes):
        source.write_bytes(content)
    elif content is not None:
        source.write_text(content, encoding="utf-8")
    for extra in ((), ("--check",), ("--check", "--json")):
        assert run(str(source), tmp_path / "openapi", config, *extra) == 2
        captured = capsys.readouterr()
        assert message in captured.err
        if "--json" in extra:
            assert message in json.loads(captured.out)["error"]
    assert not (tmp_path / "openapi").exists()


def test_a_url_source_is_fetched_with_a_timeout(
    vendored: Path, config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, float]] = []
    body = yaml.safe_dump(upstream()).encode()

    class Response:
        def __enter__(self) -> Response:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read(self, limit: int) -> bytes:
            return body[:limit]

    def fake_urlopen(request: Any, timeout: float) -> Response:
        calls.append((request.full_url, timeout))
        return Response()

    monkeypatch.setattr(source_module.urllib.request, "urlopen", fake_urlopen)
    url = "https://example.invalid/openapi.json"
    assert run(url, tmp_path / "from-url", config, "--timeout", "7") == 0
    assert calls == [(url, 7.0)]
    assert texts(tmp_path / "from-url") == texts(vendored)


def test_a_url_that_cannot_be_fetched_exits_2(
    config: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def refuse(request: Any, timeout: float) -> None:
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(source_module.urllib.request, "urlopen", refuse)
    assert run("https://example.invalid/openapi.json", tmp_path, config, "--check") == 2
    assert "connection refused" in capsys.readouterr().err


def test_a_patch_whose_target_vanished_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = {
        "target": "follow-ups-v3.yaml#/components/schemas/FollowUpsUpdatePayloadV3"
        "/properties/owner",
        "set": {"nullable": True},
        "reason": "owner can be cleared",
    }
    config = write_config(tmp_path / "vendor", [*PATCHES, gone])
    for extra in ((), ("--check",)):
        assert run(str(FIXTURE), tmp_path / "openapi", config, *extra) == 2
        err = capsys.readouterr().err
        assert "FollowUpsUpdatePayloadV3/properties/owner does not exist" in err
        assert "owner can be cleared" in err
    assert not (tmp_path / "openapi").exists()


def test_a_patch_upstream_already_satisfies_is_reported_as_redundant(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = upstream()
    document["components"]["schemas"]["FollowUpsUpdatePayloadV2"]["properties"]["assignee_id"][
        "nullable"
    ] = True
    assert run(save(document, tmp_path / "fixed.json"), tmp_path / "openapi", config) == 0
    err = capsys.readouterr().err
    assert "FollowUpsUpdatePayloadV2/properties/assignee_id is redundant" in err
    assert err.count("redundant") == 1


def test_a_patch_that_splits_a_shared_schema_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one_file_only = {
        "target": "follow-ups-v2.yaml#/components/schemas/UserV2/properties/name",
        "set": {"nullable": True},
        "reason": "testing",
    }
    config = write_config(tmp_path / "vendor", [one_file_only])
    assert run(str(FIXTURE), tmp_path / "openapi", config) == 2
    assert "components.schemas.UserV2 differs between" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        ({"target": "other.yaml#/x", "set": {"a": 1}, "reason": "r"}, "not one of the vendored"),
        ({"target": "follow-ups-v2.yaml#/x", "set": {"a": 1}}, "needs exactly the keys"),
        ({"target": "follow-ups-v2.yaml#/x", "set": {}, "reason": "r"}, "non-empty mapping"),
        ({"target": "follow-ups-v2.yaml#/x", "set": {"a": 1}, "reason": " "}, "needs a reason"),
    ],
)
def test_a_malformed_patch_list_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], patch: dict[str, Any], message: str
) -> None:
    config = write_config(tmp_path / "vendor", [patch])
    assert run(str(FIXTURE), tmp_path / "openapi", config) == 2
    assert message in capsys.readouterr().err


def test_a_vendored_tag_missing_upstream_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path / "vendor", [], {"Follow-ups V9": "follow-ups-v9.yaml"})
    assert run(str(FIXTURE), tmp_path / "openapi", config, "--check") == 2
    assert "tag 'Follow-ups V9' has no operations in the source" in capsys.readouterr().err


def test_json_needs_check(tmp_path: Path, config: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(str(FIXTURE), tmp_path, config, "--json")
    assert exit_info.value.code == 2


def test_the_command_line_exits_with_the_status(tmp_path: Path, config: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(ROOT / "scripts" / "refresh_specs.py"), *args]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)

    spec_dir = tmp_path / "openapi"
    common = ("--spec-dir", str(spec_dir), "--config", str(config))
    assert cli(str(FIXTURE), *common).returncode == 0
    assert cli(str(FIXTURE), *common, "--check").returncode == 0
    drifted = save(planted_drift(), tmp_path / "drifted.json")
    assert cli(drifted, *common, "--check").returncode == 1
    document = upstream()
    document["components"]["schemas"]["FollowUpV3"]["properties"]["due_at"] = {"type": "string"}
    additive = save(document, tmp_path / "additive.json")
    assert cli(additive, *common, "--check").returncode == 0
    assert cli(additive, *common, "--check", "--fail-on", "any").returncode == 1
    missing = cli(str(tmp_path / "missing.json"), *common, "--check")
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: cannot read")


# -- webhook events: a tag vendored in part, from a document that may come in parts ----------

WEBHOOKS = {"file": "webhooks.yaml", "paths": ["/x-webhooks/*.follow_up_*"], "optional": True}


def webhook_event(event_type: str, schema: str) -> dict[str, Any]:
    """A pseudo-operation as the published document writes a webhook event."""
    return {
        "get": {
            "operationId": event_type.replace(".", "_"),
            "description": f"Emitted for {event_type}.",
            "tags": ["Webhooks"],
            "responses": {
                "200": {
                    "description": "OK response.",
                    "content": {
                        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                    },
                }
            },
        }
    }


def webhooks_part() -> dict[str, Any]:
    """The webhook events of the fixture's document, as a separate cut would hold them."""
    envelope = {
        "type": "object",
        "required": ["event_type", "public_incident.follow_up_created_v2"],
        "properties": {
            "event_type": {"type": "string"},
            "public_incident.follow_up_created_v2": {"$ref": "#/components/schemas/FollowUpV2"},
        },
    }
    alert = {"type": "object", "properties": {"event_type": {"type": "string"}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "webhooks", "version": "1"},
        "paths": {
            "/x-webhooks/public_incident.follow_up_created_v2": webhook_event(
                "public_incident.follow_up_created_v2", "FollowUpCreatedV2Body"
            ),
            "/x-webhooks/public_alert.alert_created_v1": webhook_event(
                "public_alert.alert_created_v1", "AlertCreatedV1Body"
            ),
        },
        "components": {
            "schemas": {
                "FollowUpCreatedV2Body": envelope,
                "AlertCreatedV1Body": alert,
                "FollowUpV2": upstream()["components"]["schemas"]["FollowUpV2"],
                "UserV2": upstream()["components"]["schemas"]["UserV2"],
            }
        },
    }


def whole_document() -> dict[str, Any]:
    """The fixture with its webhook events in the same document, as upstream publishes it."""
    document = upstream()
    part = webhooks_part()
    document["paths"].update(part["paths"])
    document["components"]["schemas"].update(part["components"]["schemas"])
    return document


@pytest.fixture
def webhooks_config(tmp_path: Path) -> Path:
    tags: dict[str, Any] = {"Follow-ups V2": "follow-ups-v2.yaml", "Webhooks": WEBHOOKS}
    return write_config(tmp_path / "vendor", PATCHES[:2], tags)


def test_a_tag_vendored_in_part_keeps_only_the_matching_paths(
    tmp_path: Path, webhooks_config: Path
) -> None:
    spec_dir = tmp_path / "openapi"
    assert run(save(whole_document(), tmp_path / "whole.json"), spec_dir, webhooks_config) == 0
    webhooks = load(spec_dir, "webhooks.yaml")
    assert list(webhooks["paths"]) == ["/x-webhooks/public_incident.follow_up_created_v2"]
    assert set(webhooks["components"]["schemas"]) == {
        "FollowUpCreatedV2Body",
        "FollowUpV2",
        "UserV2",
    }
    merged = generate.merge_specs(generate.load_specs(spec_dir))
    assert "AlertCreatedV1Body" not in merged["components"]["schemas"]


def test_a_document_in_parts_gives_the_same_files_as_the_whole(
    tmp_path: Path, webhooks_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = save(whole_document(), tmp_path / "whole.json")
    assert run(whole, tmp_path / "from-whole", webhooks_config) == 0
    part = save(webhooks_part(), tmp_path / "webhooks.json")
    assert run(str(FIXTURE), tmp_path / "from-parts", webhooks_config, part) == 0
    assert texts(tmp_path / "from-parts") == texts(tmp_path / "from-whole")
    capsys.readouterr()
    assert run(str(FIXTURE), tmp_path / "from-whole", webhooks_config, part, "--check") == 0
    assert f"{FIXTURE} + {part}: no drift." in capsys.readouterr().out


def test_parts_that_disagree_exit_2(
    tmp_path: Path, webhooks_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    part = webhooks_part()
    part["components"]["schemas"]["UserV2"]["properties"]["name"] = {"type": "integer"}
    source = save(part, tmp_path / "webhooks.json")
    assert run(str(FIXTURE), tmp_path / "openapi", webhooks_config, source) == 2
    assert "components.schemas.UserV2 differs from an earlier source's" in capsys.readouterr().err
    assert not (tmp_path / "openapi").exists()


def test_an_optional_tag_missing_from_the_source_is_left_alone_and_not_checked(
    tmp_path: Path, webhooks_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec_dir = tmp_path / "openapi"
    assert run(save(whole_document(), tmp_path / "whole.json"), spec_dir, webhooks_config) == 0
    before = texts(spec_dir)
    capsys.readouterr()
    # The API part alone: the webhooks file stays, the check passes and says what it skipped.
    assert run(str(FIXTURE), spec_dir, webhooks_config) == 0
    assert texts(spec_dir) == before
    err = capsys.readouterr().err
    assert "tag 'Webhooks' is not in the source: webhooks.yaml is left as it is" in err
    assert run(str(FIXTURE), spec_dir, webhooks_config, "--check") == 0
    assert "Not checked (not in the source): webhooks.yaml." in capsys.readouterr().out
    assert run(str(FIXTURE), spec_dir, webhooks_config, "--check", "--json") == 0
    report = json.loads(capsys.readouterr().out)
    assert report["files"]["webhooks.yaml"] == "not in source"
    assert report["drift"] is False


def test_a_vendored_event_renamed_upstream_exits_2(
    tmp_path: Path, webhooks_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = whole_document()
    item = document["paths"].pop("/x-webhooks/public_incident.follow_up_created_v2")
    document["paths"]["/x-webhooks/public_incident.action_created_v9"] = item
    source = save(document, tmp_path / "renamed.json")
    assert run(source, tmp_path / "openapi", webhooks_config, "--check") == 2
    err = capsys.readouterr().err
    assert "no operation of the source has a path matching ['/x-webhooks/*.follow_up_*']" in err


def test_a_required_tag_missing_from_the_source_still_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    strict = {**WEBHOOKS, "optional": False}
    config = write_config(tmp_path / "vendor", [], {"Webhooks": strict})
    assert run(str(FIXTURE), tmp_path / "openapi", config, "--check") == 2
    assert "tag 'Webhooks' has no operations in the source" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"paths": ["/x"]}, "'file' required"),
        ({"file": "w.yaml", "paths": []}, "non-empty list of path patterns"),
        ({"file": "w.yaml", "paths": ["x-webhooks/*"]}, "must start with '/'"),
        ({"file": "w.yaml", "optional": "yes"}, "'optional' must be true or false"),
        ({"file": "w.yaml", "only": ["/x"]}, "expected the keys"),
    ],
)
def test_a_malformed_tag_entry_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: dict[str, Any], message: str
) -> None:
    config = write_config(tmp_path / "vendor", [], {"Webhooks": entry})
    assert run(str(FIXTURE), tmp_path / "openapi", config) == 2
    assert message in capsys.readouterr().err
