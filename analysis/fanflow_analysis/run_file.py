"""Reading a fanflow run file (docs/output-format.md) into numpy arrays.

:func:`read_run` opens the HDF5 file that `fanflow run` wrote, checks that it is a complete fanflow run, and
returns a :class:`Run` holding every dataset in memory; the file is closed again before it returns. Anything
that makes the file unusable (missing, not HDF5, not a fanflow run, an interrupted run, a newer layout, a
missing dataset) raises :class:`RunFileError` with a one-line message that names the file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import h5py
import numpy as np

#: Value of the root attribute ``format`` in every fanflow run file.
FORMAT = "fanflow-run"
#: Newest value of the root attribute ``format_version`` that this reader understands.
FORMAT_VERSION = 1


class RunFileError(Exception):
    """A file that cannot be read as a complete fanflow run; the message is one line naming the file."""


def require_group(path, f: h5py.File, name: str, error: type[Exception] = RunFileError) -> h5py.Group:
    """The group /`name` of the open file, or `error` naming the file and the group."""
    if name not in f or not isinstance(f[name], h5py.Group):
        raise error(f"{Path(path)}: the group /{name} is missing")
    return f[name]


def require_dataset(path, f: h5py.File, name: str, error: type[Exception] = RunFileError) -> h5py.Dataset:
    """The dataset /`name` of the open file, or `error` naming the file and the dataset."""
    if name not in f or not isinstance(f[name], h5py.Dataset):
        raise error(f"{Path(path)}: the dataset /{name} is missing")
    return f[name]


@dataclass
class Run:
    """A complete fanflow run, read into memory.

    Attributes:
        path: the file it was read from.
        ticks: days simulated (rows of every time series).
        format_version: the root attribute ``format_version``.
        channels: traffic channels, in the column order of the per-channel time series (``impressions``).
        timeseries: ``/timeseries`` datasets by name; 2-D ones are [ticks x columns] (names in ``columns``),
            the others 1-D [ticks].
        columns: the column names of each 2-D time series, by name (the channels for per-channel series).
        creators: ``/creators/summary`` columns by name, one value per creator.
        users: ``/users/summary`` columns by name, one value per user.
        brands: ``/brands/summary`` columns by name, one value per brand.
        creator_followers: ``/creators/followers``, [ticks x creators], or None when the run has no creators.
        provenance: the attributes of ``/provenance`` (seed, fanflow_version, git_revision, threads, libraries,
            start_time, wall_time_s, scenario_source, ...) as plain Python values, plus ``scenario`` (the fully
            resolved scenario as YAML text) and ``profile`` (phase name -> seconds, in pipeline order).
        units: the ``unit`` attribute of every dataset, by path inside the file ("timeseries/impressions").
    """

    path: Path
    ticks: int
    format_version: int
    channels: list[str]
    timeseries: dict[str, np.ndarray]
    columns: dict[str, list[str]]
    creators: dict[str, np.ndarray]
    users: dict[str, np.ndarray]
    brands: dict[str, np.ndarray]
    creator_followers: np.ndarray | None
    provenance: dict[str, Any]
    units: dict[str, str] = field(default_factory=dict)


def read_run(path: str | os.PathLike[str]) -> Run:
    """Reads the complete fanflow run file at `path`.

    Raises:
        RunFileError: the file is missing or unreadable, is not HDF5, is not a fanflow run (root attribute
            ``format`` is not ``fanflow-run``), is incomplete (root attribute ``complete`` is not 1: the run
            was interrupted or is still going), has a newer layout, or lacks a dataset of the layout.
    """
    with open_run(path) as f:
        return _read(Path(path), f)


@contextmanager
def open_run(path: str | os.PathLike[str]) -> Iterator[h5py.File]:
    """Opens the complete fanflow run file at `path` read-only and yields the h5py file, closed on exit.

    Checks the file as :func:`read_run` does (exists, HDF5, root attribute ``format`` is ``fanflow-run``,
    ``complete`` is 1, ``format_version`` understood, ``ticks`` present) before yielding; any h5py or lookup
    error raised while the file is open becomes a :class:`RunFileError` naming the file.

    Raises:
        RunFileError: as :func:`read_run`.
    """
    file_path = Path(path)
    check_openable(file_path)
    try:
        with h5py.File(file_path, "r") as f:
            _check_layout(file_path, f)
            yield f
    except RunFileError:
        raise
    except (OSError, KeyError, ValueError, TypeError) as error:
        raise RunFileError(f"{file_path}: cannot read the run file: {one_line(error)}") from error


def check_openable(path: Path, what: str = "run file", error: type[Exception] = RunFileError) -> None:
    """Raises `error` naming `path` when it is missing, a folder, unreadable or not HDF5 (so not a `what`)."""
    if not path.exists():
        raise error(f"{path}: no such file")
    if path.is_dir():
        raise error(f"{path}: is a folder, not a {what}")
    if not os.access(path, os.R_OK):
        raise error(f"{path}: cannot read the file (permission denied)")
    if not h5py.is_hdf5(path):
        raise error(f"{path}: not an HDF5 file, so not a {what}")


def _check_layout(path: Path, f: h5py.File) -> None:
    """Raises RunFileError unless `f` is a complete fanflow run in a layout this reader understands."""
    file_format = plain_value(f.attrs["format"]) if "format" in f.attrs else None
    if file_format != FORMAT:
        found = "missing" if file_format is None else f"{file_format!r}"
        raise RunFileError(f"{path}: not a fanflow run (root attribute format is {found}, expected {FORMAT!r})")
    version = int(f.attrs.get("format_version", 0))
    if version > FORMAT_VERSION:
        raise RunFileError(
            f"{path}: format_version {version} is newer than this reader understands ({FORMAT_VERSION}); "
            "update fanflow_analysis"
        )
    complete = int(f.attrs.get("complete", 0))
    if complete != 1:
        raise RunFileError(
            f"{path}: incomplete run (root attribute complete = {complete}); the run was interrupted or is still going"
        )
    if "ticks" not in f.attrs:
        raise RunFileError(f"{path}: the root attribute ticks is missing")


def _read(path: Path, f: h5py.File) -> Run:
    version = int(f.attrs.get("format_version", 0))
    units: dict[str, str] = {}
    timeseries = _read_group(path, f, "timeseries", units)
    columns = _columns(f)
    channels = _channels(path, columns)
    creators = _read_group(path, f, "creators/summary", units)
    users = _read_group(path, f, "users/summary", units)
    brands = _read_group(path, f, "brands/summary", units)
    creator_followers = None
    if "creators/followers" in f:
        creator_followers = _read_dataset(f["creators/followers"], units)

    provenance = {name: plain_value(value) for name, value in f["provenance"].attrs.items()} if "provenance" in f else {}
    scenario = _require(path, f, "provenance/scenario")
    provenance["scenario"] = str(scenario.asstr()[()])
    phases = _require(path, f, "provenance/profile/phase").asstr()[()]
    seconds = _require(path, f, "provenance/profile/seconds")[()]
    provenance["profile"] = {str(phase): float(s) for phase, s in zip(phases, seconds)}

    return Run(
        path=path,
        ticks=int(f.attrs["ticks"]),
        format_version=version,
        channels=channels,
        timeseries=timeseries,
        columns=columns,
        creators=creators,
        users=users,
        brands=brands,
        creator_followers=creator_followers,
        provenance=provenance,
        units=units,
    )


def _require(path: Path, f: h5py.File, name: str) -> h5py.Dataset:
    if name not in f or not isinstance(f[name], h5py.Dataset):
        raise RunFileError(f"{path}: the dataset /{name} is missing")
    return f[name]


def _read_group(path: Path, f: h5py.File, name: str, units: dict[str, str]) -> dict[str, np.ndarray]:
    """The datasets directly under group `name`, by their name."""
    if name not in f or not isinstance(f[name], h5py.Group):
        raise RunFileError(f"{path}: the group /{name} is missing")
    return {
        key: _read_dataset(item, units) for key, item in f[name].items() if isinstance(item, h5py.Dataset)
    }


def _read_dataset(dataset: h5py.Dataset, units: dict[str, str]) -> np.ndarray:
    units[dataset.name.lstrip("/")] = unit_of(dataset)
    if h5py.check_string_dtype(dataset.dtype) is not None:
        return np.asarray(dataset.asstr()[()], dtype=object)
    return dataset[()]


# The time series whose columns are the traffic channels.
PER_CHANNEL = ("impressions", "views", "likes", "shares", "follows", "unfollows")


def _columns(f: h5py.File) -> dict[str, list[str]]:
    """The `columns` attribute of every 2-D time series, by dataset name."""
    return {
        name: [str(plain_value(c)) for c in dataset.attrs["columns"]]
        for name, dataset in f["timeseries"].items()
        if "columns" in dataset.attrs
    }


def _channels(path: Path, columns: dict[str, list[str]]) -> list[str]:
    """The channel names, which every per-channel time series must share."""
    channels = columns.get("impressions", [])
    for name in PER_CHANNEL:
        if name in columns and columns[name] != channels:
            raise RunFileError(f"{path}: /timeseries/{name} has columns {columns[name]}, impressions has {channels}")
    return channels


def plain_value(value: Any) -> Any:
    """An HDF5 attribute value as a plain Python value: str for strings, int/float for numeric scalars, lists
    of those for arrays."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.ndarray):
        return [plain_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def unit_of(dataset: h5py.Dataset) -> str:
    """A dataset's `unit` attribute: empty for dimensionless values (and for none). Sweep and comparison files
    written before the units were unified wrote "1" for dimensionless values; that reads as empty too."""
    unit = str(plain_value(dataset.attrs.get("unit", "")))
    return "" if unit == "1" else unit


def one_line(error: BaseException) -> str:
    """An exception's message on one line (its type's name when it has none)."""
    return " ".join(str(error).split()) or type(error).__name__
