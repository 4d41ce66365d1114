"""`samverkan check-config`: exit 0 when valid, 1 with key paths when not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, timeout=60
    )


def test_example_config_is_valid() -> None:
    result = run_cli("check-config", "--config", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_broken_config_lists_every_problem_with_its_key_path(tmp_path: Path) -> None:
    text = EXAMPLE.read_text()
    text = text.replace('schedule = "thu 16:00"', 'schedule = "thursday at four"', 1)
    text = text.replace('timezone = "Europe/Stockholm"', 'timezone = "Europe/Stokholm"', 1)
    broken = tmp_path / "broken.toml"
    broken.write_text(
        text + '\n[[forums]]\nid = "x"\nname = "X"\nlevel = "samordnande"\n'
        'mode = "ordinarie"\nroom = "#x:example.se"\nparticipants = ["nobody"]\n'
    )
    result = run_cli("check-config", "--config", str(broken))
    assert result.returncode == 1
    err = result.stderr
    assert "bot.timezone:" in err
    assert "schedule:" in err and "forums[" in err
    assert "participants" in err and "nobody" in err


def test_config_from_environment_variable(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "check-config"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"SAMVERKAN_CONFIG": str(tmp_path / "missing.toml"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "missing.toml" in result.stderr
