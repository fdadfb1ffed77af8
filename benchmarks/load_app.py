"""Load test of the course app: N learners open a lesson at the same moment and move its slider.

A script, not a test (it asserts nothing about time). It starts ``melt-course app`` on a free
port, then drives N simultaneous learners through it and prints errors and latency
percentiles. Two kinds of learner:

``--mode ws`` (default)
    Each learner is a thread speaking the protocol a browser speaks: it fetches the lesson page
    (Voilà starts a kernel and runs the notebook for it), opens the kernel's websocket, asks for
    the widget states as the page's JavaScript does, then moves the hip demo's slider
    ``--moves`` times (a widget ``update`` message) and times each move until the kernel sends
    the new picture (an ``update`` of the diagram's HTML widget with a new ``<img>``). Light
    on the client, so the numbers are the server's.
``--mode browser``
    Each learner is a Playwright browser context in one headless Chromium (Debian's, never
    downloaded): it opens the lesson, waits for the slider, presses the right arrow key and
    times until the picture's ``src`` changes. End to end, but Chromium's own rendering
    competes with the server for this machine's CPU.

Usage::

    PYTHONPATH=$PWD .venv/bin/python benchmarks/load_app.py --learners 10
    PYTHONPATH=$PWD .venv/bin/python benchmarks/load_app.py --learners 30 --moves 10
    PYTHONPATH=$PWD .venv/bin/python benchmarks/load_app.py --learners 10 --mode browser

Results for this machine are recorded in docs/performance-load.md.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from common import Summary, machine_line
from kernel_ws import SUBPROTOCOL, decode
from kernel_ws import encode as _encode
from processes import cmdline, cpu_seconds, free_port, process_tree, tree_rss_mb

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "00_start_here.ipynb"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Widgets the lesson displays (its stored outputs); a page with fewer lost some.
EXPECTED_WIDGETS = sum(
    WIDGET_MIME in out.get("data", {})
    for cell in json.loads((ROOT / "notebooks" / NOTEBOOK).read_text(encoding="utf-8"))["cells"]
    for out in cell.get("outputs", []))
CHROMIUM = os.environ.get("MELT_CHROMIUM", "/usr/bin/chromium")
#: ipywidgets' widget-control comm protocol, as the page's widget manager sends it.
CONTROL_PROTOCOL = "1.0.0"


# --------------------------------------------------------------------------- server


def start_app(port: int, token: str, log: Path) -> subprocess.Popen:
    """Start ``melt-course app`` (127.0.0.1, no browser) and wait until it answers.

    Progress files go beside ``log`` (in the run's scratch folder) unless
    ``MELT_COURSE_PROGRESS`` is set.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.setdefault("MELT_COURSE_PROGRESS", str(log.parent / "progress"))
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "melt_course", "app", "--no-browser",
                                 "--port", str(port), "--token", token], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise TimeoutError("the app did not answer within 120 s")


