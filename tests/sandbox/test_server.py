"""The go-plugin side: handshake line first on stdout, TLS, Shutdown; and the reattach mode."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from tf.gen import grpc_controller_pb2 as controller_pb
from tf.gen import grpc_controller_pb2_grpc as controller_rpc
from tf.gen import tfplugin_pb2 as pb
from tf.gen import tfplugin_pb2_grpc as rpc

from iac.sandbox.schema import PROVIDERS
from iac.sandbox.server import MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE

ROOT = Path(__file__).resolve().parents[2]


def _server(*args: str, cookie: bool = True) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PLUGIN_PROTOCOL_VERSIONS": "5,6"}
    env.pop(MAGIC_COOKIE_KEY, None)
    if cookie:
        env[MAGIC_COOKIE_KEY] = MAGIC_COOKIE_VALUE
    return subprocess.Popen([sys.executable, "-m", "iac.sandbox.server", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


@pytest.fixture
def launched(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], list[str]]]:
    process = _server("--provider", "databricks", "--store", str(tmp_path / "store.json"))
    assert process.stdout is not None
    line = process.stdout.readline().decode()
    yield process, line.rstrip("\n").split("|")
    if process.poll() is None:
        process.terminate()  # our own child
    process.communicate(timeout=10)


def test_refuses_to_run_by_hand() -> None:
    process = _server("--provider", "databricks", cookie=False)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 1 and out == b""
    assert b"Terraform provider plugin" in err


def test_handshake_line_comes_first_and_carries_a_localhost_certificate(launched: tuple[subprocess.Popen[bytes], list[str]]) -> None:
    _, parts = launched
    assert parts[:3] == ["1", "6", "unix"] and parts[4] == "grpc"
    certificate = x509.load_der_x509_certificate(base64.b64decode(parts[5] + "=" * (-len(parts[5]) % 4)))
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["localhost"]


def test_serves_the_schema_over_tls_and_exits_on_shutdown(launched: tuple[subprocess.Popen[bytes], list[str]]) -> None:
    process, parts = launched
    der = base64.b64decode(parts[5] + "=" * (-len(parts[5]) % 4))
    pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
    credentials = grpc.ssl_channel_credentials(root_certificates=pem)
    with grpc.secure_channel(f"unix:{parts[3]}", credentials, options=[("grpc.ssl_target_name_override", "localhost")]) as channel:
        schema = rpc.ProviderStub(channel).GetProviderSchema(pb.GetProviderSchema.Request(), timeout=30)
        assert len(schema.resource_schemas) == 143 and len(schema.data_source_schemas) == 125 and not schema.diagnostics
        controller_rpc.GRPCControllerStub(channel).Shutdown(controller_pb.Empty(), timeout=30)
    assert process.wait(timeout=10) == 0


def test_reattach_mode_serves_every_provider_until_stdin_closes(tmp_path: Path) -> None:
    process = _server("--reattach", "--store", str(tmp_path / "store.json"), cookie=False)
    assert process.stdout is not None and process.stdin is not None
    reattach = json.loads(process.stdout.readline())
    assert set(reattach) == set(PROVIDERS.values())
    address = reattach["registry.terraform.io/hashicorp/azurerm"]["Addr"]
    assert address["Network"] == "tcp" and address["String"].startswith("127.0.0.1:")
    with grpc.insecure_channel(address["String"]) as channel:
        schema = rpc.ProviderStub(channel).GetProviderSchema(pb.GetProviderSchema.Request(), timeout=30)
        assert "azurerm_databricks_workspace" in schema.resource_schemas and "azurerm_virtual_network" in schema.resource_schemas
        assert list(schema.data_source_schemas) == ["azurerm_client_config"]
    process.stdin.close()
    assert process.wait(timeout=10) == 0
