"""Loaders that turn a fanflow run file (docs/output-format.md) into tidy pandas DataFrames.

One function per kind of table: the daily time series, traffic by channel, per-creator [tick x creator] series
(long or wide), creator attributes and exits, brands (attributes and daily series), the event log, the timeline
changes, and provenance. Every loader opens the file with :func:`fanflow_analysis.run_file.open_run`, so a
missing file, a file that is not HDF5 or a file that is not a complete fanflow run raises
:class:`~fanflow_analysis.run_file.RunFileError` with one line naming the file and what is wrong.
Ticks are days: row ``t`` of every time series is tick ``t`` (0-based), the tick number used by
``joined_tick``, ``exit_tick``, the event log and the timeline.
"""

from __future__ import annotations

import os

import h5py
import numpy as np
import pandas as pd

from fanflow_analysis.run_file import RunFileError, open_run, plain_value, require_dataset, require_group, unit_of

PathLike = str | os.PathLike[str]

#: ``creators/summary/type`` codes.
CREATOR_TYPES = {0: "small IP", 1: "big IP", 2: "brand account"}
#: ``creators/summary/exit_reason`` codes.
EXIT_REASONS = {0: "none", 1: "feedback", 2: "income"}
#: Growth stages (``creators/stage``, ``creators/summary/stage``).
STAGES = {0: "departure", 1: "exploration", 2: "harvest", 3: "on the road"}
#: The value of a tick column (``exit_tick``, ``stage_tick_*``) for "never".
NEVER = np.iinfo(np.uint32).max
#: The [tick x creator] tables under ``/creators``.
CREATOR_SERIES = ("followers", "true_fans", "income", "morale", "stage")
#: The per-channel time series, in the order of :func:`load_channel_traffic`'s columns.
CHANNEL_MEASURES = ("impressions", "views", "likes", "shares", "follows", "unfollows", "purchases")
#: The brands' budget lines (``brands/spend_<line>``, ``timeseries/brand_<line>_spend``).
BUDGET_LINES = ("ads", "sponsorship", "content", "live")
#: The SICAS purchase-journey stages, in order (``brands/summary/funnel_<stage>``).
FUNNEL_STAGES = ("sense", "interest", "connect", "action", "share")


def load_timeseries(path: PathLike) -> pd.DataFrame:
    """The one-value-per-tick series of ``/timeseries`` (``active_users``, ``follow_edges``, ``brand_spend``, ...).

    Returns a DataFrame indexed by ``tick`` with one column per 1-D dataset; ``df.attrs["units"]`` maps each
    column to its unit. The [tick x channel] and [tick x pool] series are in :func:`load_channel_traffic` and
    :func:`load_pool_items`.
    """
    with open_run(path) as f:
        group = _group(path, f, "timeseries")
        columns = {name: d[()] for name, d in group.items() if isinstance(d, h5py.Dataset) and d.ndim == 1}
        units = {name: unit_of(group[name]) for name in columns}
        frame = pd.DataFrame(columns, index=_tick_index(f))
    frame.attrs["units"] = units
    return frame


def load_channel_traffic(path: PathLike) -> pd.DataFrame:
    """Traffic by channel, long form: one row per (tick, channel).

    Columns: ``tick``, ``channel`` (ordered categorical in the file's column order: recommendation,
    follow_feed, friend_share, group, ads, live) and one column per measure in :data:`CHANNEL_MEASURES` present
    in the file (impressions, views, likes, shares, follows, unfollows, purchases; per day).
    """
    with open_run(path) as f:
        group = _group(path, f, "timeseries")
        if "impressions" not in group:
            raise RunFileError(f"{path}: the dataset /timeseries/impressions is missing")
        channels = _columns(group["impressions"])
        ticks = int(f.attrs["ticks"])
        frame = pd.DataFrame({
            "tick": np.repeat(np.arange(ticks), len(channels)),
            "channel": pd.Categorical(np.tile(channels, ticks), categories=channels, ordered=True),
        })
        for measure in CHANNEL_MEASURES:
            if measure in group:
                frame[measure] = group[measure][()].reshape(-1)
    return frame


def load_pool_items(path: PathLike) -> pd.DataFrame:
    """Items by traffic pool, long form: ``tick``, ``pool`` (tier1 .. top), ``alive`` (items alive at the end of
    the day in that pool) and ``promoted`` (items that entered it that day)."""
    with open_run(path) as f:
        group = _group(path, f, "timeseries")
        alive = _require(path, f, "timeseries/items_by_tier")
        pools = _columns(alive)
        ticks = int(f.attrs["ticks"])
        return pd.DataFrame({
            "tick": np.repeat(np.arange(ticks), len(pools)),
            "pool": pd.Categorical(np.tile(pools, ticks), categories=pools, ordered=True),
            "alive": alive[()].reshape(-1),
            "promoted": group["items_promoted"][()].reshape(-1),
        })


