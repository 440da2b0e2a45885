"""The calibration's sampler: ``fanflow calibrate`` starts ``python3 -m fanflow_analysis.calibration`` with a pipe
each way and sends the calibration as one JSON line (parameters, targets, curves, budget, method, seed). This
process keeps the trials in Optuna's SQLite store ``DIR/trials.db`` and proposes them with Optuna's ask-and-tell
interface; fanflow runs them and answers. At the end it writes the outputs (docs/calibration.md):

``trials.csv``
    every trial: its parameter values, distance, whether every target is within tolerance, fitted values.
``fit.csv``
    each target against the best trial's fitted value (mean over replicates) and spread (sd).
``parameters.csv``
    each parameter's prior range, best value, range over the accepted trials, whether it is identified, and its
    fANOVA importance.
``curves.csv``
    each curve target beside the best trial's fitted curve.
``calibration.json``
    all of it for the report (``fanflow report DIR``), with the convergence and the warnings.

fanflow writes ``best.yaml`` when this process names the best trial.

Protocol, one line per message. This process writes ``evaluate COUNT DONE BEST`` and COUNT lines ``NUMBER V1 V2
...`` (BEST is -1 before any trial has a distance) and reads one JSON line ``{"results": [...]}``; ``best NUMBER
DISTANCE V1 ...`` and reads ``{"written": PATH}``; ``print TEXT`` lines fanflow prints on its standard output.

Reproducible and resumable: each trial is proposed by a fresh sampler seeded with the calibration's seed and the
trial's number, from the trials finished before its batch's predecessor (the next batch is proposed while fanflow
runs one), so a trial's values depend on the seed and the history only.
A trial left running by an interruption is run again, with its stored values, when the command is repeated; the
trials then come out as in an uninterrupted calibration.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import math
import os
import signal
import sys
import warnings
from pathlib import Path

#: Python modules the calibration needs, with the Debian package that provides each.
REQUIRED_PACKAGES = {"numpy": "python3-numpy", "optuna": "python3-optuna", "sklearn": "python3-sklearn"}
EXIT_ERROR = 2
#: A parameter whose accepted trials span more than this share of its prior range (on its scale) is not identified.
NOT_IDENTIFIED_SHARE = 0.5
#: Trees of fANOVA's random forest (Optuna's default is 64; fewer rank the parameters alike in less time).
FANOVA_TREES = 16
#: Trials TPE draws from the prior before it models the history.
TPE_STARTUP_TRIALS = 10
STUDY_NAME = "calibration"


def error(message: str) -> int:
    print(f"fanflow: error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_ERROR


class Engine:
    """The pipe to fanflow: requests out, answers in."""

    def __init__(self, incoming, outgoing):
        self.incoming, self.outgoing = incoming, outgoing

    def send(self, line: str) -> None:
        self.outgoing.write(line + "\n")
        self.outgoing.flush()

    def receive(self) -> dict:
        line = self.incoming.readline()
        if not line:
            raise EOFError
        return json.loads(line)

    def print(self, text: str = "") -> None:
        for line in text.splitlines() or [""]:
            self.send("print " + line)


def number_text(value) -> str:
    """A parameter value as fanflow reads it back: integers as integers, floats with 17 significant digits."""
    return str(int(value)) if isinstance(value, int) else repr(float(value))


def sampler_for(config: dict, number: int):
    """A fresh sampler for trial `number`, seeded by the calibration seed and the number."""
    import optuna

    seed = (int(config["seed"]) * 1_000_003 + number) % 2**32
    if config["method"] == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed, n_startup_trials=0, warn_independent_sampling=False)
    return optuna.samplers.TPESampler(seed=seed, n_startup_trials=TPE_STARTUP_TRIALS, multivariate=True,
                                      warn_independent_sampling=False)


def distributions(config: dict) -> dict:
    import optuna

    out = {}
    for p in config["parameters"]:
        if p["integer"]:
            out[p["path"]] = optuna.distributions.IntDistribution(int(p["low"]), int(p["high"]), log=p["log"])
        else:
            out[p["path"]] = optuna.distributions.FloatDistribution(p["low"], p["high"], log=p["log"])
    return out


def send_batch(config: dict, study, engine: Engine, batch: list, done: int, total: int) -> None:
    """Sends a batch of (trial, values) to fanflow, which runs it and answers (collect_batch)."""
    import optuna

    State = optuna.trial.TrialState
    names = [p["path"] for p in config["parameters"]]
    complete = [t.value for t in study.get_trials(deepcopy=False, states=(State.COMPLETE,))]
    best = min(complete) if complete else -1
    engine.send(f"evaluate {len(batch)} {done} {total} {best!r}")
    for trial, values in batch:
        engine.send(" ".join([str(trial.number)] + [number_text(values[name]) for name in names]))


def collect_batch(study, engine: Engine, batch: list, timing: dict) -> None:
    """Reads fanflow's answer to the batch sent last and tells the store what came back."""
    import optuna

    State = optuna.trial.TrialState
    answer = engine.receive()
    timing.update(run_seconds=answer["run_seconds"], wall_seconds=answer["wall_seconds"])
    by_number = {trial.number: trial for trial, _ in batch}
    for result in answer["results"]:
        trial = by_number[result["trial"]]
        if "error" in result:
            trial.set_user_attr("error", result["error"])
            study.tell(trial, state=State.FAIL)
            continue
        # One attribute (one write to the store) with what the runs gave.
        trial.set_user_attr("fit", {key: result[key] for key in ("accepted", "mean", "sd", "curve_rms", "curve_mean")})
        study.tell(trial, result["distance"])


