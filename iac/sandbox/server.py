"""Serve the sandbox providers over go-plugin: launched by Terraform, or long-lived for TF_REATTACH_PROVIDERS.

    python -m iac.sandbox.server --provider databricks   # what the `terraform-provider-databricks` launcher runs
    python -m iac.sandbox.server --reattach [--store F]  # both providers, one process; prints the reattach JSON

Why not `tf.runner.run_provider`: the PyPI package `tf` does the same go-plugin dance, but it is welded to
its own `ProviderServicer`, whose value codec and planner know only set-nested blocks, primitive
attributes and top-level changes (no list/single nesting, objects, maps, nested force-new or defaults in
blocks). Extending it would mean replacing nearly all of it, so we keep what it does well (the
generated tfplugin6, GRPCController and GRPCStdio stubs in `tf.gen`) and write the small remaining pieces
here: the handshake line, an in-memory TLS certificate, and the reattach mode `tf` lacks for several
providers at once.

Launched mode follows go-plugin's contract: refuse to run without Terraform's magic cookie, negotiate
protocol 6, serve gRPC over TLS on a unix socket, print exactly one handshake line
`1|6|unix|<socket>|grpc|<base64 DER certificate>` on stdout before anything else (all logging goes to
stderr), and exit soon after `GRPCController.Shutdown`. Reattach mode serves plain gRPC (go-plugin does
not use TLS for reattached providers) on 127.0.0.1 TCP ports, prints one JSON line mapping each provider
address to its port, and stays up until its stdin closes (the session that started it holds the other
end) or SIGTERM. Whoever runs Terraform against it may hold that stdin too (`Sandbox.lifeline`): iac's
Terraform worker does, so a Terraform that outlives a killed iac keeps its provider until it has finished.
The reattached server runs in a session of its own and writes nothing to stdout after its first line.
TCP rather than a unix socket because every provider configuration (alias) then has its
own connection with its own peer address, which is how the provider tells their settings apart (a unix
socket peer is always just "unix:").
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent import futures
from datetime import UTC, datetime, timedelta
from typing import Any

import grpc
from tf.gen import grpc_controller_pb2 as controller_pb
from tf.gen import grpc_controller_pb2_grpc as controller_rpc
from tf.gen import grpc_stdio_pb2_grpc as stdio_rpc
from tf.gen import tfplugin_pb2_grpc as rpc

from iac.sandbox.provider import SandboxProvider
from iac.sandbox.schema import PROVIDERS

__all__ = ["APPLY_DELAY_ENV", "MAGIC_COOKIE_KEY", "MAGIC_COOKIE_VALUE", "main", "reattach_config", "serve_launched", "serve_reattach"]

# Terraform's go-plugin handshake cookie (internal/plugin6/serve.go): a plugin refuses to start without it.
MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE"
MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
_CORE_PROTOCOL = 1
_TF_PROTOCOL = 6

log = logging.getLogger("iac.sandbox")


class _Controller(controller_rpc.GRPCControllerServicer):
    def __init__(self, stopped: threading.Event) -> None:
        self._stopped = stopped

    def Shutdown(self, request: Any, context: Any) -> controller_pb.Empty:
        self._stopped.set()
        return controller_pb.Empty()


class _Stdio(stdio_rpc.GRPCStdioServicer):
    def StreamStdio(self, request: Any, context: Any) -> Any:
        return iter(())  # we never write to the plugin's stdout/stderr streams through gRPC


APPLY_DELAY_ENV = "IAC_SANDBOX_APPLY_DELAY"
"""Seconds every ApplyResourceChange takes (default 0): a slow API, to interrupt or kill an apply mid-flight."""


class _SlowProvider(SandboxProvider):
    """The provider with an API that takes `delay` seconds per change (tests of interrupts and kills)."""

    def __init__(self, name: str, store: str | None, delay: float) -> None:
        super().__init__(name, store)
        self.delay = delay

    def ApplyResourceChange(self, request: Any, context: Any) -> Any:  # noqa: N802 - the gRPC method name
        time.sleep(self.delay)
        return super().ApplyResourceChange(request, context)


def _provider(name: str, store: str | None) -> SandboxProvider:
    delay = float(os.environ.get(APPLY_DELAY_ENV) or 0)
    return _SlowProvider(name, store, delay) if delay > 0 else SandboxProvider(name, store)


def _grpc_server(provider: SandboxProvider, stopped: threading.Event) -> grpc.Server:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    rpc.add_ProviderServicer_to_server(provider, server)
    controller_rpc.add_GRPCControllerServicer_to_server(_Controller(stopped), server)
    stdio_rpc.add_GRPCStdioServicer_to_server(_Stdio(), server)
    return server


def _certificate() -> tuple[bytes, bytes, bytes]:
    """A fresh self-signed certificate for `localhost`: (DER cert, PEM cert, PEM key). Never written to disk."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=True,
                          data_encipherment=False, key_agreement=True, key_cert_sign=True, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1)).not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH,
                                              x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return (certificate.public_bytes(serialization.Encoding.DER),
            certificate.public_bytes(serialization.Encoding.PEM), key_pem)


