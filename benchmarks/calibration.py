"""Calibration of every statistical check of a1_init and a2_split, through the in-process front-end.

False fails: grades ``--impls`` (default 1,000 per assignment, 2,000 in all) correct implementations that consume
randomness differently -- a private generator seeded from a salted draw of the global RNG, the global
RNG re-seeded from a salted draw, dummy draws of varied length first -- and sample differently
(normal_, randn * std, interleaved Box-Muller pairs, inverse CDF; uniform_, rand * 2a - a, 1 - 2u in
float64, random sign times rand; randperm, argsort of rand, Fisher-Yates). Every implementation has its
own salt, so its draws are independent of the others'. Each check claims a false-fail probability
below 1e-6 (autograder/stats.py): expected false fails over 2,000 gradings < 0.002 per check.

Power: the smallest error each statistical check catches, from implementations with one planted
error of growing size (10 per size): std off by x %, a normal law mixed with a uniform one (KS),
neighbouring draws correlated (sign test), a share of values repeated, a biased shuffle (chi-square).

    nice -n 10 python benchmarks/calibration.py            # 2 x 1,000 implementations; writes results/calibration.md
    python benchmarks/calibration.py --quick               # 40 implementations, small power table (tests)
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import torch  # noqa: E402

from autograder import stats  # noqa: E402
from tests.support.inprocess_grading import grade_module, load_module  # noqa: E402

#: Every check of a1/a2 whose verdict rests on random draws.
STATISTICAL = {
    "a1_init": ("2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "4.1", "4.2", "5.1", "5.2", "7.1", "7.2", "8.2", "8.3", "8.4"),
    "a2_split": ("2.1", "2.2", "2.3", "4.2", "5.2", "6.2"),
}
NORMALS = {
    "normal_": "torch.empty(n, dtype=torch.float64).normal_(generator=g)",
    "randn": "torch.randn(n, generator=g).double()",
    "box_muller": "_box_muller(n, g)",
    "inverse_cdf": "math.sqrt(2.0) * torch.special.erfinv(2 * torch.rand(n, dtype=torch.float64, generator=g)"
                   ".clamp(1e-300, 1 - 1e-16) - 1)",
}
UNIFORMS = {   # U(-1, 1)
    "uniform_": "torch.empty(n).uniform_(-1.0, 1.0, generator=g).double()",
    "rand*2-1": "torch.rand(n, generator=g).double() * 2 - 1",
    "1-2u_f64": "1 - 2 * torch.rand(n, dtype=torch.float64, generator=g)",
    "sign*rand": "(torch.randint(0, 2, (n,), generator=g) * 2 - 1) * torch.rand(n, dtype=torch.float64, generator=g)",
}
STREAMS = {
    "private generator from a salted global draw": "g = torch.Generator().manual_seed(_salted())",
    "global RNG re-seeded from a salted draw": "torch.manual_seed(_salted()); g = None",
    "dummy draws, then a private generator": "torch.rand(_DUMMY); g = torch.Generator().manual_seed(_salted())",
}
PERMS = {
    "randperm": "torch.randperm(n, generator=g)",
    "argsort(rand)": "torch.rand(n, dtype=torch.float64, generator=g).argsort()",
    "fisher_yates": "_fisher_yates(n, g)",
}

COMMON = '''
import math
import torch
from torch import nn
from torch.utils.data import DataLoader, Subset

_SALT = {salt}
_DUMMY = {dummy}
_P = {params}
_MASK = (1 << 64) - 1


def _mix(*values):
    h = _SALT
    for v in values:
        h = ((h ^ (int(v) & _MASK)) * 0x9E3779B97F4A7C15) & _MASK
        h ^= h >> 31
    return h & ((1 << 62) - 1)


def _salted():
    return _mix(int(torch.randint(0, 2 ** 62, (1,))))
'''

A1_TEMPLATE = COMMON + '''

def _box_muller(n, g):
    pairs = (n + 1) // 2
    u1 = 1.0 - torch.rand(pairs, dtype=torch.float64, generator=g)
    u2 = torch.rand(pairs, dtype=torch.float64, generator=g)
    r = torch.sqrt(-2.0 * torch.log(u1))
    return torch.stack([r * torch.cos(2 * math.pi * u2), r * torch.sin(2 * math.pi * u2)], 1).flatten()[:n]


def _planted(z, g, kind):
    """Errors planted for the power table (all zero in the calibration run)."""
    n = z.numel()
    if _P.get("mix_uniform") and kind == "normal":
        pick = torch.rand(n, dtype=torch.float64, generator=g) < _P["mix_uniform"]
        z = torch.where(pick, (torch.rand(n, dtype=torch.float64, generator=g) * 2 - 1) * math.sqrt(3.0), z)
    if _P.get("ma"):
        theta = _P["ma"]
        z = (z + theta * torch.roll(z, 1)) / math.sqrt(1 + theta * theta)
    if _P.get("repeat"):
        k = int(n * _P["repeat"])
        z = z.clone()
        z[n - k:] = z[:k]
    return z * _P.get("std_factor", 1.0)


def _fill(tensor, scale, kind):
    n = tensor.numel()
    {stream}
    z = ({normal}) if kind == "normal" else ({uniform}) * math.sqrt(3.0)
    with torch.no_grad():
        tensor.copy_((_planted(z, g, kind) * scale).reshape(tensor.shape))
    return tensor


def fan_in_and_fan_out(tensor):
    if tensor.dim() < 2:
        raise ValueError("two dimensions or more")
    k = math.prod(tensor.shape[2:])
    return tensor.shape[1] * k, tensor.shape[0] * k


def _fan(tensor, mode):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(mode)
    return fan_in_and_fan_out(tensor)[0 if mode == "fan_in" else 1]


def xavier_normal_(tensor, gain=1.0):
    return _fill(tensor, gain * math.sqrt(2.0 / sum(fan_in_and_fan_out(tensor))), "normal")


def xavier_uniform_(tensor, gain=1.0):
    return _fill(tensor, gain * math.sqrt(2.0 / sum(fan_in_and_fan_out(tensor))), "uniform")


def kaiming_normal_(tensor, mode="fan_in"):
    return _fill(tensor, math.sqrt(2.0 / _fan(tensor, mode)), "normal")


def kaiming_uniform_(tensor, mode="fan_in"):
    return _fill(tensor, math.sqrt(2.0 / _fan(tensor, mode)), "uniform")


SCHEMES = {{"xavier_normal": xavier_normal_, "xavier_uniform": xavier_uniform_,
           "kaiming_normal": kaiming_normal_, "kaiming_uniform": kaiming_uniform_}}


def init_weights(module, scheme="kaiming_normal", bias=0.0):
    if scheme not in SCHEMES:
        raise ValueError(scheme)
    if isinstance(module, nn.Linear):
        SCHEMES[scheme](module.weight)
        if module.bias is not None:
            with torch.no_grad():
                module.bias.fill_(bias)
'''

A2_TEMPLATE = COMMON + '''

def _fisher_yates(n, g):
    order = list(range(n))
    draws = torch.rand(n, dtype=torch.float64, generator=g).tolist()
    for i in range(n - 1, 0, -1):
        j = int(draws[i] * (i + 1))
        order[i], order[j] = order[j], order[i]
    return torch.tensor(order, dtype=torch.int64)


def _naive(n, g):
    order = torch.arange(n)
    for i, j in enumerate(torch.randint(n, (n,), generator=g).tolist()):
        order[[i, j]] = order[[j, i]]
    return order


def _permutation(n, g):
    if _P.get("naive") and float(torch.rand(1, generator=g)) < _P["naive"]:
        return _naive(n, g)
    return {perm}


def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):
    if len(fractions) != 3 or any(f < 0 for f in fractions) or abs(sum(fractions) - 1.0) > 1e-6:
        raise ValueError(fractions)
    if n < 3:
        raise ValueError(n)
    order = _permutation(n, torch.Generator().manual_seed(_mix(seed)))
    n_val, n_test = int(n * fractions[1]), int(n * fractions[2])
    n_train = n - n_val - n_test
    return order[:n_train], order[n_train:n_train + n_val], order[n_train + n_val:]


def epoch_batches(train_idx, batch_size, epoch, seed=0):
    perm = _permutation(len(train_idx), torch.Generator().manual_seed(_mix(seed, epoch)))
    return list(torch.split(train_idx[perm], batch_size))


def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):
    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)
    return (DataLoader(Subset(dataset, train_idx.tolist()), batch_size=batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(_mix(seed, 1))),
            DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size),
            DataLoader(Subset(dataset, test_idx.tolist()), batch_size=batch_size))
'''


def implementation(assignment: str, k: int, params: dict | None = None) -> tuple[str, str]:
    """Correct implementation number ``k`` (its source and a description); ``params`` plant an error."""
    salt = (k * 0x2545F4914F6CDD1D + 0x1234567) & ((1 << 62) - 1)
    fields = {"salt": salt, "dummy": 1 + (k * 7919) % 997, "params": repr(params or {})}
    if assignment == "a1_init":
        normal = list(NORMALS)[k % 4]
        uniform = list(UNIFORMS)[(k // 4) % 4]
        stream = list(STREAMS)[(k // 16) % 3]
        source = A1_TEMPLATE.format(**fields, normal=NORMALS[normal], uniform=UNIFORMS[uniform],
                                    stream=STREAMS[stream])
        return source, f"{normal} / {uniform} / {stream}"
    perm = list(PERMS)[k % 3]
    return A2_TEMPLATE.format(**fields, perm=PERMS[perm]), perm


def _grade(job: tuple[str, int, dict | None, tuple[str, ...]]) -> tuple[int, str, dict[str, tuple[float, str]]]:
    assignment, k, params, checks = job
    torch.set_num_threads(1)
    source, what = implementation(assignment, k, params)
    with tempfile.TemporaryDirectory() as folder:
        module = load_module(Path(folder), assignment, source)
        return k, what, grade_module(assignment, module, only=checks)


def _run(jobs: list, workers: int, progress: str = "") -> list:
    """Grade every job; with ``progress``, print a line (false fails so far) every 100 gradings."""
    results: list = []
    pool = Pool(workers) if workers > 1 else None
    try:
        graded = pool.imap(_grade, jobs, chunksize=4) if pool else map(_grade, jobs)
        for result in graded:
            results.append(result)
            if progress and len(results) % 100 == 0:
                fails = sum(f < 1.0 for _, _, g in results for f, _ in g.values())
                print(f"{progress}: {len(results)} graded, {fails} false fails", file=sys.stderr, flush=True)
    finally:
        if pool:
            pool.close()
            pool.join()
    return results


NUMBER = r"([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)"


def margins(assignment: str, results: list) -> dict[str, list[float]]:
    """The largest statistic / allowed seen, per kind of test, parsed from each passing check's notes."""
    found: dict[str, list[float]] = {}
    for _, _, graded in results:
        for number, (fraction, message) in graded.items():
            for d, allowed in re.findall(rf"KS distance {NUMBER} \(allowed {NUMBER}\)", message):
                found.setdefault("KS distance / allowed", []).append(float(d) / float(allowed))
            for z in re.findall(rf"z {NUMBER}", message):
                found.setdefault("abs(sign agreement z) / 6.18", []).append(abs(float(z)) / stats.SIGN_T)
            for std, expected in re.findall(rf"std {NUMBER} \(expected {NUMBER}\)", message):
                found.setdefault("abs(std / expected - 1)", []).append(abs(float(std) / float(expected) - 1))
            for chi, allowed, df in re.findall(rf"chi-square {NUMBER} \(allowed {NUMBER}, df {NUMBER}\)", message):
                found.setdefault(f"chi-square ({assignment} {number})", []).append(float(chi))
                found.setdefault("chi-square / allowed", []).append(float(chi) / float(allowed))
    return found


