"""The production setup started from the Procfile, process by process, for
the production test (tests/test_production_setup.py) and `make load`.

Each line of the Procfile is run as honcho runs it (`sh -c` with PORT set),
but each process in a session of its own, so that one can be killed
(SIGKILL of its whole group, as when its host dies) without the others
being stopped: honcho stops every process when one exits. Also a
redis-server of its own, so that the broker can be stopped and started
again without touching anyone else's Redis. Linux only (/proc)."""

import contextlib
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from honcho.environ import parse_procfile

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = BASE_DIR / ".venv" / "bin"
WAIT = 90  # seconds: an upper bound for a busy machine, never a measurement


def wait_until(condition, what, timeout=WAIT, logs=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    detail = "\n".join(f"--- {log}\n{Path(log).read_text(errors='replace')[-3000:]}" for log in logs)
    raise AssertionError(f"timed out waiting for {what}\n{detail}")


def http_status(url, timeout=10):
    """The status of a GET (no redirects followed), None if nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, urllib.error.URLError):
        return None, b""


def collect_static(env):
    """The manifest storage of production needs the collected files."""
    subprocess.run(  # noqa: S603 - our own manage.py
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=BASE_DIR, check=True
    )


class Process:
    def __init__(self, name, popen, log):
        self.name, self.popen, self.log = name, popen, log

    @property
    def pid(self):
        return self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def descendants(self):
        """Every process of its group (its session), itself included."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getpgid(int(entry.name)) == self.pid:
                        pids.append(int(entry.name))
                except OSError:
                    continue
        return pids

    def kill(self):
        """SIGKILL to the whole group: the process and its children die at once."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self, timeout=30):
        if self.alive():
            try:
                os.killpg(self.pid, signal.SIGTERM)
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)
            except ProcessLookupError:
                pass

    def text(self):
        return self.log.read_text(errors="replace")


class Stack:
    """Processes of the Procfile (by name: web, worker, beat) and a redis-server."""

    def __init__(self, logdir, env, port, procfile=BASE_DIR / "Procfile"):
        self.logdir = Path(logdir)
        self.logdir.mkdir(parents=True, exist_ok=True)
        self.commands = parse_procfile(Path(procfile).read_text()).processes
        self.port = port
        self.env = {**os.environ, **env, "PATH": f"{BIN}:{os.environ.get('PATH', '')}", "PYTHONUNBUFFERED": "1"}
        self.processes = []
        self.count = 0

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, name, ready=None, **env):
        """One process of the Procfile's line `name`; waits for `ready` in its log."""
        self.count += 1
        log = self.logdir / f"{name}.{self.count}.log"
        popen = subprocess.Popen(  # noqa: S603 - the Procfile's own line, as honcho runs it
            ["/bin/sh", "-c", self.commands[name]],
            cwd=BASE_DIR,
            env={**self.env, "PORT": str(self.port), **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process = Process(name, popen, log)
        self.processes.append(process)
        if ready:
            wait_until(lambda: ready in process.text() or not process.alive(), f"{name} to start", logs=[log])
            assert process.alive(), process.text()[-3000:]
        return process

    def web(self, **env):
        process = self.start("web", **env)
        wait_until(lambda: http_status(self.url + "/healthz")[0] == 200, "gunicorn to answer", logs=[process.log])
        return process

    def worker(self, **env):
        return self.start("worker", ready=" ready.", **env)

    def beat(self, **env):
        return self.start("beat", ready="beat: Starting", **env)

    def stop_all(self):
        for process in reversed(self.processes):
            process.stop()

    def logs(self):
        return "\n".join(f"--- {p.log.name}\n{p.text()[-4000:]}" for p in self.processes)


def gunicorn_workers(web):
    """The pids of a web process's gunicorn workers (the master's children)."""
    gunicorns = [
        pid for pid in web.descendants() if "gunicorn" in _cmdline(pid) and not _cmdline(pid).startswith("/bin/sh")
    ]
    masters = [pid for pid in gunicorns if _ppid(pid) not in gunicorns]
    return sorted(pid for pid in gunicorns if _ppid(pid) in masters)


def socket_owner(local_port, candidates):
    """The pid among `candidates` that holds the TCP socket of 127.0.0.1:`local_port`."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                inodes.add(f"socket:[{fields[9]}]")
    for pid in candidates:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                if os.readlink(fd) in inodes:
                    return pid
        except OSError:
            continue
    return None


def _ppid(pid):
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def _cmdline(pid):
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


class RedisServer:
    """A redis-server of our own on `port`, without persistence."""

    def __init__(self, port, logdir):
        self.port, self.log = port, Path(logdir) / f"redis-{port}.log"
        self.popen = None

    def start(self):
        self.popen = subprocess.Popen(  # noqa: S603 - the system's redis-server
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: "Ready to accept connections" in self.log.read_text(errors="replace"), "redis-server")
        return self

    def stop(self):
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            self.popen.wait(timeout=30)
        # The next start waits for its own line.
        self.log.write_text("")

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"
