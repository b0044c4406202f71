"""Shared fixtures for the renderer tests (helpers in tf_oracle.py).

`oracle` runs one case at most once per session: apply the before-config, plan the after-config
to a file, then ask Terraform for its own text (`show PLANFILE -no-color`, optionally coloured)
and its plan JSON (raw text, read with exact numbers).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from tf_oracle import OracleCase, OracleResult, mask_plan, run_case


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Callable[[OracleCase], OracleResult]:
    """Run a case against real Terraform (once per session per case id)."""
    os.environ.setdefault("TF_IN_AUTOMATION", "1")
    results: dict[str, OracleResult] = {}
    base = tmp_path_factory.mktemp("oracle")

    def get(case: OracleCase) -> OracleResult:
        if case.id not in results:
            results[case.id] = run_case(case, (base / case.id.replace(" ", "_")).resolve())
        return results[case.id]

    return get


@pytest.fixture(scope="session")
def masked() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """`mask_plan`: Terraform's plan JSON masked the way our contract requires."""
    return mask_plan


@pytest.fixture
def update_golden() -> bool:
    """IAC_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing with them."""
    return os.environ.get("IAC_UPDATE_GOLDEN") == "1"
