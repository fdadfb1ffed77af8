"""The /proc readers the hub tests and the load benchmarks share see a real process tree."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from processes import (
    alive,
    cmdline,
    cpu_seconds,
    free_port,
    process_tree,
    rss_mb,
    tree_rss_mb,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

#: A child that starts a grandchild, burns a little CPU, prints the grandchild's pid and waits.
CHILD = """
import subprocess, sys, time
grand = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)  # grandchild"])
end = time.process_time() + 0.3
while time.process_time() < end:
    pass
print(grand.pid, flush=True)
grand.wait()
"""


@pytest.fixture
def family():
    """A child process and its grandchild; both stopped afterwards."""
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    grand = int(child.stdout.readline())
    yield child.pid, grand
    os.kill(grand, signal.SIGTERM)
    child.wait(timeout=30)
    child.stdout.close()


def test_process_tree_finds_children_and_grandchildren(family):
    child, grand = family
    tree = process_tree(child)
    assert tree[0] == child and grand in tree
    assert {child, grand} <= set(process_tree(os.getpid()))   # two levels down
    assert "# grandchild" in cmdline(grand)


def test_readers_measure_the_tree(family):
    child, grand = family
    assert alive(child) and alive(grand)
    assert cpu_seconds(child) >= 0.2               # the child burnt 0.3 s
    assert rss_mb(child) > 1 and rss_mb(grand) > 1
    assert tree_rss_mb(child) == pytest.approx(rss_mb(child) + rss_mb(grand), rel=0.2)


def test_a_gone_process_reads_as_nothing():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    time.sleep(0.05)
    pid = proc.pid
    assert not alive(pid)
    assert (cmdline(pid), rss_mb(pid), cpu_seconds(pid), process_tree(pid)) == ("", 0.0, 0.0,
                                                                                 [pid])


def test_free_port_can_be_bound():
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
