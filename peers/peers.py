#!/usr/bin/python3
"""Share-cascade kernel against peers: edges visited per second by the same independent cascade in four codes.

Runs build*/peers/fanflow_cascade_bench (the engine kernel and a minimal C++ CSR loop), which also writes its
Barabasi-Albert graph and seed nodes; then runs the same cascade on that identical graph and seeds with
graph-tool (graph_tool.dynamics.SIRState with beta = p, gamma = 1, r = 0: a susceptible node with k newly
infected neighbours is infected with probability 1 - (1 - p)^k and every infected node recovers after one
step, which is exactly the independent cascade) and with networkx (a breadth-first loop over G.adj). Every
cascade starts from all seeds together. An edge visited is one friend inspected from an activated node, so a
cascade visits the sum of its activated nodes' degrees; that count, over the CPU time of the thread during the
cascade alone (graph loading and building untimed; time while another process holds the core not counted),
gives each code's rate, as the C++ benchmark does. graph-tool and networkx run on one thread.

Usage: /usr/bin/python3 peers/peers.py [--nodes 1000000] [--m 5] [--p 0.05] [--seeds 100] [--repeats 100]
       [--peer-repeats 20] [--peer-seconds 120] [--skip-graph-tool] [--skip-networkx] [--binary PATH]
       [--workdir DIR]
Needs Debian's python3-numpy, and python3-graph-tool and python3-networkx for those rows (skipped, with a
message, when missing).
"""

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def find_binary(explicit):
    if explicit:
        return Path(explicit)
    for build in ("build", "build-dev"):
        candidate = ROOT / build / "peers" / "fanflow_cascade_bench"
        if candidate.exists():
            return candidate
    sys.exit("peers.py: fanflow_cascade_bench not found; build it (cmake --build build) or pass --binary")


def run_engine_bench(binary, args, edges_path, seeds_path):
    """Runs the C++ benchmark; returns its JSON record. Its table goes to the terminal as it is."""
    command = [str(binary), "--nodes", str(args.nodes), "--m", str(args.m), "--p", str(args.p), "--seeds",
               str(args.seeds), "--repeats", str(args.repeats), "--edges-out", str(edges_path), "--seeds-out",
               str(seeds_path)]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
    print(output, end="")
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


class Tally:
    def __init__(self, name):
        self.name = name
        self.seconds = 0.0
        self.edges = 0
        self.activated = 0
        self.cascades = 0

    def add(self, seconds, edges, activated):
        self.seconds += seconds
        self.edges += int(edges)
        self.activated += int(activated)
        self.cascades += 1

    def edges_per_second(self):
        return self.edges / self.seconds if self.seconds > 0 else 0.0

    def mean_activated(self):
        return self.activated / self.cascades if self.cascades else 0.0


def from_bench(name, record):
    tally = Tally(name)
    tally.seconds, tally.edges, tally.cascades = record["seconds"], record["edges_visited"], record["cascades"]
    tally.activated = record["mean_activated"] * record["cascades"]
    return tally


def run_graph_tool(num_nodes, edges, seeds, degrees, args):
    """graph-tool's SIRState (beta = p, gamma = 1), stepped synchronously until no node is infected."""
    try:
        import graph_tool
        import graph_tool.dynamics
    except ImportError:
        print("graph-tool: not installed (bash scripts/setup.sh --with-peers installs it); skipping its row")
        return None
    graph_tool.openmp_set_num_threads(1)
    started = time.perf_counter()
    graph = graph_tool.Graph(directed=False)
    graph.add_vertex(num_nodes)
    graph.add_edge_list(edges)
    print(f"graph-tool: graph built in {time.perf_counter() - started:.1f} s")
    tally = Tally("graph-tool SIRState, 1 thread")
    deadline = time.perf_counter() + args.peer_seconds
    for repeat in range(args.peer_repeats):
        graph_tool.seed_rng(args.run_seed + repeat)
        initial = graph.new_vertex_property("int32_t")
        initial.a[seeds] = 1  # 0 susceptible, 1 infected, 2 recovered
        state = graph_tool.dynamics.SIRState(graph, beta=args.p, gamma=1.0, r=0.0, s=initial)
        start = time.thread_time()
        while state.iterate_sync() > 0:
            pass
        elapsed = time.thread_time() - start
        reached = state.get_state().a != 0
        tally.add(elapsed, degrees[reached].sum(), np.count_nonzero(reached))
        if time.perf_counter() > deadline:
            break
    return tally


