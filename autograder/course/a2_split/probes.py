"""Probes for a2_split: run the student's split, batches and loaders many times, report what came out."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import torch
from torch.utils.data import Subset, TensorDataset

from autograder.sandbox.probes import student_function


def _flat(parts: Any) -> torch.Tensor | None:
    """The parts concatenated as one LongTensor, or None when they are not a sequence of tensors."""
    try:
        if all(type(p) is torch.Tensor and p.dtype == torch.int64 and p.dim() == 1 for p in parts):
            return torch.cat(list(parts))   # the common case, 5,000 times per chi-square check
        return torch.cat([torch.as_tensor(p).reshape(-1).long() for p in parts])
    except Exception:  # noqa: BLE001 -- malformed output is an observation, not an error
        return None


def split_orders(module: ModuleType, n: int, fractions: list[float], seeds: list[int]) -> dict[str, Any]:
    """``cat(split_indices(n, fractions, seed=s))`` for every seed, as rows of one (S, n) tensor.

    Stops at the first seed whose output is not n indices, and returns that output instead.
    """
    split = student_function(module, "split_indices")
    rows = []
    for seed in seeds:
        parts = split(n, tuple(fractions), seed=seed)
        row = _flat(parts)
        if row is None or row.numel() != n:
            return {"bad_seed": seed, "parts": parts}
        rows.append(row)
    return {"orders": torch.stack(rows)}


def epoch_orders(module: ModuleType, train_idx: torch.Tensor, batch_size: int, epochs: list[int],
                 seed: int) -> dict[str, Any]:
    """``epoch_batches`` for each epoch: the batches of the first two, and every epoch's order."""
    batches = student_function(module, "epoch_batches")
    first = [batches(train_idx.clone(), batch_size, epoch, seed=seed) for epoch in epochs[:2]]
    rows = []
    for epoch in epochs:
        row = _flat(batches(train_idx.clone(), batch_size, epoch, seed=seed))
        if row is None or row.numel() != train_idx.numel():
            return {"first": first, "orders": None}
        rows.append(row)
    return {"first": first, "orders": torch.stack(rows)}


def loaders(module: ModuleType, n: int, fractions: list[float], batch_size: int, seed: int) -> dict[str, Any]:
    """Build ``make_loaders`` over a dataset whose samples encode their index; iterate each twice.

    The split make_loaders itself obtains from the student's ``split_indices`` is recorded in the same
    run ("split", "split_recorded"), so the loaders are judged against the student's own split: an unseeded
    or wrongly sized split_indices is charged in its own checks, not again here. Only when make_loaders
    never calls split_indices through the module is a later call used instead. "split_again" holds two
    more calls split_indices(n, fractions, seed=seed): if they agree with each other but not with the split
    make_loaders obtained, make_loaders passed other arguments.
    """
    dataset = TensorDataset(torch.arange(n) * 10 + 7)
    original = student_function(module, "split_indices")
    calls: list[Any] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        parts = original(*args, **kwargs)
        calls.append(parts)
        return parts

    module.split_indices = recording
    try:
        made = student_function(module, "make_loaders")(dataset, tuple(fractions), batch_size=batch_size, seed=seed)
    finally:
        module.split_indices = original
    report: dict[str, Any] = {"count": len(made) if isinstance(made, (tuple, list)) else None}
    for name, loader in zip(("train", "val", "test"), made if report["count"] == 3 else ()):
        subset = getattr(loader, "dataset", None)
        passes = []
        for _ in range(2):
            batches = [batch[0] if isinstance(batch, (list, tuple)) else batch for batch in loader]
            passes.append([(b - 7) // 10 for b in batches])
        report[name] = {
            "loader": type(loader).__name__,
            "subset": type(subset).__name__,
            "over_dataset": isinstance(subset, Subset) and subset.dataset is dataset,
            "indices": torch.as_tensor(list(subset.indices)).long() if isinstance(subset, Subset) else None,
            "passes": passes,
        }
    again = [original(n, tuple(fractions), seed=seed) for _ in range(2)]
    report["split_recorded"] = len(calls) == 1
    report["split"] = calls[0] if len(calls) == 1 else again[0]
    report["split_again"] = again
    return report