def serve_launched(provider_name: str, store: str | None) -> int:
    """Run as a plugin Terraform started: TLS socket, handshake line, exit after Shutdown."""
    if os.environ.get(MAGIC_COOKIE_KEY) != MAGIC_COOKIE_VALUE:
        print("This is a Terraform provider plugin (the iac sandbox). Terraform starts it; it is not run by hand.\n"
              "Use `iac sandbox up` to wire Terraform to it.", file=sys.stderr)
        return 1
    versions = os.environ.get("PLUGIN_PROTOCOL_VERSIONS", str(_TF_PROTOCOL)).split(",")
    if str(_TF_PROTOCOL) not in versions:
        print(f"Terraform offered plugin protocols {versions}; the sandbox speaks only {_TF_PROTOCOL}", file=sys.stderr)
        return 1
    stopped = threading.Event()
    server = _grpc_server(_provider(provider_name, store), stopped)
    socket_dir = tempfile.mkdtemp(prefix="iac-sandbox-")
    try:
        socket = f"{socket_dir}/plugin.sock"
        der, cert_pem, key_pem = _certificate()
        server.add_secure_port(f"unix:{socket}", grpc.ssl_server_credentials([(key_pem, cert_pem)]))
        server.start()
        certificate = base64.b64encode(der).decode().rstrip("=")
        sys.stdout.write(f"{_CORE_PROTOCOL}|{_TF_PROTOCOL}|unix|{socket}|grpc|{certificate}\n")
        sys.stdout.flush()
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Terraform forwards Ctrl-C as StopProvider instead
        stopped.wait()
        server.stop(grace=0.2).wait()
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
    return 0


def reattach_config(addresses: dict[str, str]) -> dict[str, Any]:
    """The TF_REATTACH_PROVIDERS value for providers served at `addresses` (provider name -> host:port)."""
    return {
        PROVIDERS[name]: {"Protocol": "grpc", "ProtocolVersion": _TF_PROTOCOL, "Pid": os.getpid(), "Test": True,
                          "Addr": {"Network": "tcp", "String": address}}
        for name, address in addresses.items()
    }


def serve_reattach(store: str | None) -> int:
    """Serve every sandbox provider from this process until stdin closes; print the reattach JSON first."""
    stopped = threading.Event()
    servers, addresses = [], {}
    for name in PROVIDERS:
        server = _grpc_server(_provider(name, store), threading.Event())  # Shutdown must not stop us
        addresses[name] = f"127.0.0.1:{server.add_insecure_port('127.0.0.1:0')}"
        server.start()
        servers.append(server)
    sys.stdout.write(json.dumps(reattach_config(addresses)) + "\n")
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the reader may be gone (a killed iac): nothing more goes there
    os.close(devnull)
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Terraform forwards Ctrl-C as StopProvider instead
    threading.Thread(target=_wait_for_eof, args=(stopped,), daemon=True).start()
    stopped.wait()
    for server in servers:
        server.stop(grace=0.2).wait()
    return 0


def _wait_for_eof(stopped: threading.Event) -> None:
    while sys.stdin.buffer.read(4096):
        pass
    stopped.set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m iac.sandbox.server", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--provider", choices=sorted(PROVIDERS), help="serve one provider, as Terraform launches it")
    mode.add_argument("--reattach", action="store_true", help="serve all providers for TF_REATTACH_PROVIDERS")
    parser.add_argument("--store", help="store file (default: provider block sandbox_store_path, then $IAC_SANDBOX_STORE)")
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=os.environ.get("IAC_SANDBOX_LOG", "WARNING").upper(),
                        format="%(asctime)s [iac-sandbox %(process)d] %(levelname)s %(message)s")
    if args.reattach:
        return serve_reattach(args.store)
    return serve_launched(args.provider, args.store)


if __name__ == "__main__":
    sys.exit(main())
