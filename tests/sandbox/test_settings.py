from __future__ import annotations

from pathlib import Path

import pytest

from iac.sandbox.computed import DEFAULT_HOST
from iac.sandbox.settings import DEFAULT_SCOPE, Settings, configure
from iac.sandbox.values import UNKNOWN


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABRICKS_HOST", "DATABRICKS_ACCOUNT_ID", "ARM_SUBSCRIPTION_ID", "IAC_SANDBOX_STORE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("provider", "config", "scope", "host"),
    [
        ("databricks", {"host": "adb-123.4.azuredatabricks.net/"}, "https://adb-123.4.azuredatabricks.net",
         "https://adb-123.4.azuredatabricks.net"),
        ("databricks", {"host": "https://accounts.cloud.databricks.com", "account_id": "acc-1"},
         "https://accounts.cloud.databricks.com/accounts/acc-1", DEFAULT_HOST),
        ("databricks", {"host": UNKNOWN}, DEFAULT_SCOPE, DEFAULT_HOST),
        ("databricks", {}, DEFAULT_SCOPE, DEFAULT_HOST),
        ("azurerm", {"subscription_id": "sub-1", "features": []}, "azure/subscriptions/sub-1", DEFAULT_HOST),
        ("azurerm", {"features": []}, "azure", DEFAULT_HOST),
    ],
    ids=["workspace host", "account host", "host not known yet", "no host", "azure subscription", "azure default"],
)
def test_each_configuration_has_its_workspace(provider: str, config: dict, scope: str, host: str) -> None:
    settings = configure(provider, config, Settings())
    assert (settings.scope, settings.host) == (scope, host)


def test_store_path_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("IAC_SANDBOX_STORE", str(tmp_path / "env.json"))
    assert Settings().store_file() == tmp_path / "env.json"
    server = Settings(store_path=tmp_path / "server.json")
    assert server.store_file() == tmp_path / "server.json"
    block = configure("databricks", {"sandbox_store_path": str(tmp_path / "block.json")}, server)
    assert block.store_file() == tmp_path / "block.json"