def run_batch(config: dict, study, engine: Engine, batch: list, done: int, total: int, timing: dict) -> None:
    send_batch(config, study, engine, batch, done, total)
    collect_batch(study, engine, batch, timing)


def search(config: dict, open_study, engine: Engine, timing: dict) -> None:
    """Asks, runs (through fanflow) and tells batches until the trial budget is spent.

    The search trials, in the order asked, form batches of `batch`: batch j is the trials j*batch .. (j+1)*batch-1.
    Batch j+1 is proposed while fanflow runs batch j, so the sampler's time hides behind the runs: its trials are
    proposed from the batches before j (batch j is still running then). After an interruption the store says where
    the search stood: the first batch with a trial not finished is run again (its finished trials are not), a batch
    whose proposal was cut short is completed from the same history, and the search goes on as if uninterrupted.
    Each proposal opens the study afresh (`open_study`), so that its trials come from the store alone, as after a
    resume; Optuna's in-process cache can otherwise propose other values than a process reading the same store."""
    import optuna

    State = optuna.trial.TrialState
    spaces = distributions(config)
    budget, batch_size = int(config["trials"]), int(config["batch"])
    batches = -(-budget // batch_size)
    total = budget + len(config["parameters"]) * (int(config["slice_points"]) - 1)  # the slices, about

    def search_trials(study) -> list:
        return [t for t in study.get_trials(deepcopy=False) if "slice" not in t.user_attrs]

    def propose(j: int) -> None:
        """Asks for batch j's trials that the store does not hold yet."""
        study = open_study()
        held = len(search_trials(study))
        number = len(study.get_trials(deepcopy=False))  # the next trial's number (one process writes the store)
        for _ in range(max(0, min((j + 1) * batch_size, budget) - held)):
            study.sampler = sampler_for(config, number)
            study.ask(spaces)
            number += 1

    while True:
        trials = search_trials(open_study())
        finished = [t.state in (State.COMPLETE, State.FAIL) for t in trials]
        j = next((k for k in range(batches) if len(trials) < min((k + 1) * batch_size, budget)
                  or not all(finished[k * batch_size:(k + 1) * batch_size])), None)
        if j is None:
            return
        propose(j)  # nothing to ask unless a proposal was cut short
        study = open_study()
        members = search_trials(study)[j * batch_size:(j + 1) * batch_size]
        batch = [(optuna.trial.Trial(study, t._trial_id), t.params) for t in members if t.state == State.RUNNING]
        done = sum(t.state in (State.COMPLETE, State.FAIL) for t in search_trials(study))
        send_batch(config, study, engine, batch, done, total)
        if j + 1 < batches:
            propose(j + 1)  # while fanflow runs batch j
        collect_batch(study, engine, batch, timing)


def slice_values(p: dict, best, points: int) -> list:
    """`points` values evenly spaced over the parameter's range on its scale, ends included, without `best`."""
    lo, hi = (math.log(p["low"]), math.log(p["high"])) if p["log"] else (p["low"], p["high"])
    values = []
    for k in range(points):
        u = lo + (hi - lo) * k / (points - 1)
        value = math.exp(u) if p["log"] else u
        value = min(max(value, p["low"]), p["high"])
        value = int(round(value)) if p["integer"] else value
        if value != best and value not in values:
            values.append(value)
    return values


def slices(config: dict, open_study, engine: Engine, timing: dict) -> None:
    """Runs the one-at-a-time slices through the best search trial: each parameter moved over its range with the
    others at their best values (the configuration's slice_points per parameter, ends included). They show which
    parameters the targets pin down."""
    import optuna

    State = optuna.trial.TrialState
    study = open_study()
    search_trials = [t for t in study.get_trials(deepcopy=False, states=(State.COMPLETE,))
                     if "slice" not in t.user_attrs]
    if not search_trials:
        return
    centre = min(search_trials, key=lambda t: (t.value, t.number))
    made = [t for t in study.get_trials(deepcopy=False) if t.user_attrs.get("centre") == centre.number]
    if not made:
        for p in config["parameters"]:
            for value in slice_values(p, centre.params[p["path"]], int(config["slice_points"])):
                study.enqueue_trial({**centre.params, p["path"]: value},
                                    user_attrs={"slice": p["path"], "centre": centre.number})
    spaces = distributions(config)
    batch_size = int(config["batch"])
    while True:
        study = open_study()
        trials = study.get_trials(deepcopy=False)
        pending = [t for t in trials if t.user_attrs.get("centre") == centre.number
                   and t.state in (State.RUNNING, State.WAITING)]
        if not pending:
            return
        done = sum(t.state in (State.COMPLETE, State.FAIL) for t in trials)
        batch = [(optuna.trial.Trial(study, t._trial_id), t.params) for t in pending if t.state == State.RUNNING]
        batch = batch[:batch_size]
        waiting = sum(t.state == State.WAITING for t in pending)
        for _ in range(min(batch_size - len(batch), waiting)):
            trial = study.ask(spaces)  # takes the oldest enqueued trial, with its fixed values
            batch.append((trial, trial.params))
        run_batch(config, study, engine, batch, done, done + len(pending), timing)


def span_share(p: dict, values: list[float]) -> float:
    """The accepted values' span as a share of the prior range, on the parameter's scale."""
    scale = math.log if p["log"] else (lambda v: v)
    return (scale(max(values)) - scale(min(values))) / (scale(p["high"]) - scale(p["low"]))


def importances(config: dict, study) -> tuple[dict, str]:
    """fANOVA importances of the parameters for the distance, or none with the reason."""
    import optuna

    if len(config["parameters"]) < 2:
        return {}, "one parameter: nothing to rank"
    complete = [t for t in study.get_trials(deepcopy=False) if t.state == optuna.trial.TrialState.COMPLETE]
    if len(complete) < 4:
        return {}, "fewer than 4 finished trials"
    evaluator = optuna.importance.FanovaImportanceEvaluator(n_trees=FANOVA_TREES, seed=int(config["seed"]) % 2**32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dict(optuna.importance.get_param_importances(study, evaluator=evaluator)), ""


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    os.replace(partial, path)


def fmt(value) -> str:
    """A number for the tables: 4 significant digits, '-' when missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "-"
    return f"{value:.4g}"


def summarize(config: dict, study, engine: Engine, timing: dict) -> int:
    """Writes the outputs of a finished search and prints its summary."""
    import optuna

    State = optuna.trial.TrialState
    output = Path(config["output"])
    params = config["parameters"]
    names = [p["path"] for p in params]
    targets, curves = config["targets"], config["curves"]
    trials = sorted(study.get_trials(deepcopy=False), key=lambda t: t.number)
    finished = [t for t in trials if t.state in (State.COMPLETE, State.FAIL)]
    complete = [t for t in finished if t.state == State.COMPLETE]

    header = ["trial", "phase", "state", "distance", "accepted"] + names + [f"fitted_{t['name']}" for t in targets] + \
        [f"rms_{c['name']}" for c in curves] + ["error"]
    rows = []
    for t in finished:
        ok = t.state == State.COMPLETE
        rows.append([t.number, "slice " + t.user_attrs["slice"] if "slice" in t.user_attrs else "search",
                     "complete" if ok else "failed", repr(t.value) if ok else "",
                     int(t.user_attrs["fit"]["accepted"]) if ok else ""] +
                    [repr(t.params[name]) for name in names] +
                    ([repr(v) for v in t.user_attrs["fit"]["mean"]] if ok else [""] * len(targets)) +
                    ([repr(v) for v in t.user_attrs["fit"]["curve_rms"]] if ok else [""] * len(curves)) +
                    [t.user_attrs.get("error", "")])
    write_csv(output / "trials.csv", header, rows)
    if not complete:
        first = finished[0].user_attrs.get("error", "") if finished else "no trial ran"
        return error(f"{config['source']}: no trial could be scored ({first}); see {output / 'trials.csv'}")

    best = min(complete, key=lambda t: (t.value, t.number))
    engine.send(" ".join(["best", str(best.number), repr(best.value)] +
                         [number_text(best.params[name]) for name in names]))
    engine.receive()

    fit = []
    for k, target in enumerate(targets):
        mean, sd = best.user_attrs["fit"]["mean"][k], best.user_attrs["fit"]["sd"][k]
        z = (mean - target["value"]) / target["tolerance"]
        fit.append({"target": target["name"], "kind": "statistic", "value": target["value"],
                    "tolerance": target["tolerance"], "fitted": mean, "sd": sd, "z": z, "within": abs(z) <= 1})
    for c, curve in enumerate(curves):
        rms = best.user_attrs["fit"]["curve_rms"][c]
        fit.append({"target": curve["name"], "kind": f"curve of {curve['series']}", "value": None,
                    "tolerance": curve["tolerance"], "fitted": None, "sd": None, "z": rms, "within": rms <= 1})
    write_csv(output / "fit.csv", ["target", "kind", "value", "tolerance", "fitted", "sd", "z", "within"],
              [[f["target"], f["kind"], "" if f["value"] is None else repr(f["value"]), repr(f["tolerance"]),
                "" if f["fitted"] is None else repr(f["fitted"]), "" if f["sd"] is None else repr(f["sd"]),
                repr(f["z"]), int(f["within"])] for f in fit])
    write_csv(output / "curves.csv", ["curve", "series", "day", "target", "fitted"],
              [[curve["name"], curve["series"], int(day), repr(value), repr(best.user_attrs["fit"]["curve_mean"][c][k])]
               for c, curve in enumerate(curves) for k, (day, value) in enumerate(zip(curve["days"], curve["values"]))])

    accepted = [t for t in complete if t.user_attrs["fit"]["accepted"]]
    importance, importance_note = importances(config, study)
    warnings_out = []
    if not accepted:
        warnings_out.append(f"no trial is within tolerance of every target (best distance {best.value:.3g}); "
                            "widen the ranges or the tolerances, or add trials")
    parameters = []
    for p in params:
        values = [t.params[p["path"]] for t in accepted]
        row = {"parameter": p["path"], "low": p["low"], "high": p["high"], "scale": "log" if p["log"] else "linear",
               "best": best.params[p["path"]], "accepted_min": min(values) if values else None,
               "accepted_max": max(values) if values else None,
               "accepted_span_share": span_share(p, values) if len(values) >= 2 else None,
               "importance": importance.get(p["path"])}
        if len(values) < 2:
            row["identified"] = "too few accepted trials"
        elif row["accepted_span_share"] > NOT_IDENTIFIED_SHARE:
            row["identified"] = "no"
            warnings_out.append(f"{p['path']} is not identified: the accepted trials span "
                                f"{row['accepted_span_share']:.0%} of its range [{fmt(p['low'])}, {fmt(p['high'])}]; "
                                "the targets do not pin it down")
        else:
            row["identified"] = "yes"
        parameters.append(row)
    columns = ["parameter", "low", "high", "scale", "best", "accepted_min", "accepted_max", "accepted_span_share",
               "identified", "importance"]
    write_csv(output / "parameters.csv", columns,
              [["" if r[c] is None else (repr(r[c]) if isinstance(r[c], float) else r[c]) for c in columns]
               for r in parameters])

    best_so_far, convergence = math.inf, []
    for t in finished:
        if t.state == State.COMPLETE:
            best_so_far = min(best_so_far, t.value)
        convergence.append({"trial": t.number, "distance": t.value if t.state == State.COMPLETE else None,
                            "best": best_so_far if math.isfinite(best_so_far) else None})
    overhead = 1 - timing["run_seconds"] / timing["wall_seconds"] if timing["wall_seconds"] > 0 else None
    summary = {
        "format": "fanflow-calibration", "source": config["source"], "scenario": config["scenario"],
        "method": config["method"], "seed": config["seed"], "replicates": config["replicates"],
        "batch": config["batch"], "trials": len(finished), "slice_points": config["slice_points"],
        "slices": sum("slice" in t.user_attrs for t in finished), "failed": len(finished) - len(complete),
        "best": {"trial": best.number, "distance": best.value, "values": {n: best.params[n] for n in names}},
        "fit": fit, "parameters": parameters, "importance_note": importance_note, "warnings": warnings_out,
        "accepted": [{"trial": t.number, "distance": t.value, "values": {n: t.params[n] for n in names}}
                     for t in accepted],
        "convergence": convergence,
        "curves": [{"name": c["name"], "series": c["series"], "unit": c["unit"], "days": c["days"],
                    "target": c["values"], "fitted": best.user_attrs["fit"]["curve_mean"][k], "tolerance": c["tolerance"]}
                   for k, c in enumerate(curves)],
        "targets": targets,
        "timing": {**timing, "overhead_share": overhead, "note": "of this invocation (a resumed one counts anew)"},
    }
    partial = output / "calibration.json.partial"
    partial.write_text(json.dumps(summary, indent=1) + "\n")
    os.replace(partial, output / "calibration.json")

    sliced = sum("slice" in t.user_attrs for t in finished)
    engine.print(f"{len(finished)} trials ({len(finished) - sliced} searching, {sliced} in the slices through the "
                 f"best; {len(finished) - len(complete)} failed), {len(accepted)} within tolerance "
                 f"of every target; best trial {best.number}, distance {best.value:.4g}")
    engine.print(f"{'target':<30} {'value':>10} {'tolerance':>10} {'fitted':>10} {'sd':>10} {'z':>7}  within")
    for f in fit:
        engine.print(f"{f['target']:<30} {fmt(f['value']):>10} {fmt(f['tolerance']):>10} {fmt(f['fitted']):>10} "
                     f"{fmt(f['sd']):>10} {f['z']:>7.2f}  {'yes' if f['within'] else 'no'}")
    engine.print(f"{'parameter':<36} {'best':>10} {'accepted range':>23} {'identified':>11} {'importance':>10}")
    for r in parameters:
        accepted_range = f"[{fmt(r['accepted_min'])}, {fmt(r['accepted_max'])}]" if r["accepted_min"] is not None \
            else "-"
        engine.print(f"{r['parameter']:<36} {fmt(r['best']):>10} {accepted_range:>23} {r['identified']:>11} "
                     f"{fmt(r['importance']):>10}")
    for warning in warnings_out:
        engine.print(f"warning: {warning}")
    engine.print(f"wrote {output}/ (best.yaml, trials.csv, fit.csv, parameters.csv, curves.csv, calibration.json)")
    return 0


def fast_commits(storage) -> None:
    """The store in write-ahead-log mode with synchronous=NORMAL: a commit no longer waits for the disk, and a
    killed process still loses nothing it committed (only a crash of the machine can lose the last commits)."""
    import sqlalchemy

    def on_connect(connection, _record):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    sqlalchemy.event.listen(storage.engine, "connect", on_connect)
    storage.engine.dispose()  # connections opened before the listener reopen with it


def main() -> int:
    # Ctrl-C reaches the process group: fanflow stops the calibration and this process ends with its input.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    engine = Engine(sys.stdin, sys.stdout)
    sys.stdout = sys.stderr  # only protocol lines go to fanflow
    missing = [package for module, package in REQUIRED_PACKAGES.items() if importlib.util.find_spec(module) is None]
    if missing:
        return error(f"the calibration needs the Python packages {', '.join(missing)}; install them with: "
                     f"apt-get install -y {' '.join(missing)}")
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    try:
        config = engine.receive()
        output = Path(config["output"])
        import sqlalchemy

        # One connection for the process's life (it alone writes the store), not one per operation.
        storage = optuna.storages.RDBStorage(f"sqlite:///{output / 'trials.db'}",
                                             engine_kwargs={"poolclass": sqlalchemy.pool.StaticPool})
        fast_commits(storage)
        optuna.create_study(storage=storage, study_name=STUDY_NAME, direction="minimize", load_if_exists=True)

        def open_study():
            return optuna.load_study(study_name=STUDY_NAME, storage=storage)

        timing = {"run_seconds": 0.0, "wall_seconds": 0.0}
        search(config, open_study, engine, timing)
        slices(config, open_study, engine, timing)
        return summarize(config, open_study(), engine, timing)
    except EOFError:
        return EXIT_ERROR  # fanflow stopped (interrupted or failed) and said why


if __name__ == "__main__":
    sys.exit(main())
