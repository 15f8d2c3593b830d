"""Correct, written differently: compare_initializers peeks at one batch before training (a pass over
the loader left early), updates the weights by hand (p -= lr * p.grad under no_grad), zeroes with
model.zero_grad(), uses F.cross_entropy and flatten(1), and scores validation with one concatenation."""
import torch
from torch import nn

BASE = "reference"


def compare_initializers(schemes, activation, epochs, seed, loaders):
    """Each scheme from the same seed; plain SGD written out by hand."""
    train_loader, val_loader = loaders
    images, _ = next(iter(train_loader))  # a look at one batch: the inputs are (B, 1, 28, 28)
    n_inputs = images[0].numel()
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme, in_features=n_inputs)
        history = []
        for epoch in range(epochs):
            for batch, targets in train_loader:
                model.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(batch.flatten(1)), targets)
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= 0.1 * p.grad
                history.append(float(loss))
        with torch.no_grad():
            hits = torch.cat([model(x.flatten(1)).argmax(1) == y for x, y in val_loader])
        results[scheme] = {"losses": history, "val_accuracy": hits.float().mean().item(),
                           "junction": model[-1].weight.detach().clone(), "model": model}
    return results
