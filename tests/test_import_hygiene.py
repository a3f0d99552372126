"""The library works without Streamlit: importing every cxdash module never imports streamlit."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import cxdash

ROOT = Path(__file__).resolve().parents[1]


def _library_modules() -> list[str]:
    names = [
        m.name
        for m in pkgutil.walk_packages(cxdash.__path__, prefix="cxdash.")
        if m.name not in ("cxdash.ui", "cxdash.__main__") and not m.name.startswith("cxdash.ui.")
    ]
    assert "cxdash.ingest.load" in names
    return names


def test_library_imports_without_streamlit():
    code = (
        "import importlib, sys\n"
        "sys.modules['streamlit'] = None  # any import of streamlit now fails loudly\n"
        f"for name in {_library_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_no_streamlit_import_statement_in_library():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "cxdash").rglob("*.py")
        if p.name != "ui.py"
        and "ui" not in p.relative_to(ROOT / "cxdash").parts[:-1]
        and any(
            line.strip().startswith(("import streamlit", "from streamlit"))
            for line in p.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []
