"""Fixtures: llmrt's mock provider server (the `llmrt mock-server` command) on 127.0.0.1, and
models of the real openai plugin pointed at it."""

import os
import pathlib
import subprocess

import pytest

import llmrt


def _cli() -> str:
    """The llmrt command: $LLMRT_CLI (ctest sets it), else the build tree's beside the package."""
    if os.environ.get("LLMRT_CLI"):
        return os.environ["LLMRT_CLI"]
    command = pathlib.Path(llmrt._llmrt.__file__).parent.parent.parent / "bin" / "llmrt"
    if command.exists():
        return str(command)
    pytest.skip("no llmrt command: set LLMRT_CLI")


class MockServer:
    """`llmrt mock-server` in a process of its own; its URL read from what it prints first."""

    def __init__(self, *flags: str) -> None:
        self.process = subprocess.Popen(
            [_cli(), "mock-server", "--host", "127.0.0.1", "--port", "0", *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline()
        marker = "listening on "
        if marker not in line:
            self.stop()
            raise RuntimeError(f"mock server did not start: {line!r} {self.process.stderr.read()!r}")
        self.url = line.split(marker, 1)[1].split()[0]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture(scope="session")
def mock_server():
    server = MockServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def runtime():
    return llmrt.Runtime()


@pytest.fixture
def model(runtime, mock_server):
    """gpt-4o-mini on the mock server, without retries (a fault shows at once)."""
    return runtime.model(
        "openai", "gpt-4o-mini", api_base=mock_server.url + "/v1", key="sk-test", retry=0
    )


@pytest.fixture
def mock_url(mock_server):
    return mock_server.url


@pytest.fixture
def mock_port(mock_server):
    return int(mock_server.url.rsplit(":", 1)[1])


@pytest.fixture
def front(mock_port):
    """A recording front (recording_front.py) before the mock server: keys, faults, a proxy."""
    from recording_front import RecordingFront

    f = RecordingFront(mock_port)
    yield f
    f.close()
