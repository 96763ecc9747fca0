"""MCP server benchmarks: time to connect over stdio, and warm tool-call latency.

    /tmp/dev/bin/python bench/mcp_server.py                 # the venv of this interpreter (with ketcli[mcp])
    python3 bench/mcp_server.py --venv /tmp/dev --connects 10 --calls 100

"Connect" is what a client waits for before its first call: spawn `ketcli mcp` (the
venv's installed entry point), the initialize handshake and `tools/list`, measured with
the SDK's own client (mcp.Client over stdio), median of --connects runs; the bare
interpreter's start (`python -I -c pass`) is printed beside it for scale. "Warm call"
is the round trip of one `tools/call compare {treatments: [ketamine, ect]}` on an open
connection, after 5 untimed calls, median (and 90th percentile) of --calls calls;
target ≤ 10 ms. Exit status 1 when the call target is missed. Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CALL_TARGET_MS = 10.0
ARGUMENTS = {"treatments": ["ketamine", "ect"]}


def floor_ms(python: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([python, "-I", "-c", "pass"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


async def connect_once(params) -> float:
    from mcp import Client

    start = time.perf_counter()
    async with Client(params, mode="legacy") as client:
        await client.list_tools()
        elapsed = time.perf_counter() - start
    return elapsed * 1000


async def calls(params, count: int) -> list[float]:
    from mcp import Client

    async with Client(params, mode="legacy") as client:
        for _ in range(5):
            result = await client.call_tool("compare", ARGUMENTS)
            if result.is_error or result.structured_content["command"] != "compare":
                sys.exit(f"compare failed: {result.content}")
        times = []
        for _ in range(count):
            start = time.perf_counter()
            await client.call_tool("compare", ARGUMENTS)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--venv", type=Path, default=Path(sys.prefix),
                        help="venv with ketcli[mcp] installed (default: this interpreter's, %(default)s)")
    parser.add_argument("--connects", type=int, default=10, help="connections to time (default 10)")
    parser.add_argument("--calls", type=int, default=100, help="warm calls to time (default 100)")
    args = parser.parse_args()
    ketcli = args.venv / "bin" / "ketcli"
    if not ketcli.exists():
        parser.error(f"{ketcli} does not exist: give --venv")
    try:
        import anyio
        from mcp import StdioServerParameters
    except ImportError:
        parser.error("this interpreter has no MCP SDK: pip install 'ketcli[mcp]'")
    with tempfile.TemporaryDirectory(prefix="ketcli-bench-mcp-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KETCLI_") and k != "PYTHONDONTWRITEBYTECODE"}
        env["KETCLI_CACHE_DIR"] = str(Path(tmp) / "cache")
        params = StdioServerParameters(command=str(ketcli), args=["mcp"], env=env)
        print(f"venv {args.venv}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}", flush=True)
        anyio.run(connect_once, params)  # fill the cache and the .pyc files
        connects = [anyio.run(connect_once, params) for _ in range(args.connects)]
        floor = floor_ms(str(args.venv / "bin" / "python"), args.connects)
        print(f"connect over stdio (spawn, initialize, tools/list)  median {statistics.median(connects):.0f} ms  "
              f"(min {min(connects):.0f}, max {max(connects):.0f}, n={len(connects)}); "
              f"python -I -c pass: {floor:.1f} ms", flush=True)
        times = anyio.run(calls, params, args.calls)
    median = statistics.median(times)
    p90 = sorted(times)[int(0.9 * len(times)) - 1]
    verdict = "ok" if median <= CALL_TARGET_MS else "MISSED"
    print(f"warm tools/call compare ketamine ect              median {median:.2f} ms  (p90 {p90:.2f}, "
          f"min {min(times):.2f}, n={len(times)}; target ≤ {CALL_TARGET_MS:g} ms)  {verdict}")
    return 0 if verdict == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
