import iac


def test_public_surface_is_exactly_all_sorted() -> None:
    public = sorted(name for name in dir(iac) if not name.startswith("_") and name not in {
        "constructs", "diagnostics", "environment", "stack", "schema", "resolve", "synth", "project", "cli", "commands"})
    assert iac.__all__ == sorted(iac.__all__)
    assert set(iac.__all__) <= set(public)


def test_every_public_name_resolves_and_star_import_gives_all() -> None:
    namespace: dict[str, object] = {}
    exec("from iac import *", namespace)  # noqa: S102 - the blueprint idiom itself
    assert sorted(k for k in namespace if not k.startswith("__")) == iac.__all__
    assert all(getattr(iac, name) is namespace[name] for name in iac.__all__)


def test_the_command_line_starts_without_loading_the_constructs() -> None:
    """`iac plan --config`, `iac show`, `iac comment` never need them (pydantic models: a third of a second)."""
    import subprocess
    import sys

    for importing in ("import iac.cli", "from iac import cli"):  # the second asks the package's __getattr__ first
        probe = f"import sys; {importing}; print(sorted(m for m in sys.modules if m.startswith('iac.constructs')))"
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        assert result.stdout.strip() == "[]", importing


def test_environment_settings_are_public() -> None:
    """What an environment file states besides the constructs: its checks, its usage, a shared workspace."""
    from iac.cost.usage import UsageAssumptions
    from iac.policy.settings import PolicySettings
    from iac.stack import ExistingWorkspace

    assert {"PolicySettings", "UsageAssumptions", "ExistingWorkspace"} <= set(iac.__all__)
    assert (iac.PolicySettings, iac.UsageAssumptions, iac.ExistingWorkspace) == (PolicySettings, UsageAssumptions,
                                                                              ExistingWorkspace)
