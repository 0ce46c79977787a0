"""A package whose public names are imported from their modules on first use, so that `import optimizer` (and
`pulje --help`, which starts with it) loads nothing until a name is needed."""

from __future__ import annotations

import importlib
import sys
import types


def import_on_use(package: str, homes: dict[str, str]) -> None:
    """Make `package` import each public name of `homes` ({name: module}) when it is first used. A name that is
    also a module's name (solve, run, robustness, ...) stays bound to the function: importing the module would
    otherwise put the module in its place."""

    class Package(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            if name not in homes:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
            value = getattr(importlib.import_module(homes[name]), name)
            super().__setattr__(name, value)
            return value

        def __setattr__(self, name: str, value: object) -> None:
            if name in homes and isinstance(value, types.ModuleType):
                return
            super().__setattr__(name, value)

    sys.modules[package].__class__ = Package