class ServerSampler(threading.Thread):
    """Samples the server's resident memory (server plus kernels) and CPU time, twice a second.

    CPU time is summed over every process seen in the server's tree, each at the last value
    seen, so kernels that stop during the run still count (up to the last half second).
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self._stop_event = pid, 0.0, threading.Event()
        self._cpu: dict[int, float] = {}
        self._cpu_at_start = 0.0
        self._server_at_start: dict[int, float] = {}

    def _sample_cpu(self) -> None:
        for p in process_tree(self.pid):
            with contextlib.suppress(IndexError, ValueError):
                self._cpu[p] = max(self._cpu.get(p, 0.0), cpu_seconds(p))

    def run(self) -> None:
        self._sample_cpu()
        self._cpu_at_start = sum(self._cpu.values())
        self._server_at_start = dict(self._cpu)
        while not self._stop_event.wait(0.5):
            self.peak_mb = max(self.peak_mb, tree_rss_mb(self.pid))
            self._sample_cpu()

    def stop(self) -> tuple[float, float, float]:
        """Stop sampling; return (peak memory in MB, CPU seconds used during the run by all
        the server's processes, CPU seconds of those used by the Voilà server process)."""
        self._sample_cpu()
        self._stop_event.set()
        self.join()
        voila = [p for p in process_tree(self.pid) if p != self.pid and p in self._cpu
                 and " -m voila " in cmdline(p)]
        server = sum(self._cpu[p] - self._server_at_start.get(p, 0.0) for p in voila)
        return self.peak_mb, sum(self._cpu.values()) - self._cpu_at_start, server


# --------------------------------------------------------------------------- learners


@dataclass
class Learner:
    """What happened to one simulated learner."""

    index: int
    page_seconds: float | None = None
    moves: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _message(msg_type: str, content: dict, session: str, **kw) -> bytes:
    """A shell message as the page sends it (see kernel_ws.encode)."""
    return _encode(msg_type, content, session, username="load", **kw)


def _find_models(states: dict) -> tuple[str, str]:
    """Model ids of the hip demo's slider and picture in an ``update_states`` payload.

    The picture is the ``HTML`` widget of the course's ``Diagram`` (class
    ``melt-diagram-image``: an ``<img>`` with its alt text, the PNG as base64).

    Raises
    ------
    LookupError
        Naming what was looked for and the widget models the page has, when one is missing.
    """
    def find(what: str, test) -> str:
        found = [mid for mid, s in states.items() if test(s["model_name"], s["state"])]
        if not found:
            kinds = sorted({s["model_name"] for s in states.values()})
            raise LookupError(f"no {what} among the page's {len(states)} widget models "
                              f"(kinds: {', '.join(kinds)})")
        return found[0]

    slider = find("IntSlider described 'Hip flexion...'", lambda model, state:
                  model == "IntSliderModel"
                  and state.get("description", "").startswith("Hip flexion"))
    image = find("HTML picture with class melt-diagram-image", lambda model, state:
                 model == "HTMLModel" and "melt-diagram-image" in state.get("_dom_classes", []))
    return slider, image


def _is_new_picture(msg: dict, image: str) -> bool:
    """Whether ``msg`` puts a new picture (an ``<img>``) into the diagram's HTML widget."""
    content = msg["content"]
    data = content.get("data") or {}
    return (msg["header"]["msg_type"] == "comm_msg" and content.get("comm_id") == image
            and data.get("method") == "update"
            and "<img" in str((data.get("state") or {}).get("value", "")))


def _recv_until(ws, predicate, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no matching message")
        ws.settimeout(remaining)
        msg = decode(ws.recv())
        kind = msg["header"]["msg_type"]
        if os.environ.get("LOAD_DEBUG"):
            print("DBG", threading.current_thread().name, kind, msg["content"].get("comm_id"),
                  (msg["content"].get("data") or {}).get("method"), file=sys.stderr)
        if kind == "error" or (kind == "stream" and msg["content"]["name"] == "stderr"):
            text = msg["content"].get("text") or msg["content"].get("evalue")
            raise RuntimeError(f"kernel {kind}: {str(text)[-300:]}")
        if predicate(msg):
            return msg


def ws_learner(learner: Learner, base: str, token: str, moves: int, think: float,
               timeout: float) -> None:
    """One learner over HTTP and the kernel websocket (see the module docstring)."""
    import websocket  # websocket-client, installed with JupyterLab

    rng = random.Random(learner.index)
    start = time.monotonic()
    try:
        with urllib.request.urlopen(f"{base}/voila/render/{NOTEBOOK}?token={token}",
                                    timeout=timeout) as resp:
            html = resp.read().decode("utf-8")
        learner.page_seconds = time.monotonic() - start
        if "There was an error when executing" in html or "Traceback" in html:
            learner.errors.append("the lesson page reports an error")
        shown = html.count(WIDGET_MIME)
        if shown < EXPECTED_WIDGETS:
            learner.errors.append(f"the lesson page has {shown} of its {EXPECTED_WIDGETS} "
                                  "widgets (Voilà gave up waiting for a cell's output)")
        kernel = re.search(r'kernelId": "([0-9a-f-]{36})"', html).group(1)
    except Exception as exc:
        learner.errors.append(f"page: {type(exc).__name__}: {exc}")
        return
    session = uuid.uuid4().hex
    ws_url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel}/channels"
    ws = None
    try:
        ws = websocket.create_connection(f"{ws_url}?session_id={session}&token={token}",
                                         timeout=timeout, subprotocols=[SUBPROTOCOL])
        control = uuid.uuid4().hex
        opening_id = uuid.uuid4().hex
        opening = _message("comm_open", {"comm_id": control, "target_name":
                                         "jupyter.widget.control", "data": {}}, session,
                           metadata={"version": CONTROL_PROTOCOL}, msg_id=opening_id)
        ws.send_binary(opening)
        # Wait until the kernel has handled the open before using the comm.
        _recv_until(ws, lambda m: m["header"]["msg_type"] == "status"
                    and m["content"].get("execution_state") == "idle"
                    and m["parent_header"].get("msg_id") == opening_id, timeout)
        ws.send_binary(_message("comm_msg", {"comm_id": control,
                                      "data": {"method": "request_states"}}, session))
        reply = _recv_until(ws, lambda m: m["header"]["msg_type"] == "comm_msg"
                            and m["content"]["data"].get("method") == "update_states",
                            timeout)
        slider, image = _find_models(reply["content"]["data"]["states"])
        value = 0
        for _ in range(moves):
            time.sleep(rng.uniform(0.5, 1.5) * think)
            value = (value + 5) % 125
            sent = time.monotonic()
            ws.send_binary(_message("comm_msg", {"comm_id": slider, "data": {
                "method": "update", "state": {"value": value}, "buffer_paths": []}}, session))
            _recv_until(ws, lambda m: _is_new_picture(m, image), timeout)
            learner.moves.append(time.monotonic() - sent)
    except Exception as exc:
        learner.errors.append(f"interaction: {type(exc).__name__}: {exc}")
    finally:
        if ws is not None:
            ws.close()
        _shutdown_kernel(base, token, kernel)


def _shutdown_kernel(base: str, token: str, kernel: str) -> None:
    """What the page does when it is closed: ask Voilà to stop the learner's kernel."""
    request = urllib.request.Request(f"{base}/voila/api/shutdown/{kernel}", data=b"",
                                     method="POST", headers={"Authorization": f"token {token}"})
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=30).close()


