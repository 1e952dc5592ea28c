"""The dependency locks: every package pinned with hashes, every direct pin of a requirements*.in
in its lock, and the test lock installing exactly the versions production runs. (`make
lock-check`, run by CI, compiles the .in files again and compares; this test needs no network.)"""

import re
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
LOCKS = ("requirements", "requirements-otel", "requirements-dev")
TOOLS = {
    "pytest",
    "pytest-django",
    "pytest-env",
    "locust",
    "playwright",
    "schemathesis",
    "ruff",
    "uv",
}
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==(?P<version>[^\s;\\]+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock(name: str) -> dict[str, tuple[str, frozenset[str]]]:
    """A lock's packages: name -> (version, hashes)."""
    packages: dict[str, tuple[str, frozenset[str]]] = {}
    current = None
    for line in (PROJECT_DIR / f"{name}.txt").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash="):
            version, hashes = packages[current]
            packages[current] = (version, hashes | {stripped.removeprefix("--hash=").rstrip(" \\")})
            continue
        match = PIN.match(stripped)
        assert match, f"{name}.txt: not an exact pin: {line}"
        current = normalized(match["name"])
        packages[current] = (match["version"], frozenset())
    return packages


def direct_pins(name: str) -> dict[str, str]:
    """The pins a requirements*.in asks for, with the files it includes (-r)."""
    pins: dict[str, str] = {}
    for line in (PROJECT_DIR / f"{name}.in").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            pins |= direct_pins(line.removeprefix("-r ").removesuffix(".in").strip())
        elif line and not line.startswith("-c "):
            match = PIN.match(line)
            assert match, f"{name}.in: not an exact pin: {line}"
            pins[normalized(match["name"])] = match["version"]
    return pins


@pytest.mark.parametrize("name", LOCKS)
def test_every_locked_package_is_pinned_with_hashes(name):
    packages = lock(name)
    assert packages
    assert [package for package, (_, hashes) in packages.items() if not hashes] == []


@pytest.mark.parametrize("name", LOCKS)
def test_every_direct_pin_is_locked_at_its_version(name):
    locked = lock(name)
    assert {
        package: version
        for package, version in direct_pins(name).items()
        if locked.get(package, (None,))[0] != version
    } == {}


@pytest.mark.parametrize("name", ["requirements", "requirements-otel"])
def test_the_test_lock_installs_what_production_runs(name):
    # Same versions and hashes, so tests run production's packages and installing both locks
    # together cannot conflict.
    dev = lock("requirements-dev")
    assert {package: pin for package, pin in lock(name).items() if dev.get(package) != pin} == {}


def test_serving_installs_no_test_tools():
    assert set(lock("requirements-dev")) >= TOOLS
    assert not TOOLS & set(lock("requirements"))