def calibrate(assignment: str, count: int, workers: int) -> list[str]:
    """Grade ``count`` correct implementations; the report's lines."""
    started = time.monotonic()
    checks = STATISTICAL[assignment]
    results = _run([(assignment, k, None, checks) for k in range(count)], workers, progress=assignment)
    fails = {n: [(k, what, graded[n][1]) for k, what, graded in results if graded[n][0] < 1.0] for n in checks}
    lines = [f"### {assignment}: {count:,} correct implementations, {len(checks)} statistical checks "
             f"({time.monotonic() - started:.0f} s)", "",
             "| check | false fails | expected (<= 1e-6 per grading) |", "|---|---|---|"]
    lines += [f"| {n} | {len(fails[n])} / {count:,} | < {count * 1e-6:.3f} |" for n in checks]
    for n in checks:
        for k, what, message in fails[n][:3]:
            lines += ["", f"FALSE FAIL {assignment} {n}, implementation {k} ({what}):", "", "    "
                      + message.replace("\n", "\n    ")]
    lines += ["", "| statistic | largest seen | mean |", "|---|---|---|"]
    for name, values in sorted(margins(assignment, results).items()):
        if name.startswith("chi-square ("):
            mean = sum(values) / len(values)
            variance = sum((v - mean) ** 2 for v in values) / max(len(values) - 1, 1)
            lines.append(f"| {name}: mean {mean:.1f}, variance {variance:.0f} (theory 90, 200) | {max(values):.0f} | |")
        else:
            lines.append(f"| {name} | {max(values):.3f} | {sum(values) / len(values):.3f} |")
    return lines


