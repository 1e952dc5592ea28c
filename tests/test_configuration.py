"""Every environment variable the service reads is documented once, with its default, in
docs/configuration.md, and listed in .env.example; the docs name no variable nobody reads."""

import ast
import re
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SETTINGS = PROJECT_DIR / "webstore" / "settings.py"
# Read outside the settings, with os.environ: the server's and the observability toolkit's knobs.
OS_ENVIRON_READERS = [PROJECT_DIR / "gunicorn.conf.py"] + [
    path
    for path in (PROJECT_DIR / "webstore").rglob("*.py")
    if "tests" not in path.parts and path != SETTINGS
]
OS_ENVIRON_READ = re.compile(r"""os\.environ(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]*)["']""")
NAME_IN_TABLE_ROW = re.compile(r"`([A-Z][A-Z0-9_]+)`")


def _is_env_call(node: ast.AST) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    return (isinstance(func, ast.Name) and func.id == "env") or (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "env"
    )


def settings_variables() -> set[str]:
    """The names settings.py passes to `env(...)`, directly or through a helper of its own
    that hands its first parameter to `env` (`_required_secret("SECRET_KEY", ...)`)."""
    tree = ast.parse(SETTINGS.read_text())
    helpers = {
        function.name
        for function in tree.body
        if isinstance(function, ast.FunctionDef)
        and function.args.args
        and any(
            _is_env_call(node)
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == function.args.args[0].arg
            for node in ast.walk(function)
        )
    }
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (_is_env_call(node) or (isinstance(node.func, ast.Name) and node.func.id in helpers))
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def read_variables() -> set[str]:
    names = settings_variables()
    for path in OS_ENVIRON_READERS:
        names |= set(OS_ENVIRON_READ.findall(path.read_text()))
    return names


def documented_variables() -> set[str]:
    """The names in the first column of docs/configuration.md's tables."""
    names = set()
    for line in (PROJECT_DIR / "docs" / "configuration.md").read_text().splitlines():
        if line.startswith("| `"):
            names |= set(NAME_IN_TABLE_ROW.findall(line.split("|")[1]))
    return names


def test_the_settings_read_what_this_test_expects():
    # Guards the parsing above: a few names read in each way.
    assert {"DEBUG", "DATABASE_URL", "SECRET_KEY", "RATE_LIMIT_WRITE"} <= settings_variables()
    assert {"BIND", "PORT", "OTEL_EXPORTER_OTLP_ENDPOINT"} <= read_variables()


def test_every_variable_read_is_documented_and_nothing_else():
    assert documented_variables() == read_variables()


def test_every_variable_read_is_in_env_example():
    example = (PROJECT_DIR / ".env.example").read_text()
    assert {name for name in read_variables() if not re.search(rf"\b{name}=", example)} == set()
