"""The package's type stubs (_core.pyi), parsed, for tests that check them against the bindings."""
import ast
import pathlib

import switchboard


def stub_tree():
    return ast.parse((pathlib.Path(switchboard.__file__).parent / "_core.pyi").read_text())
