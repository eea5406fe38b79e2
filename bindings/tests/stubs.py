"""The package's type stubs (_core.pyi), parsed, for tests that check them against the bindings."""
import ast
import pathlib

import switchboard


def stub_tree():
    return ast.parse((pathlib.Path(switchboard.__file__).parent / "_core.pyi").read_text())


def stub_enum_members(class_name):
    """The member names of an enum class of the stubs (e.g. EventType), in order."""
    for node in stub_tree().body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return tuple(n.targets[0].id for n in node.body if isinstance(n, ast.Assign))
    raise AssertionError(class_name)
