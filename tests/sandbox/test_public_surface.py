import importlib
import pkgutil

import pytest

import iac.sandbox

MODULES = sorted(m.name for m in pkgutil.iter_modules(iac.sandbox.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_all_is_sorted_and_names_exist(name: str) -> None:
    module = importlib.import_module(f"iac.sandbox.{name}")
    assert module.__all__ == sorted(module.__all__)
    assert all(hasattr(module, item) for item in module.__all__)
    assert module.__doc__ and module.__doc__.strip()


def test_package_docstring_lists_every_module() -> None:
    packages = {m.name for m in pkgutil.iter_modules(iac.sandbox.__path__) if m.ispkg}
    assert all(f"{name}{'/' if name in packages else '.py'}" in (iac.sandbox.__doc__ or "") for name in MODULES)