def networkx_cascade(adjacency, seeds, p, draw):
    """One independent cascade over a networkx adjacency; returns (activated, edges visited)."""
    active = set(seeds)
    frontier = list(active)
    edges = 0
    while frontier:
        next_frontier = []
        for u in frontier:
            friends = adjacency[u]
            edges += len(friends)
            for v in friends:
                if draw() < p and v not in active:
                    active.add(v)
                    next_frontier.append(v)
        frontier = next_frontier
    return len(active), edges


def run_networkx(num_nodes, edges, seeds, args):
    try:
        import networkx
    except ImportError:
        print("networkx: not installed (bash scripts/setup.sh --with-peers installs it); skipping its row")
        return None
    started = time.perf_counter()
    graph = networkx.Graph()
    graph.add_nodes_from(range(num_nodes))
    graph.add_edges_from(edges.tolist())
    print(f"networkx: graph built in {time.perf_counter() - started:.1f} s")
    tally = Tally("networkx BFS loop")
    seed_list = [int(s) for s in seeds]
    deadline = time.perf_counter() + args.peer_seconds
    for repeat in range(args.peer_repeats):
        draw = random.Random(args.run_seed + repeat).random
        start = time.thread_time()
        activated, visited = networkx_cascade(graph.adj, seed_list, args.p, draw)
        tally.add(time.thread_time() - start, visited, activated)
        if time.perf_counter() > deadline:
            break
    return tally


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--m", type=int, default=5)
    parser.add_argument("--p", type=float, default=0.05)
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=100, help="cascades for each C++ contender")
    parser.add_argument("--peer-repeats", type=int, default=20, help="cascades for graph-tool and for networkx")
    parser.add_argument("--run-seed", type=int, default=3)
    parser.add_argument("--peer-seconds", type=float, default=120.0,
                        help="graph-tool and networkx stop starting new cascades after this many seconds")
    parser.add_argument("--skip-graph-tool", action="store_true")
    parser.add_argument("--skip-networkx", action="store_true")
    parser.add_argument("--binary", help="path of fanflow_cascade_bench (default: build/ or build-dev/)")
    parser.add_argument("--workdir", help="where to write the edge list and seeds (default: a temporary folder)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fanflow-peers-") as temporary:
        workdir = Path(args.workdir or temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        edges_path, seeds_path = workdir / "edges.txt", workdir / "seeds.txt"
        record = run_engine_bench(find_binary(args.binary), args, edges_path, seeds_path)
        edges = np.fromfile(edges_path, dtype=np.int64, sep=" ").reshape(-1, 2)
        seeds = np.loadtxt(seeds_path, dtype=np.int64, ndmin=1)
    num_nodes = record["nodes"]
    if len(edges) != record["edges"]:
        sys.exit(f"peers.py: read {len(edges)} edges, the benchmark wrote {record['edges']}")
    degrees = np.bincount(edges.ravel(), minlength=num_nodes)

    tallies = [from_bench("engine kernel (C++), 1 thread", record["engine"]),
               from_bench("minimal CSR loop (C++), 1 thread", record["minimal"])]
    if not args.skip_graph_tool:
        tallies.append(run_graph_tool(num_nodes, edges, seeds, degrees, args))
    if not args.skip_networkx:
        tallies.append(run_networkx(num_nodes, edges, seeds, args))
    tallies = [t for t in tallies if t is not None]

    engine_rate = tallies[0].edges_per_second()
    print(f"\n{num_nodes} nodes, {len(edges)} edges, {len(seeds)} seeds, p = {args.p}; "
          "each cascade from all seeds together")
    print(f"{'contender':36} {'cascades':>9} {'mean activated':>15} {'edges visited/s':>16} {'engine / this':>14}")
    for t in tallies:
        rate = t.edges_per_second()
        ratio = engine_rate / rate if rate > 0 else float("nan")
        print(f"{t.name:36} {t.cascades:9d} {t.mean_activated():15.0f} {rate:16.4g} {ratio:14.2f}")
    summary = {"nodes": num_nodes, "edges": int(len(edges)), "p": args.p, "seeds": int(len(seeds)),
               "contenders": {t.name: {"edges_per_s": t.edges_per_second(), "cascades": t.cascades,
                                       "mean_activated": t.mean_activated(), "seconds": t.seconds}
                              for t in tallies},
               "engine_over": {t.name: engine_rate / t.edges_per_second() for t in tallies[1:]
                               if t.edges_per_second() > 0}}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