def run_ws(n: int, base: str, token: str, moves: int, think: float,
           timeout: float, ramp: float = 0.0) -> list[Learner]:
    """Start N websocket learners (spread over ``ramp`` seconds) and wait for all of them."""
    learners = [Learner(i) for i in range(n)]
    threads = [threading.Thread(target=ws_learner, args=(le, base, token, moves, think,
                                                         timeout)) for le in learners]
    for index, thread in enumerate(threads):
        if ramp and index:
            time.sleep(ramp / n)
        thread.start()
    for thread in threads:
        thread.join()
    return learners


def run_browser(n: int, base: str, token: str, moves: int, think: float,
                timeout: float, ramp: float = 0.0, artifacts: Path | None = None
                ) -> list[Learner]:
    """N Playwright contexts in one Chromium, all opening the lesson at once (async API)."""
    import asyncio

    from playwright.async_api import async_playwright

    async def one(browser, learner: Learner) -> None:
        rng = random.Random(learner.index)
        await asyncio.sleep(ramp * learner.index / n)
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"[:300]))
        try:
            start = time.monotonic()
            await page.goto(f"{base}/voila/render/{NOTEBOOK}?token={token}",
                            timeout=timeout * 1000)
            await page.wait_for_selector("img.melt-diagram", timeout=timeout * 1000)
            learner.page_seconds = time.monotonic() - start
            text = await page.inner_text("body")
            if "There was an error" in text or "Traceback" in text:
                learner.errors.append("the lesson page reports an error")
            await page.focus(".noUi-handle")
            for _ in range(moves):
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
                before = await page.get_attribute("img.melt-diagram", "src")
                sent = time.monotonic()
                await page.keyboard.press("ArrowRight")
                await page.wait_for_function(
                    "(b) => document.querySelector('img.melt-diagram').src !== b", arg=before,
                    timeout=timeout * 1000)
                learner.moves.append(time.monotonic() - sent)
        except Exception as exc:
            learner.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
            if artifacts is not None:  # what the learner saw, to find out why
                artifacts.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(Exception):
                    await page.screenshot(path=str(artifacts / f"learner-{learner.index}.png"))
                (artifacts / f"learner-{learner.index}.log").write_text(
                    "\n".join(console), encoding="utf-8")
        finally:
            await context.close()  # the page's unload handler stops its kernel

    async def main() -> list[Learner]:
        learners = [Learner(i) for i in range(n)]
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM, headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            await asyncio.gather(*(one(browser, le) for le in learners))
            await browser.close()
        return learners

    return asyncio.run(main())