def load_creator_series(path: PathLike, name: str = "followers", form: str = "long") -> pd.DataFrame:
    """One of the [tick x creator] tables: ``followers``, ``true_fans``, ``income``, ``morale`` or ``stage``.

    Only creators that exist at the end of the run are included (columns beyond them are empty slots).
    ``form="long"``: columns ``tick``, ``creator``, `name`, one row per creator and tick from the tick it joined
    on (sorted by creator, then tick). ``form="wide"``: indexed by ``tick``, one float column per creator id,
    NaN before the creator joined. A run without creator slots gives an empty table.

    Raises:
        ValueError: `name` or `form` is not one of the above.
    """
    if name not in CREATOR_SERIES:
        raise ValueError(f"unknown creator series {name!r}; expected one of {', '.join(CREATOR_SERIES)}")
    if form not in ("long", "wide"):
        raise ValueError(f"unknown form {form!r}; expected 'long' or 'wide'")
    with open_run(path) as f:
        joined = _require(path, f, "creators/summary/joined_tick")[()].astype(np.int64)
        ticks = int(f.attrs["ticks"])
        values = f[f"creators/{name}"][:, : len(joined)] if f"creators/{name}" in f else np.zeros((ticks, 0))
    present = np.arange(ticks)[:, None] >= joined[None, :]
    if form == "wide":
        wide = np.where(present, values.astype(np.float64), np.nan)
        frame = pd.DataFrame(wide, index=pd.RangeIndex(ticks, name="tick"))
        frame.columns.name = "creator"
        return frame
    creator, tick = np.nonzero(present.T)
    return pd.DataFrame({"tick": tick, "creator": creator, name: values[tick, creator]})


def load_creators(path: PathLike) -> pd.DataFrame:
    """Creator attributes and exits: ``/creators/summary``, one row per creator (index ``creator``).

    Every summary column as in the file, plus ``type_name`` (small IP, big IP, brand account), ``stage_name``,
    ``exit_reason_name`` (none, feedback, income), ``exited`` (bool) and ``lifetime``: ticks on the platform,
    from ``joined_tick`` to ``exit_tick`` (exited) or to the end of the run (still there: censored). The tick
    columns ``exit_tick`` and ``stage_tick_1..3`` are nullable integers, missing for "never".
    """
    with open_run(path) as f:
        group = _group(path, f, "creators/summary")
        frame = pd.DataFrame({name: d[()] for name, d in group.items() if isinstance(d, h5py.Dataset)})
        ticks = int(f.attrs["ticks"])
    frame.index.name = "creator"
    for column in ("exit_tick", "stage_tick_1", "stage_tick_2", "stage_tick_3"):
        if column in frame:
            frame[column] = pd.array(np.where(frame[column] == NEVER, None, frame[column]), dtype="Int64")
    frame["exited"] = frame["exit_tick"].notna().to_numpy(dtype=bool)
    end = np.where(frame["exited"], frame["exit_tick"].fillna(0).to_numpy(np.int64), ticks)
    frame["lifetime"] = end - frame["joined_tick"].to_numpy(np.int64)
    frame["type_name"] = _named(frame["type"], CREATOR_TYPES)
    frame["stage_name"] = _named(frame["stage"], STAGES)
    frame["exit_reason_name"] = _named(frame["exit_reason"], EXIT_REASONS)
    return frame


def load_brands(path: PathLike) -> pd.DataFrame:
    """Brand attributes and totals: ``/brands/summary``, one row per brand (index ``brand``), with ``name`` (the
    scenario's name for a named brand, else "brand k"); empty (no rows) when the run has no brands.
    ``df.attrs["why_unspent"]`` maps each budget line to the reason its budget can go unspent, as the engine
    states it (the ``why`` attribute of ``/brands/summary/unspent_LINE``)."""
    with open_run(path) as f:
        if "brands/summary" not in f:
            return pd.DataFrame(index=pd.RangeIndex(0, name="brand"))
        group = f["brands/summary"]
        frame = pd.DataFrame({name: d[()] for name, d in group.items() if isinstance(d, h5py.Dataset)})
        names = group.attrs.get("names")
        frame.insert(0, "name", [str(n) for n in names] if names is not None and len(names) == len(frame)
                     else [f"brand {b}" for b in range(len(frame))])
        frame.attrs["why_unspent"] = {line: str(group[f"unspent_{line}"].attrs.get("why", ""))
                                      for line in BUDGET_LINES if f"unspent_{line}" in group}
    frame.index.name = "brand"
    return frame


