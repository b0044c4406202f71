from __future__ import annotations

from pathlib import Path

import pytest

from tests.oracle.harness import TerraformOracle


@pytest.fixture()
def oracle(tmp_path: Path) -> TerraformOracle:
    return TerraformOracle(tmp_path / "tf")
