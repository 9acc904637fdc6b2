"""mypy --strict on code users write against the public API (tests/typecheck/).

``user_code.py`` and ``wrapper_library.py`` must check clean; in ``bad_arguments.py`` exactly
the lines marked ``# error`` must be reported: a misspelt enum value, an option of the wrong
type. This is what a user's CI sees.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
TYPECHECK = Path(__file__).parent / "typecheck"
CLEAN = ("user_code.py", "wrapper_library.py")
BAD = "bad_arguments.py"


def test_mypy_strict_accepts_users_code_and_flags_exactly_the_marked_mistakes() -> None:
    files = [str(TYPECHECK / name) for name in (*CLEAN, BAD)]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    reported: dict[str, set[int]] = {}
    messages: dict[int, str] = {}
    for line in result.stdout.splitlines():
        found = re.match(r"(?:.*/)?(\w+\.py):(\d+): error: (.*)", line)
        if found:
            reported.setdefault(found[1], set()).add(int(found[2]))
            if found[1] == BAD:
                messages[int(found[2])] = found[3]
    for name in CLEAN:
        assert name not in reported, result.stdout
    source = (TYPECHECK / BAD).read_text(encoding="utf-8").splitlines()
    marked = {number for number, text in enumerate(source, 1) if text.endswith("# error")}
    assert reported.get(BAD) == marked, result.stdout
    doneish = next(n for n, text in enumerate(source, 1) if 'status="doneish"' in text)
    assert "\"Literal['doneish']\"" in messages[doneish]
    assert "Literal['outstanding', 'completed', 'not_doing']" in messages[doneish]
