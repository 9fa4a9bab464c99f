"""PoolLab against the PyTorch reference of the identical model, interleaved in one session.

For each round and each thread count, runs `poollab bench` and `bench/torch_reference.py` one after the other
(the order alternates between rounds: A B, B A, ...), PoolLab also with as many data-parallel replicas as threads
(`trainer.replicas`, one native thread each), and each in both precisions: fp32, and PoolLab's bf16-matmul beside
PyTorch under torch.autocast(cpu, bfloat16). Then takes each configuration's median over the rounds, and each
engine's best configuration per precision, and prints the ratios PoolLab / PyTorch for training and inference
img/s (batch 64 and 256) and for peak resident memory during training. Writes everything to
reports/bench/compare-<trainer>-<time>.json. Called by `./poollab compare-torch`, which creates the PyTorch
virtualenv first; standard library only.
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
# The Java side of each trainer: the experiment file and overrides that give the model torch_reference.py builds
# (ViT patch 4, dim 192, depth 4, heads 3, SimPool without gamma).
JAVA_EXPERIMENTS = {
    "supervised": ["experiments/quickstart.yaml", "--set", "backbone.preset=fmnist-dino"],
    "dino": ["experiments/dino-fmnist.yaml"],
    # the reference's learned positions and trained patch projection cost what sin-cos and a frozen one do, give or
    # take the patch projection's weight gradient
    "mocov3": ["experiments/mocov3-fmnist.yaml"],
}
METRICS = ["train_img_per_s_b{b}", "inference_img_per_s_b{b}"]


# PoolLab's trainer.precision and the PyTorch mode it is compared with.
PRECISIONS = {"fp32": "fp32", "bf16-matmul": "autocast-bf16"}


def run_poollab(trainer, batches, steps, warmup, threads, replicas, precision):
    with tempfile.TemporaryDirectory() as folder:
        report = pathlib.Path(folder) / "bench.json"
        command = [str(ROOT / "poollab"), "bench", *JAVA_EXPERIMENTS[trainer], "--set",
                   f"trainer.replicas={replicas}", "--set", f"trainer.precision={precision}", "--batches", batches,
                   "--steps", str(steps), "--warmup", str(warmup), "--json", str(report)]
        subprocess.run(command, check=True, cwd=ROOT, env=dict(os.environ, OMP_NUM_THREADS=str(threads)),
                       stdout=sys.stderr)
        return json.loads(report.read_text())


def run_torch(python, trainer, batches, steps, warmup, threads, precision):
    command = [python, str(ROOT / "bench" / "torch_reference.py"), "--trainer", trainer, "--batches", batches,
               "--steps", str(steps), "--warmup", str(warmup), "--threads", str(threads)]
    if precision != "fp32":
        command.append("--autocast")
    out = subprocess.run(command, check=True, cwd=ROOT, env=dict(os.environ, OMP_NUM_THREADS=str(threads)),
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def best(measurements, key, larger_is_better=True):
    """The median of key over the rounds of each configuration, for the configuration whose median is best, and
    that configuration: the median keeps one lucky or unlucky round (the machine is shared) from deciding."""
    by_configuration = {}
    for m in measurements:
        by_configuration.setdefault(configuration(m), []).append(m["numbers"][key])
    pick = max if larger_is_better else min
    return pick(((statistics.median(values), name) for name, values in by_configuration.items()),
                key=lambda pair: pair[0])


def configuration(measurement):
    """'2t' for two threads, '2t/2r' for two threads as two replicas."""
    replicas = measurement.get("replicas", 1)
    return f"{measurement['threads']}t" + (f"/{replicas}r" if replicas > 1 else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trainer", choices=sorted(JAVA_EXPERIMENTS), default="supervised")
    parser.add_argument("--python", required=True, help="the Python of the virtualenv that has torch")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batches", default=None,
                        help="batch sizes; default 64,256 (supervised) or 64 (dino, mocov3: their batch of 256 needs "
                             "more than the launcher's 4 GB native memory cap)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-replicas", action="store_true", help="skip PoolLab's replica configurations")
    parser.add_argument("--precisions", default="fp32,bf16-matmul",
                        help="PoolLab's trainer.precision values to measure, each against its PyTorch peer (fp32; "
                             "bf16-matmul against torch.autocast bfloat16)")
    args = parser.parse_args()
    if args.batches is None:
        args.batches = "64,256" if args.trainer == "supervised" else "64"

    precisions = args.precisions.split(",")
    runs = {precision: {"poollab": [], "pytorch": []} for precision in precisions}
    for round_index in range(args.rounds):
        for threads in [int(t) for t in args.threads.split(",")]:
            ours = [("poollab", 1)] + ([("poollab", threads)] if threads > 1 and not args.no_replicas else [])
            order = ours + [("pytorch", 1)] if round_index % 2 == 0 else [("pytorch", 1)] + ours
            for precision in precisions:
                for engine, replicas in order:
                    label = f"{threads} thread(s)" + (f" as {replicas} replicas" if replicas > 1 else "")
                    mode = precision if engine == "poollab" else PRECISIONS[precision]
                    print(f"round {round_index + 1}/{args.rounds}, {label}, {mode}: {engine}", file=sys.stderr)
                    numbers = (run_poollab(args.trainer, args.batches, args.steps, args.warmup, threads, replicas,
                                           precision)
                               if engine == "poollab" else
                               run_torch(args.python, args.trainer, args.batches, args.steps, args.warmup, threads,
                                         precision))
                    runs[precision][engine].append({"round": round_index, "threads": threads, "replicas": replicas,
                                                    "numbers": numbers})

    ratios = {}
    lines = [f"{'metric':28} {'precision':>24} {'PoolLab':>18} {'PyTorch':>16} {'ratio':>7}"]
    keys = [m.format(b=b) for b in args.batches.split(",") for m in METRICS]
    for precision in precisions:
        for key in keys + ["train_peak_rss_gb"]:
            higher = key != "train_peak_rss_gb"
            ours, our_configuration = best(runs[precision]["poollab"], key, higher)
            theirs, their_configuration = best(runs[precision]["pytorch"], key, higher)
            ratios[key if precision == "fp32" else f"{key}_{precision}"] = ours / theirs
            pair = f"{precision}/{PRECISIONS[precision]}"
            lines.append(f"{key:28} {pair:>24} {ours:10.2f} ({our_configuration:>5}) {theirs:10.2f} "
                         f"({their_configuration}) {ours / theirs:7.2f}")
    table = "\n".join(lines)
    print(f"{args.trainer}: median of {args.rounds} interleaved rounds per configuration, the best configuration "
          f"per engine and precision\n{table}")

    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = ROOT / "reports" / "bench" / f"compare-{args.trainer}-{stamp}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"trainer": args.trainer, "rounds": args.rounds, "ratios": ratios, "runs": runs},
                                 indent=2))
    print(f"written: {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