#: (assignment, check, what is planted, parameter name, sizes): one planted error of growing size.
POWER = [
    ("a1_init", "2.1", "std off by x (normal, n = 150,000)", "std_factor", [1.005, 1.01, 1.015, 1.02, 1.03]),
    ("a1_init", "5.1", "bound too small by the factor x (uniform, n = 150,000)", "std_factor",
     [0.99995, 0.9999, 0.9998, 0.9995, 0.999]),
    ("a1_init", "8.3", "std and bound too small by the factor x (normal n = 18,432, uniform n = 4,000)",
     "std_factor", [0.998, 0.995, 0.99, 0.98, 0.97]),
    ("a1_init", "2.2", "share w of draws from a uniform law of the same std (KS, n = 150,000)", "mix_uniform",
     [0.05, 0.1, 0.15, 0.2, 0.3]),
    ("a1_init", "2.2", "neighbours correlated: MA(1), theta = x (lag-1 correlation x/(1+x^2))", "ma",
     [0.01, 0.02, 0.03, 0.04, 0.06]),
    ("a1_init", "4.1", "share x of the values copies of earlier ones", "repeat", [0.05, 0.08, 0.1, 0.12, 0.15]),
    ("a2_split", "2.3", "share w of the splits by the naive swap shuffle (chi-square)", "naive",
     [0.2, 0.3, 0.4, 0.5, 0.6, 0.8]),
    ("a2_split", "6.2", "share w of the epochs by the naive swap shuffle (chi-square)", "naive",
     [0.2, 0.3, 0.4, 0.5, 0.6, 0.8]),
]


