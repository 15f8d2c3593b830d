import torch
from torch import nn

ACTIVATIONS = {
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "hardsigmoid": nn.Hardsigmoid,
}
INITS = ("zeros", "normal", "xavier_normal", "xavier_uniform", "kaiming_normal", "kaiming_uniform")


def sigmoid(x):
    return torch.sigmoid(x)   # torch's own is already stable for large |x|


def sigmoid_prime(x):
    s = torch.sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    return 1 - torch.tanh(x).square()


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    try:
        Act = ACTIVATIONS[activation]
    except KeyError:
        raise ValueError(f"no activation called {activation!r}") from None
    if init not in INITS:
        raise ValueError(f"no init called {init!r}")
    modules = []
    n = in_features
    for _ in range(depth):
        modules += [nn.Linear(n, width), Act()]
        n = width
    modules.append(nn.Linear(n, out_features))
    model = nn.Sequential(*modules)
    for m in model:
        if isinstance(m, nn.Linear):
            _initialize(m.weight, init)
            with torch.no_grad():
                m.bias.zero_()
    return model


def _initialize(weight, init):
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight, std=1.0)
    elif init == "xavier_normal":
        nn.init.xavier_normal_(weight)
    elif init == "xavier_uniform":
        nn.init.xavier_uniform_(weight)
    elif init == "kaiming_normal":
        nn.init.kaiming_normal_(weight, mode="fan_in", nonlinearity="relu")
    else:
        nn.init.kaiming_uniform_(weight, mode="fan_in", nonlinearity="relu")


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad(set_to_none=True)
    loss_fn(model(x), y).backward()
    return [float(m.weight.grad.norm()) for m in model.modules() if isinstance(m, nn.Linear)]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    records = []

    def hook(module, inputs, output):
        records.append({"mean": output.mean().item(), "std": output.std().item(),
                        "saturated": saturated(module, output).float().mean().item()})

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, tuple(ACTIVATIONS.values()))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return records


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = nn.CrossEntropyLoss()
        losses = []
        for _ in range(epochs):
            for x, y in train_loader:
                optimizer.zero_grad()
                loss = criterion(model(x.flatten(1)), y)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        hits = total = 0
        with torch.no_grad():
            for x, y in val_loader:
                hits += int((model(x.flatten(1)).argmax(1) == y).sum())
                total += len(y)
        results[scheme] = {"losses": losses, "val_accuracy": hits / total,
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(nrows=1, ncols=len(results) + 1, figsize=(4 * (len(results) + 1), 3.2))
    loss_ax, hist_axes = axes[0], axes[1:]
    for scheme, r in results.items():
        loss_ax.plot(r["losses"], label=scheme)
    loss_ax.set_xlabel("iteration")
    loss_ax.set_ylabel("loss")
    loss_ax.legend()
    for ax, (scheme, r) in zip(hist_axes, results.items()):
        ax.hist(r["junction"], bins=30)
        ax.set_title(scheme)
    fig.tight_layout()
    return fig
