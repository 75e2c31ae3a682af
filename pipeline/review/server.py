"""A Label Studio server of one's own on 127.0.0.1: started, driven through its REST API, stopped.

Label Studio (``pip install -e '.[review]'``, best in a virtual environment of its
own: ``make review-env`` makes ``.venv-review``) runs as a separate process; hanlink
talks to it over HTTP only, with the standard library. The tests and
``benchmarks/label_studio_screenshot.py`` use this to check the tasks
:mod:`pipeline.review.label_studio` writes against the real tool. Use::

    with LabelStudio(tempfile.mkdtemp()) as studio:
        project = studio.create_project("review", labeling_config())
        studio.import_tasks(project, tasks)
        exported = studio.export(project)
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from pipeline.errors import BackendUnavailableError, HanlinkError

__all__ = ["MISSING", "find_executable", "free_port", "LabelStudio"]

MISSING = ("{name} is not installed here: install it in a virtual environment of its own "
           "(`make review-env` makes .venv-review; or `python -m venv .venv-review && "
           ".venv-review/bin/pip install -e '.[review]'`) and set {variable}=.venv-review/bin/{name} "
           "(it pins Django and many packages, so keep it out of hanlink's own environment)")


def find_executable(name: str, variable: str) -> str:
    """The ``name`` program: ``$variable``, else beside the running Python, else on PATH.

    Raises
    ------
    BackendUnavailableError
        When it is nowhere, saying how to install it.
    """
    candidates = [os.environ.get(variable), str(Path(sys.executable).with_name(name)), shutil.which(name)]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    if os.environ.get(variable):
        raise BackendUnavailableError(f"{variable}={os.environ[variable]} is not an executable file; "
                                      + MISSING.format(name=name, variable=variable))
    raise BackendUnavailableError(MISSING.format(name=name, variable=variable))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LabelStudio:
    """A Label Studio server on 127.0.0.1 with its data in ``data_dir`` (a throwaway folder).

    Parameters
    ----------
    data_dir
        Where its database and files go; nothing is written elsewhere.
    executable
        The ``label-studio`` program (default: :func:`find_executable`).
    port
        Default: a free one.
    """

    username = "reviewer@example.com"

    def __init__(self, data_dir: str | os.PathLike, *, executable: str | None = None, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.executable = executable or find_executable("label-studio", "HANLINK_LABEL_STUDIO")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_hex(8)
        self.token = secrets.token_hex(20)
        self.process: subprocess.Popen | None = None
        self.log_path = self.data_dir / "label-studio.log"

    def __enter__(self) -> LabelStudio:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 300) -> LabelStudio:
        """Start the server and wait until it answers (its first start creates its database: ~30 s).

        Raises
        ------
        HanlinkError
            When it exits or does not answer within ``timeout`` seconds, with the end of its log.
        """
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(self.data_dir), "LATEST_VERSION_CHECK": "false",
               "COLLECT_ANALYTICS": "false", "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
               "DJANGO_DB": "sqlite", "LOG_LEVEL": "WARNING",
               "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": ""}  # no error reports leave the machine
        command = [self.executable, "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(self.port),
                   "--data-dir", str(self.data_dir), "--username", self.username, "--password", self.password,
                   "--user-token", self.token, "--enable-legacy-api-token"]
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env, cwd=self.data_dir, start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HanlinkError(f"Label Studio exited with status {self.process.returncode}; its log "
                                   f"({self.log_path}) ends:\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=5) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(1)
        self.stop()
        raise HanlinkError(f"Label Studio did not answer on {self.url} within {timeout:.0f} s; its log "
                           f"({self.log_path}) ends:\n{self._log_tail()}")

    def stop(self) -> None:
        """Stop the server (its process group: the web server and its workers)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- REST API -----------------------------------------------------------

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the REST API (legacy token authentication); the decoded JSON answer.

        Raises
        ------
        HanlinkError
            On an HTTP error, with Label Studio's answer.
        """
        request = urllib.request.Request(
            self.url + path, method=method, data=None if body is None else json.dumps(body).encode("utf-8"),
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            raise HanlinkError(f"Label Studio: {method} {path} → {exc.code}: "
                               f"{exc.read().decode('utf-8', 'replace')[:2000]}") from None
        return json.loads(payload) if payload else None

    def create_project(self, title: str, label_config: str) -> int:
        """A new project with the labeling configuration; its id."""
        return self.api("POST", "/api/projects", {"title": title, "label_config": label_config})["id"]

    def import_tasks(self, project: int, tasks: list[dict[str, Any]]) -> int:
        """Import tasks (with their predictions); how many were created."""
        return self.api("POST", f"/api/projects/{project}/import", tasks)["task_count"]

    def tasks(self, project: int) -> list[dict[str, Any]]:
        """The project's tasks with their predictions and annotations in full (the export lists predictions
        by id only)."""
        listed = self.api("GET", f"/api/tasks?project={project}&page_size=100000&fields=all")
        return [self.api("GET", f"/api/tasks/{task['id']}") for task in listed["tasks"]]

    def annotate(self, task: int, result: list[dict[str, Any]]) -> int:
        """Submit an annotation of ``task`` with ``result``, as an annotator's Submit does; its id."""
        return self.api("POST", f"/api/tasks/{task}/annotations", {"result": result, "was_cancelled": False})["id"]

    def update_annotation(self, annotation: int, result: list[dict[str, Any]]) -> None:
        """Replace the result of an annotation, as an annotator's Update does."""
        self.api("PATCH", f"/api/annotations/{annotation}", {"result": result})

    def export(self, project: int) -> list[dict[str, Any]]:
        """The project's JSON export (every task, with annotations and predictions), as the Export button gives."""
        return self.api("GET", f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true")
