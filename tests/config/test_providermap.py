"""A module call's `providers` map as the loader reads it (`.tf` and `.tf.json` alike), the configuration
each module's resources resolve to, and the one-line errors for malformed maps. Terraform's own verdicts on
the same configurations: tests/providers/test_provider_map_oracle.py (needs the aws provider)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from iac.config import load_config
from iac.config.providermap import configuration_of
from iac.diagnostics import ConfigError

CHILD = ('terraform {\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n'
         '      configuration_aliases = [aws.x]\n    }\n  }\n}\n'
         'module "grand" {\n  source = "./grand"\n  providers = { aws = aws.x }\n}\n')
ROOT_HCL = ('provider "aws" {\n  region = "a"\n}\nprovider "aws" {\n  alias = "west"\n  region = "b"\n}\n'
            'module "child" {\n  source = "./child"\n  providers = { aws.x = aws.west, "aws" = "aws" }\n}\n')
ROOT_JSON = {"provider": {"aws": [{"region": "a"}, {"alias": "west", "region": "b"}]},
             "module": {"child": {"source": "./child", "providers": {"aws.x": "aws.west", "aws": "aws"}}}}


def _write(directory: Path, root: dict[str, str]) -> Path:
    for name, text in {**root, "child/main.tf": CHILD, "child/grand/main.tf": "# nothing\n"}.items():
        (directory / name).parent.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
    return directory


@pytest.mark.parametrize("root", [{"main.tf": ROOT_HCL}, {"main.tf.json": json.dumps(ROOT_JSON)}], ids=["hcl", "json"])
def test_the_map_and_configuration_aliases_are_read(tmp_path: Path, root: dict[str, str]) -> None:
    module = load_config(_write(tmp_path, root))
    call = module.module_calls["child"]
    assert dict(call.providers) == {"aws.x": "aws.west", "aws": "aws"}
    assert call.module.configuration_aliases == ("aws.x",)
    assert call.module.module_calls["grand"].providers == {"aws": "aws.x"}


def test_a_configuration_resolves_through_each_caller(tmp_path: Path) -> None:
    root = load_config(_write(tmp_path, {"main.tf": ROOT_HCL}))
    modules = {(): root, ("child",): root.module_calls["child"].module,
               ("child", "grand"): root.module_calls["child"].module.module_calls["grand"].module}
    assert configuration_of(modules, ("child", "grand"), "aws") == ((), "aws.west")
    assert configuration_of(modules, ("child",), "aws") == ((), "aws")
    assert configuration_of(modules, ("child",), "aws.x") == ((), "aws.west")
    assert configuration_of(modules, ("child",), "google") is None


@pytest.mark.parametrize(("providers", "summary"), [
    ("aws", "Invalid expression: A static map expression is required."),
    ({"aws": "${aws.west}"}, "Invalid provider configuration reference"),
    ({"aws": 1}, "Invalid provider configuration reference"),
    ({"aws": "aws.west.x"}, "Invalid provider configuration reference"),
    ({"aws": "aws.nowhere"}, 'missing provider provider["registry.terraform.io/hashicorp/aws"].nowhere'),
])
def test_a_malformed_json_map_is_one_line(tmp_path: Path, providers: object, summary: str) -> None:
    document = {"module": {"child": {"source": "./child", "providers": providers}}}
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text("# nothing\n")
    (tmp_path / "main.tf.json").write_text(json.dumps(document))
    with pytest.raises(ConfigError) as refused:
        load_config(tmp_path)
    assert summary in str(refused.value) and "main.tf.json: module.child.providers:" in str(refused.value)
