"""What a fork server runs once so that its children need not: an optimizer's first step, a first figure."""

from __future__ import annotations

import torch


def warm_up(training: bool = True, figures: bool = True) -> None:
    """Run once in the fork server what a child would otherwise load lazily, at every check: an
    optimizer's first use (about a second, torch's compiler stack) and a first figure (fonts)."""
    if training:
        _train_a_step()
    if figures:
        _render_a_figure()


def _train_a_step() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = torch.nn.functional.cross_entropy(model(torch.zeros(2, 4)), torch.tensor([0, 1]))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(4, 1)), batch_size=2, shuffle=True)
    for _ in loader:
        pass


def _render_a_figure() -> None:
    """Load matplotlib's fonts and Agg renderer once, here, instead of in every child that plots."""
    import io

    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 2))
    axes = figure.add_subplot()
    axes.plot([0, 1], [0, 1], label="line")
    axes.hist([0.1, 0.2, 0.2], bins=3)
    axes.set_title("warm-up")
    axes.legend()
    figure.savefig(io.BytesIO(), format="png")
