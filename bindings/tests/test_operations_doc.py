"""The worked example of docs/operations.md ("A supervisor's morning") runs, and prints what its
comments say."""

import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def test_a_supervisors_morning_prints_what_the_doc_says():
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## A supervisor's morning", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    expected = [m.group(1).strip() for m in re.finditer(r"^print\(.*\)\s+# (.*)$", code, re.M)]
    printed = []
    def record(*values):
        printed.append(" ".join(map(str, values)))

    exec(compile(code, str(DOC), "exec"), {"print": record})
    assert len(printed) == len(expected) == 11
    assert printed == expected
