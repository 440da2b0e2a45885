#!/usr/bin/python3
"""Writes the email-Enron graph (36,692 people, 183,831 e-mail ties) as an edge list for fanflow.

The graph ships with Debian's python3-graph-tool package (graph_tool/collection/email-Enron.gt.gz, graph-tool's
binary "gt" format). This script reads it from the installed package, or, when the package is not installed,
downloads the package file with `apt-get download` and extracts only that file (nothing is installed). It then
writes OUT_DIR/email-Enron.edges: one "a b" line per undirected edge, node ids 0..36691.

Usage: /usr/bin/python3 scripts/fetch_email_enron.py OUT_DIR
Exit status 0 when the edge list is there; 3 with a one-line reason when the graph cannot be had.
"""
import gzip
import io
import os
import struct
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "python3-graph-tool"
MEMBER = "usr/lib/python3/dist-packages/graph_tool/collection/email-Enron.gt.gz"
EDGE_FILE = "email-Enron.edges"
EXPECTED_NODES, EXPECTED_EDGES = 36692, 183831
UNAVAILABLE = 3


class Unavailable(Exception):
    """The graph cannot be obtained on this machine; the message says why."""


def gt_edges(data):
    """Nodes and undirected edges of a graph in graph-tool's binary format (magic, version, byte order, comment,
    directed flag, node count, then each node's out-neighbours as a uint64 count and the smallest unsigned ints
    that hold a node id). Property maps after the adjacency are not needed."""
    if data[:6] != b"\xe2\x9b\xbe gt":
        raise ValueError("not a graph-tool binary file")
    order = ">" if data[7] else "<"
    (comment_length,) = struct.unpack_from(order + "Q", data, 8)
    pos = 16 + comment_length + 1  # the directed flag: each edge is stored once either way
    (nodes,) = struct.unpack_from(order + "Q", data, pos)
    pos += 8
    width, code = next((w, c) for w, c in ((1, "B"), (2, "H"), (4, "I"), (8, "Q")) if nodes < 2 ** (8 * w))
    edges = []
    for node in range(nodes):
        (count,) = struct.unpack_from(order + "Q", data, pos)
        pos += 8
        for neighbour in struct.unpack_from(order + str(count) + code, data, pos):
            edges.append((node, neighbour))
        pos += count * width
    return nodes, edges


def installed_file():
    path = "/" + MEMBER
    return open(path, "rb").read() if os.path.exists(path) else None


def downloaded_file():
    with tempfile.TemporaryDirectory() as folder:
        try:
            subprocess.run(["apt-get", "download", "-q", PACKAGE], cwd=folder, check=True, capture_output=True)
        except (OSError, subprocess.CalledProcessError) as error:
            detail = getattr(error, "stderr", b"") or b""
            raise Unavailable(f"'apt-get download {PACKAGE}' failed: "
                              f"{detail.decode(errors='replace').strip().splitlines()[-1:] or error}")
        deb = next(name for name in os.listdir(folder) if name.endswith(".deb"))
        tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", os.path.join(folder, deb)], check=True,
                             capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            return archive.extractfile("./" + MEMBER).read()


def main(argv):
    if len(argv) != 2:
        print("usage: fetch_email_enron.py OUT_DIR", file=sys.stderr)
        return 2
    os.makedirs(argv[1], exist_ok=True)
    target = os.path.join(argv[1], EDGE_FILE)
    if os.path.exists(target):
        print(f"email-Enron: {target} is already there")
        return 0
    try:
        compressed = installed_file() or downloaded_file()
    except Unavailable as reason:
        print(f"email-Enron: unavailable ({reason}); the validation rows on it are skipped", file=sys.stderr)
        return UNAVAILABLE
    nodes, edges = gt_edges(gzip.decompress(compressed))
    if (nodes, len(edges)) != (EXPECTED_NODES, EXPECTED_EDGES):
        print(f"email-Enron: expected {EXPECTED_NODES} nodes and {EXPECTED_EDGES} edges, read {nodes} and "
              f"{len(edges)}", file=sys.stderr)
        return 1
    partial = target + ".partial"
    with open(partial, "w") as out:
        out.write(f"# email-Enron (graph-tool collection): {nodes} nodes, {len(edges)} undirected edges\n")
        out.writelines(f"{a} {b}\n" for a, b in edges)
    os.replace(partial, target)
    print(f"email-Enron: wrote {target} ({nodes} nodes, {len(edges)} edges)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