#: (sample, law, n): every sample size the a1 checks judge.
SAMPLES = [("public initializers, 300 x 500", "normal", 150_000), ("public initializers, 300 x 500", "uniform", 150_000),
           ("init_weights Linear(400, 300)", "normal", 120_000), ("init_weights Linear(300, 200)", "uniform", 60_000),
           ("init_weights Linear(200, 100)", "normal", 20_000), ("8.2 xavier_uniform_ 129 x 257", "uniform", 33_153),
           ("8.2 / 8.3 conv 64 x 32 x 3 x 3", "normal", 18_432), ("8.3 kaiming_uniform_ 40 x 20 x 5", "uniform", 4_000)]


def tolerance_table() -> list[str]:
    """Each a1 test's acceptance region at the sample sizes the checks use (all at 1e-8 per statistic)."""
    lines = ["| sample | law | n | s^2/sigma^2 accepted | mean within (std units) | KS distance below "
             "| bound reached within | sign agreement abs(z) below |", "|---|---|---|---|---|---|---|---|"]
    for what, law, n in SAMPLES:
        low, high = stats.variance_ratio_bounds(law, n)
        reach = f"{stats.reach_fraction(n):.3%}" if law == "uniform" else "-"
        lines.append(f"| {what} | {law} | {n:,} | {low:.4f} ... {high:.4f} | {stats.mean_tolerance(1.0, n):.4f} "
                     f"| {stats.ks_tolerance(n):.4f} | {reach} | {stats.SIGN_T:.2f} sqrt(m) |")
    return lines


def power(trials: int, workers: int, quick: bool) -> list[str]:
    lines = ["| check | planted error | size: share of gradings that fail | smallest size caught every time |",
             "|---|---|---|---|"]
    for assignment, number, what, parameter, sizes in POWER:
        sizes = sizes[::2] if quick else sizes
        jobs = [(assignment, 10_000 + 97 * i + t, {parameter: size}, (number,))
                for i, size in enumerate(sizes) for t in range(trials)]
        results = _run(jobs, workers)
        caught = [sum(graded[number][0] < 1.0 for _, _, graded in results[i * trials:(i + 1) * trials]) / trials
                  for i in range(len(sizes))]
        smallest = next((f"{s:g}" for s, c in zip(sizes, caught) if c == 1.0), "none in the grid")
        cells = ", ".join(f"{s:g}: {c:.0%}" for s, c in zip(sizes, caught))
        lines.append(f"| {assignment} {number} | {what} | {cells} | {smallest} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impls", type=int, default=1000,
                        help="correct implementations per assignment (default 1,000 each: 2,000 in all)")
    parser.add_argument("--trials", type=int, default=10, help="gradings per planted error size")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="40 implementations, a coarse power grid")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "calibration.md")
    args = parser.parse_args(argv)
    count, trials = (40, 4) if args.quick else (args.impls, args.trials)
    started = time.monotonic()
    lines = [f"False-fail bound per statistic: {stats.ALPHA:g} (z = {stats.Z:.3f}, KS lambda = {stats.KS_LAMBDA:.3f}, "
             f"sign bound = {stats.SIGN_T:.3f}); every check makes at most 16 tests.", ""] + tolerance_table() + [""]
    for assignment in STATISTICAL:
        lines += calibrate(assignment, count, args.workers) + [""]
    lines += [f"### Power ({trials} gradings per size)", ""] + power(trials, args.workers, args.quick)
    lines += ["", f"Total {time.monotonic() - started:.0f} s with {args.workers} workers."]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text)
    false_fails = sum(1 for line in lines if line.startswith("FALSE FAIL"))
    return 1 if false_fails else 0


if __name__ == "__main__":
    sys.exit(main())
