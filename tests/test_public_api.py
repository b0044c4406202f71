import iac


def test_public_surface_is_exactly_all_sorted() -> None:
    public = sorted(name for name in dir(iac) if not name.startswith("_") and name not in {
        "constructs", "diagnostics", "environment", "stack", "schema", "resolve", "synth", "project", "cli", "commands"})
    assert iac.__all__ == sorted(iac.__all__)
    assert set(iac.__all__) <= set(public)