# --------------------------------------------------------------------------- report


def _versions() -> str:
    from importlib.metadata import version

    names = ("voila", "jupyter_server", "ipykernel", "ipywidgets", "matplotlib", "playwright")
    return ", ".join(f"{name} {version(name)}" for name in names)


def summarise(learners: list[Learner], n: int, mode: str, wall: float, peak_mb: float,
              load_before: float, cpu: float, ramp: float, server_cpu: float) -> None:
    """Print the results in the form docs/performance-load.md records them."""
    pages = [le.page_seconds for le in learners if le.page_seconds is not None]
    moves = [m for le in learners for m in le.moves]
    failed = [le for le in learners if le.errors]
    load = os.getloadavg()
    print(f"machine: {machine_line()}; load average (1 min) before {load_before:.1f}, "
          f"after {load[0]:.1f}")
    print(f"versions: {_versions()}")
    print(f"mode {mode}, {n} learners arriving over {ramp:g} s, {wall:.0f} s wall time; "
          f"server + kernels: peak memory {peak_mb:.0f} MB, CPU {cpu:.0f} s "
          f"({cpu / n:.1f} s per learner; the Voilà server process itself {server_cpu:.0f} s)")
    if pages:
        page = Summary.of(pages)
        print(f"  lesson ready : n={page.n:3d}  median {page.median_ms / 1000:6.1f} s  "
              f"p95 {page.p95_ms / 1000:6.1f} s  max {max(pages):6.1f} s")
    if moves:
        move = Summary.of(moves)
        print(f"  slider move  : n={move.n:3d}  median {move.median_ms:7.0f} ms  "
              f"p95 {move.p95_ms:7.0f} ms  max {max(moves) * 1000:7.0f} ms")
    print(f"  learners with errors: {len(failed)} of {n}")
    for le in failed:
        print(f"    learner {le.index}: {'; '.join(le.errors)[:300]}")


def main(argv: list[str] | None = None) -> int:
    """Run the load test and print its results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=10, help="simultaneous learners")
    parser.add_argument("--moves", type=int, default=10, help="slider moves per learner")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds between a learner's moves (uniform 0.5x to 1.5x)")
    parser.add_argument("--mode", choices=("ws", "browser"), default="ws")
    parser.add_argument("--ramp", type=float, default=0.0,
                        help="spread the learners' arrivals evenly over this many seconds "
                             "(default 0: all at once)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds before one step counts as failed")
    parser.add_argument("--url", default=None,
                        help="use a running app at this address instead of starting one "
                             "(with --token)")
    parser.add_argument("--token", default="melt-load-token")
    parser.add_argument("--keep", action="store_true",
                        help="keep the run's scratch folder (app log, progress files)")
    parser.add_argument("--artifacts", type=Path, default=None,
                        help="browser mode: save a screenshot and the console of each "
                             "learner that failed into this folder")
    args = parser.parse_args(argv)
    if args.learners < 1 or args.moves < 0:
        parser.error(f"--learners must be >= 1 and --moves >= 0, got {args.learners!r} "
                     f"and {args.moves!r}")
    proc = scratch = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        scratch = Path(tempfile.mkdtemp(prefix="melt-load-"))  # removed at the end
        log = scratch / "app.log"
        proc = start_app(port, args.token, log)
        print(f"app log: {log}" + ("" if args.keep else " (removed at exit; --keep keeps it)"))
    load_before = os.getloadavg()[0]
    sampler = ServerSampler(proc.pid if proc else os.getpid())
    sampler.start()
    runner = (run_ws if args.mode == "ws"
              else functools.partial(run_browser, artifacts=args.artifacts))
    start = time.monotonic()
    try:
        learners = runner(args.learners, base, args.token, args.moves, args.think,
                          args.timeout, args.ramp)
    finally:
        wall = time.monotonic() - start
        peak, cpu, server_cpu = sampler.stop()
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if scratch is not None and not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    summarise(learners, args.learners, args.mode, wall, peak if proc else float("nan"),
              load_before, cpu if proc else float("nan"), args.ramp,
              server_cpu if proc else float("nan"))
    return 1 if any(le.errors for le in learners) else 0


if __name__ == "__main__":
    sys.exit(main())
