"""Golden text plans for Databricks-typed plan JSON (hand-written fixtures in tests/golden/render/):
plans Terraform cannot produce offline, because the databricks provider cannot be downloaded.
They pin the schema-driven parts: nested blocks (`name {`) versus attributes, map keys quoted and
counted as elements, JSON strings as `jsonencode(...)`, `# forces replacement`, sensitive values.

Rewrite with IAC_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from iac._jsonio import read_json
from iac.render.text import render_plan

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "render"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "plan.json").is_file())


@pytest.mark.parametrize("case", CASES)
def test_text_golden(case: str, update_golden: bool) -> None:
    rendered = render_plan(read_json(GOLDEN / case / "plan.json"))
    expected_file = GOLDEN / case / "plan.txt"
    if update_golden:
        expected_file.write_text(rendered, encoding="utf-8")
    assert rendered == expected_file.read_text(encoding="utf-8")


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("cluster_blocks_and_maps", ['      ~ autoscale {', '          ~ "cost_center" = "cc-1234" -> "cc-9999"',
                                     '      + single_user_name             = "ana@example.com"']),
        ("job_task_list", ["      + task {", "          + depends_on {", '                  + "full" = "false"']),
        ("policy_definition_json", ["      ~ definition            = jsonencode(", '                  ~ type         = "fixed" -> "range"']),
        ("pool_force_new", ['"Standard_DS3_v2" -> "Standard_E4ds_v4" # forces replacement', "= [ # forces replacement"]),
        ("secret_sensitive", ["      ~ string_value           = (sensitive value) # forces replacement",
                              "      + string_value           = (sensitive value)", "  + db_password = (sensitive value)"]),
        ("create_known_after_apply", ["      + id                           = (known after apply)",
                                      "      + azure_attributes (known after apply)"]),
        ("destroy_job", ["  - resource \"databricks_job\" \"team_07_nightly_etl\" {", "      - task {",
                         "Plan: 0 to add, 0 to change, 1 to destroy."]),
        ("numbers_exact", ["60 -> 1000", "0.1 -> 0.10000000000000001"]),
        ("cluster_library_set", ["      - library {", '              + package = "pandas==2.2.3"',
                                 '          ~ "spark.sql.shuffle.partitions"      = "200" -> "400"']),
    ],
)
def test_golden_shows_the_convention(case: str, expected: list[str]) -> None:
    """Each golden case exists for a convention; say which, so a rewrite cannot silently lose it."""
    rendered = render_plan(read_json(GOLDEN / case / "plan.json"))
    for fragment in expected:
        assert fragment in rendered