def load_brand_series(path: PathLike) -> pd.DataFrame:
    """The brands' daily [tick x brand] tables, long form: ``tick``, ``brand`` and one column per table
    (``spend_ads``, ``revenue``, ``return_on_spend``, ``new_customers``, ...), sorted by tick then brand.
    No rows when the run has no brands."""
    with open_run(path) as f:
        if "brands" not in f:
            return pd.DataFrame({"tick": pd.Series(dtype=np.int64), "brand": pd.Series(dtype=np.int64)})
        tables = {name: d[()] for name, d in f["brands"].items() if isinstance(d, h5py.Dataset) and d.ndim == 2}
        ticks = int(f.attrs["ticks"])
    brands = next(iter(tables.values())).shape[1] if tables else 0
    frame = pd.DataFrame({"tick": np.repeat(np.arange(ticks), brands), "brand": np.tile(np.arange(brands), ticks)})
    for name, values in sorted(tables.items()):
        frame[name] = values.reshape(-1)
    return frame


def load_events(path: PathLike) -> pd.DataFrame:
    """The event log ``/events``: ``tick``, ``kind`` (name: creator_joined, creator_exited, stage_reached,
    timeline_applied, marketplace_deal, live_session), ``kind_code``, ``subject`` and ``value``."""
    with open_run(path) as f:
        group = _group(path, f, "events")
        codes = group["kind"][()]
        names = _kind_names(group["kind"])
        return pd.DataFrame({
            "tick": group["tick"][()],
            "kind": pd.Categorical([names.get(int(c), str(int(c))) for c in codes]),
            "kind_code": codes,
            "subject": group["subject"][()],
            "value": group["value"][()],
        })


def load_timeline(path: PathLike) -> pd.DataFrame:
    """The changes the scenario's ``timeline:`` made (``/timeline``): ``tick``, ``entry``, ``key``, ``value``,
    ``label``, one row per parameter and change; no rows when the scenario has no timeline."""
    with open_run(path) as f:
        group = _group(path, f, "timeline")
        columns = {}
        for name in ("tick", "entry", "key", "value", "label"):
            dataset = group[name]
            is_text = h5py.check_string_dtype(dataset.dtype) is not None
            columns[name] = np.asarray(dataset.asstr()[()], dtype=object) if is_text else dataset[()]
        return pd.DataFrame(columns)


def load_provenance(path: PathLike) -> pd.Series:
    """Where the run came from: the attributes of ``/provenance`` (seed, fanflow_version, git_revision, threads,
    libraries, start_time, wall_time_s, scenario_source) plus ``scenario`` (the fully resolved scenario as
    YAML text), as a Series indexed by name."""
    with open_run(path) as f:
        group = _group(path, f, "provenance")
        values = {name: plain_value(value) for name, value in group.attrs.items()}
        values["scenario"] = str(_require(path, f, "provenance/scenario").asstr()[()])
    return pd.Series(values, dtype=object, name="provenance")


def load_profile(path: PathLike) -> pd.DataFrame:
    """Wall time per phase of the tick: ``phase``, ``seconds``, in pipeline order."""
    with open_run(path) as f:
        phases = _require(path, f, "provenance/profile/phase").asstr()[()]
        seconds = _require(path, f, "provenance/profile/seconds")[()]
    return pd.DataFrame({"phase": list(phases), "seconds": seconds})


_group = require_group
_require = require_dataset


def _tick_index(f: h5py.File) -> pd.RangeIndex:
    return pd.RangeIndex(int(f.attrs["ticks"]), name="tick")


def _columns(dataset: h5py.Dataset) -> list[str]:
    return [str(plain_value(c)) for c in dataset.attrs["columns"]]



def _kind_names(dataset: h5py.Dataset) -> dict[int, str]:
    """The ``kinds`` attribute of ``/events/kind`` ("1=creator_joined,2=creator_exited,...") as code -> name."""
    names: dict[int, str] = {}
    for pair in str(plain_value(dataset.attrs.get("kinds", ""))).split(","):
        code, _, name = pair.partition("=")
        if code.strip().isdigit() and name.strip():
            names[int(code)] = name.strip()
    return names


def _named(codes: pd.Series, names: dict[int, str]) -> pd.Series:
    return pd.Series([names.get(int(c), str(int(c))) for c in codes], index=codes.index, dtype=object)

