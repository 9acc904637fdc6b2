"""The codegen pipeline: spec merging, determinism and the drift check."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from spec_data import ROOT, generate


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One regeneration of the package, shared by the tests of this module."""
    return generate.generate_into(tmp_path_factory.mktemp("fresh"))


def test_committed_package_is_what_the_specs_produce(fresh: Path) -> None:
    assert generate.describe_drift(fresh, ROOT / "generated" / "incidentio_api") == []


def test_generation_is_deterministic(fresh: Path, tmp_path: Path) -> None:
    again = generate.generate_into(tmp_path)
    assert generate.tree_files(again).keys() == generate.tree_files(fresh).keys()
    assert generate.describe_drift(fresh, again) == []


def test_check_fails_on_a_one_byte_edit_and_passes_on_a_clean_tree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    committed = tmp_path / "incidentio_api"
    shutil.copytree(ROOT / "generated" / "incidentio_api", committed)
    assert generate.main(["--check", "--output", str(committed)]) == 0

    target = committed / "models" / "follow_up_v2_status.py"
    data = bytearray(target.read_bytes())
    data[data.index(b'"outstanding"') + 1] ^= 0x01  # one byte: "outstanding" -> "nutstanding"
    target.write_bytes(bytes(data))
    capsys.readouterr()
    assert generate.main(["--check", "--output", str(committed)]) == 1
    out = capsys.readouterr().out
    assert "differs: models/follow_up_v2_status.py" in out
    assert "make generate" in out


def test_check_reports_added_and_removed_files(fresh: Path, tmp_path: Path) -> None:
    committed = tmp_path / "pkg"
    shutil.copytree(fresh, committed)
    (committed / "models" / "hand_written.py").write_text("x = 1\n")
    (committed / "models" / "user_v2.py").unlink()
    report = generate.describe_drift(fresh, committed)
    assert "not produced by the generator: models/hand_written.py" in report
    assert "missing from generated/: models/user_v2.py" in report


def _spec(schema: dict[str, Any], path: str = "/a") -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {path: {"get": {"responses": {"200": {"description": "ok"}}}}},
        "components": {"schemas": {"Thing": schema}},
    }


def test_merge_refuses_a_schema_defined_differently_and_names_it() -> None:
    one = _spec({"type": "object", "properties": {"id": {"type": "string"}}}, "/a")
    two = _spec({"type": "object", "properties": {"id": {"type": "integer"}}}, "/b")
    expected = r"'Thing' is defined differently in a\.yaml and b\.yaml"
    with pytest.raises(generate.SpecError, match=expected):
        generate.merge_specs([("a.yaml", one), ("b.yaml", two)])


def test_a_yaml_file_beside_the_specs_that_is_no_spec_is_refused_not_skipped(
    tmp_path: Path,
) -> None:
    # A spec that lost its 'openapi' line would otherwise drop out of the client unnoticed.
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(_spec({"type": "object"}, "/a")))
    (tmp_path / "b.yaml").write_text("paths: {}\n")
    with pytest.raises(generate.SpecError, match=r"b\.yaml is not an OpenAPI document"):
        generate.load_specs(tmp_path)


def test_merge_accepts_identical_shared_schemas_and_keeps_every_path() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string"}}}
    merged = generate.merge_specs(
        [("a.yaml", _spec(schema, "/a")), ("b.yaml", _spec(schema, "/b"))]
    )
    assert set(merged["paths"]) == {"/a", "/b"}
    assert merged["components"]["schemas"] == {"Thing": schema}


def test_merge_refuses_a_path_defined_twice() -> None:
    schema = {"type": "object"}
    with pytest.raises(generate.SpecError, match=r"path /a is also defined in a\.yaml"):
        generate.merge_specs([("a.yaml", _spec(schema)), ("b.yaml", _spec(schema))])


def test_vendored_specs_merge_with_every_tag() -> None:
    merged = generate.merge_specs(generate.load_specs())
    assert [tag["name"] for tag in merged["tags"]] == [
        "Follow-ups V2",
        "Follow-ups V3",
        "Incident Updates V2",
        "Webhooks",
    ]
    assert merged["components"]["securitySchemes"]["BearerAuth"]["scheme"] == "bearer"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"partition_by": "incident_id"}, "partition_by names no filter argument: incident_id"),
        ({"changes_by": "completed_at"}, "changes_by names no filter argument"),
        ({"partition_by": "nowhere"}, "partition_by names no filter argument"),
    ],
)
def test_a_partition_or_feed_override_must_name_a_time_filter_of_the_list(
    tmp_path: Path, override: dict[str, str], message: str
) -> None:
    overrides = yaml.safe_load(generate.OVERRIDES_FILE.read_text())
    overrides["operations"]["Follow-ups V3#List"] = override
    path = tmp_path / "overrides.yaml"
    path.write_text(yaml.safe_dump(overrides))
    with pytest.raises(SystemExit, match=message):
        generate.generate_into(tmp_path, overrides_file=path)


def test_an_operation_given_twice_in_the_overrides_is_refused(tmp_path: Path) -> None:
    """Plain YAML keeps the second of two equal keys, silently dropping the first's rules."""
    path = tmp_path / "overrides.yaml"
    text = generate.OVERRIDES_FILE.read_text().replace(
        "operations:\n", 'operations:\n  "Follow-ups V3#List":\n    ordered_by_id: true\n', 1
    )
    path.write_text(text)
    with pytest.raises(SystemExit, match="'Follow-ups V3#List' is given twice"):
        generate.generate_into(tmp_path, overrides_file=path)


def test_a_feed_override_on_a_list_that_does_not_page_is_refused(tmp_path: Path) -> None:
    overrides = yaml.safe_load(generate.OVERRIDES_FILE.read_text())
    overrides["operations"]["Follow-ups V2#List"] = {"changes_by": "updated_at"}
    path = tmp_path / "overrides.yaml"
    path.write_text(yaml.safe_dump(overrides))
    with pytest.raises(SystemExit, match="changes_by needs a paginated list"):
        generate.generate_into(tmp_path, overrides_file=path)
