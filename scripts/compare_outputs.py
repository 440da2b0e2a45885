#!/usr/bin/python3
"""Compares two fanflow output files (run, sweep or comparison) dataset by dataset.

Usage: compare_outputs.py BEFORE AFTER [--attributes]   (two files, or two folders: every *.h5 of BEFORE)

Every dataset of either file must exist in both with the same shape, type and values (NaN equal to NaN).
Datasets that hold timings (wall time, phase seconds) are compared by shape only. With --attributes the
attributes of every object are compared as well (timings and start times excepted, and any named with
--ignore). The sweep definition's line naming the program's version and revision is not compared. Prints one line per
difference and a closing count; exits 1 when anything differs, 2 when a file cannot be read.
"""
import argparse
import pathlib
import sys

import h5py
import numpy as np

# Values that measure the machine, not the model: compared by shape only.
TIMING_DATASETS = {"/provenance/profile/seconds", "/provenance/wall_seconds", "/runs/wall_seconds"}
TIMING_ATTRIBUTES = {"wall_time_s", "start_time", "git_revision", "fanflow_version"}
# Text datasets that name the program's version and revision: compared without that line.
VERSIONED_TEXT = {"/provenance/definition"}


def without_version(text):
    return "\n".join(line for line in text.splitlines() if not line.startswith("fanflow: "))


def collect(file):
    """Maps every dataset's and group's absolute path to its object."""
    objects = {"/": file}
    file.visititems(lambda name, obj: objects.__setitem__("/" + name, obj))
    return objects


def same_values(a, b):
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    x, y = a[()], b[()]
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return np.array_equal(x, y, equal_nan=True)
    return np.array_equal(np.asarray(x), np.asarray(y))


def same_attribute(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind == "f" and y.dtype.kind == "f":
        return x.shape == y.shape and np.array_equal(x, y, equal_nan=True)
    return x.shape == y.shape and np.array_equal(x, y)


def compare(before_path, after_path, attributes, ignored=()):
    differences = []
    with h5py.File(before_path, "r") as before, h5py.File(after_path, "r") as after:
        a, b = collect(before), collect(after)
        for path in sorted(set(a) | set(b)):
            if path not in b:
                differences.append(f"{path}: only in {before_path}")
                continue
            if path not in a:
                differences.append(f"{path}: only in {after_path}")
                continue
            x, y = a[path], b[path]
            if isinstance(x, h5py.Dataset) != isinstance(y, h5py.Dataset):
                differences.append(f"{path}: a dataset in one file, a group in the other")
                continue
            if isinstance(x, h5py.Dataset):
                if path in TIMING_DATASETS:
                    if x.shape != y.shape:
                        differences.append(f"{path}: shape {x.shape} vs {y.shape}")
                elif path in VERSIONED_TEXT:
                    if without_version(x.asstr()[()]) != without_version(y.asstr()[()]):
                        differences.append(f"{path}: text differs (beyond the program's version line)")
                elif not same_values(x, y):
                    differences.append(f"{path}: values differ (shape {x.shape} {x.dtype} vs {y.shape} {y.dtype})")
            if attributes:
                for name in sorted(set(x.attrs) | set(y.attrs)):
                    if name in TIMING_ATTRIBUTES or name in ignored:
                        continue
                    if name not in x.attrs or name not in y.attrs:
                        differences.append(f"{path}@{name}: only in one file")
                    elif not same_attribute(x.attrs[name], y.attrs[name]):
                        differences.append(f"{path}@{name}: {x.attrs[name]!r} vs {y.attrs[name]!r}")
        datasets = sum(isinstance(o, h5py.Dataset) for o in a.values())
    return differences, datasets


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--attributes", action="store_true", help="compare attributes too")
    parser.add_argument("--ignore", action="append", default=[], metavar="NAME",
                        help="with --attributes: an attribute not to compare (repeatable), e.g. description")
    args = parser.parse_args()
    before, after = pathlib.Path(args.before), pathlib.Path(args.after)
    pairs = [(before, after)]
    if before.is_dir():
        pairs = [(path, after / path.name) for path in sorted(before.glob("*.h5"))]
    failed = False
    for old, new in pairs:
        try:
            differences, datasets = compare(old, new, args.attributes, set(args.ignore))
        except OSError as error:
            print(f"compare_outputs: {error}", file=sys.stderr)
            return 2
        for line in differences:
            print(f"{new.name}: {line}")
        print(f"{new.name}: {datasets} datasets compared, {len(differences)} differences")
        failed = failed or bool(differences)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
