"""Loss-curve roughness of training runs read from MLflow: the MoCo v3 paper's stability question in numbers.

Chen, Xie and He (ICCV 2021, section 4) find self-supervised ViT training unstable (sudden dips in accuracy
that recover, preceded by gradient spikes in the first layer) and make it smoother with a frozen random patch
projection. To ask the same of PoolLab's runs, train with `--set trainer.logEvery=1` (one `loss` point per
step), then:

    python3 bench/loss_spikes.py RUN_ID [RUN_ID ...] [--window 21] [--spike 0.1] [--skip 0]

For each run it prints, over the logged steps (after the first `--skip`, e.g. the warm-up): the mean loss of the
last 10 steps; the step-to-step changes' largest rise, number above 0.05 and standard deviation (batch noise
shows here as much as spikes do); and the spikes proper: a step whose loss lies more than `--spike` above the
median of the `--window` steps centred on it (a rise that falls back, which batch-to-batch noise around a trend
rarely makes; steps nearer the ends than half a window are not judged), their number and the largest excess.
The server is the one in MLFLOW_TRACKING_URI, else the project's own (.poollab/mlflow/server.properties).
Standard library only.
"""
import argparse
import json
import os
import pathlib
import statistics
import sys
import urllib.error
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent


def tracking_uri():
    if os.environ.get("MLFLOW_TRACKING_URI"):
        return os.environ["MLFLOW_TRACKING_URI"].rstrip("/")
    state = ROOT / ".poollab" / "mlflow" / "server.properties"
    if not state.exists():
        sys.exit(f"loss_spikes: no MLflow server recorded in {state}; start one with ./poollab mlflow start, "
                 "or set MLFLOW_TRACKING_URI")
    for line in state.read_text().splitlines():
        if line.startswith("uri="):
            return line[len("uri="):].replace("\\:", ":").rstrip("/")
    sys.exit(f"loss_spikes: {state} names no uri; restart the server with ./poollab mlflow start")


def get(uri, path, **query):
    url = f"{uri}/api/2.0/mlflow/{path}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        sys.exit(f"loss_spikes: MLflow answered {error.code} for {url}: {error.read().decode()[:300]} "
                 "(is the run id right?)")
    except urllib.error.URLError as error:
        sys.exit(f"loss_spikes: MLflow at {uri} does not answer ({error.reason}); start it with "
                 "./poollab mlflow start")


def loss_history(uri, run_id):
    """The run's `loss` points as (step, value), in step order; the last value where a step was logged twice."""
    points, token = {}, None
    while True:
        query = {"run_id": run_id, "metric_key": "loss", "max_results": 25000}
        if token:
            query["page_token"] = token
        page = get(uri, "metrics/get-history", **query)
        for metric in page.get("metrics", []):
            points[int(metric["step"])] = float(metric["value"])
        token = page.get("next_page_token")
        if not token:
            return sorted(points.items())


def roughness(losses, window, spike):
    changes = [b - a for a, b in zip(losses, losses[1:])]
    half = window // 2
    # only steps with a whole window: at the ends a one-sided median sits off the trend (the steep first descent)
    excess = [losses[i] - statistics.median(losses[i - half:i + half + 1]) for i in range(half, len(losses) - half)]
    spikes = [e for e in excess if e > spike]
    return {
        "loss_last10": round(statistics.fmean(losses[-10:]), 4),
        "largest_rise": round(max(changes), 4),
        "rises_over_0.05": sum(c > 0.05 for c in changes),
        "sd_of_changes": round(statistics.stdev(changes), 4),
        f"spikes_over_{spike}": len(spikes),
        "largest_excess_over_median": round(max(excess), 4),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_ID")
    parser.add_argument("--window", type=int, default=21, help="steps in the centred median (odd; default 21)")
    parser.add_argument("--spike", type=float, default=0.1, help="excess over that median that counts as a spike")
    parser.add_argument("--skip", type=int, default=0, help="leave out the first this many logged steps")
    args = parser.parse_args()
    if args.window < 3 or args.window % 2 == 0:
        parser.error(f"--window must be an odd number of steps, at least 3 (got {args.window})")
    uri = tracking_uri()
    for run_id in args.runs:
        run = get(uri, "runs/get", run_id=run_id)["run"]
        points = loss_history(uri, run_id)[args.skip:]
        if len(points) < args.window:
            sys.exit(f"loss_spikes: run {run_id} has {len(points)} `loss` points after --skip {args.skip}, fewer "
                     f"than the --window of {args.window}; train with --set trainer.logEvery=1 for one per step")
        steps = [step for step, _ in points]
        gaps = {b - a for a, b in zip(steps, steps[1:])}
        result = {"run": run_id, "name": run["info"].get("run_name", ""), "steps": len(points)}
        if gaps != {1}:
            result["note"] = f"loss logged every {sorted(gaps)} steps, not every step: changes span several steps"
        result.update(roughness([value for _, value in points], args.window, args.spike))
        print(json.dumps(result))


if __name__ == "__main__":
    main()
