"""A maintainer's change from outside the checkout: a variant file and a --protocols file
in a temporary directory, run with the installed ``spte-verify`` command (in CI: the
wheel installed by .ci/run, non-editable)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _cmd() -> list[str]:
    exe = shutil.which("spte-verify")
    assert exe is not None, "the spte-verify command is not installed"
    return [exe]


def _run(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_cmd(), *args], cwd=tmp, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": ""})


def test_the_package_is_the_installed_one_in_ci(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-c", "import verify; print(verify.__file__)"],
                       cwd=tmp_path, capture_output=True, text=True, check=True)
    if os.environ.get("CI") == "true":
        assert "site-packages" in r.stdout, r.stdout


def test_variant_file_from_a_temporary_directory(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "variants" / "fastpf-no-mark.toml", tmp_path / "mine.toml")
    r = _run(tmp_path, "check", "--variant-file", "mine.toml", "--against", "fixed",
             "--engine", "explicit", "--scenario", "pml-harvest-vs-fastpf")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "VIOLATED (depth" in r.stdout and "dirty-log" in r.stdout
    assert "Traceback" not in r.stderr


def test_protocols_file_from_a_temporary_directory(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "protocols" / "test_age.py", tmp_path / "my_protocol.py")
    r = _run(tmp_path, "list", "--protocols", "my_protocol.py")
    assert r.returncode == 0 and "example-test-age" in r.stdout and \
        "test-age-sees-access" in r.stdout, r.stdout + r.stderr
    r = _run(tmp_path, "check", "--protocols", "my_protocol.py", "--scenario",
             "example-test-age", "--kernel", "V-MID", "--engine", "explicit",
             "--save-witness", "w")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "test-age-sees-access  PROVED" in r.stdout
    # a variant that drops the lock around test-age's caller (aging): a rule check breaks,
    # and the saved witness replays from the same directory
    (tmp_path / "nolock.toml").write_text(
        'format = 1\nname = "age-unlocked"\nbase = "V-MID"\n[sites]\n'
        '"kvm_age_gfn.lock" = "absent"\n', encoding="utf-8")
    r = _run(tmp_path, "check", "--protocols", "my_protocol.py", "--scenario",
             "example-test-age", "--variant-file", "nolock.toml", "--engine", "explicit",
             "--save-witness", "w")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "rule checks  [age-unlocked]: 1 of 1 VIOLATED" in r.stdout
    saved = sorted((tmp_path / "w").glob("*.json"))
    assert saved
    r = _run(tmp_path, "replay", str(saved[0]))
    assert r.returncode == 0 and "REPRODUCED" in r.stdout, r.stdout + r.stderr
