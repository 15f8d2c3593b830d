import torch
import torch.nn as nn
import torch.optim as optim
from tqdm import tqdm

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
    z = torch.exp(-torch.abs(x))
    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))


def sigmoid_prime(x):
    s = sigmoid(x)
    return s * (1 - s)


def tanh_prime(x):
    return 1 - torch.tanh(x) ** 2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError(f"Unknown activation: {activation}")
    if init not in INITS:
        raise ValueError(f"Unknown init: {init}")
    layers = []
    last = in_features
    for _ in range(depth):
        layers.append(nn.Linear(last, width))
        layers.append(ACTIVATIONS[activation]())
        last = width
    layers.append(nn.Linear(last, out_features))
    net = nn.Sequential(*layers)
    for layer in net:
        if isinstance(layer, nn.Linear):
            _initialize(layer.weight, init)
            nn.init.zeros_(layer.bias)
    return net


def _initialize(weight, init):
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight, 0.0, 1.0)
    elif init == "xavier_normal":
        nn.init.xavier_normal_(weight)
    elif init == "xavier_uniform":
        nn.init.xavier_uniform_(weight)
    elif init == "kaiming_normal":
        nn.init.kaiming_normal_(weight, nonlinearity="relu")
    elif init == "kaiming_uniform":
        nn.init.kaiming_uniform_(weight, nonlinearity="relu")


def layer_gradient_norms(model, x, y, loss_fn):
    model.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


def activation_stats(model, x):
    found = []
    hooks = []
    for m in model.modules():
        if isinstance(m, tuple(ACTIVATIONS.values())):
            hooks.append(m.register_forward_hook(lambda mod, inp, out: found.append((mod, out.detach()))))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in hooks:
            h.remove()
    return [{"mean": out.mean().item(), "std": out.std().item(),
             "saturated": saturated(mod, out).float().mean().item()} for mod, out in found]


def compare_initializers(schemes, activation, epochs, seed, loaders):
    trainloader, valloader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        net = deep_mlp(1, 200, activation, scheme)
        criterion = nn.CrossEntropyLoss()
        optimizer = optim.SGD(net.parameters(), lr=0.1)
        losses = []
        for epoch in tqdm(range(epochs), desc=scheme):
            running_loss = 0.0
            for i, data in enumerate(trainloader, 0):
                inputs, labels = data
                inputs = inputs.view(inputs.size(0), -1)
                optimizer.zero_grad()
                outputs = net(inputs)
                loss = criterion(outputs, labels)
                loss.backward()
                optimizer.step()
                running_loss += loss.item()
            losses.append(running_loss / len(trainloader))
            print(f"[{scheme}, epoch {epoch + 1}] loss: {losses[-1]:.3f}")
        correct = 0
        total = 0
        with torch.no_grad():
            for data in valloader:
                images, labels = data
                outputs = net(images.view(images.size(0), -1))
                _, predicted = torch.max(outputs, 1)
                total += labels.size(0)
                correct += (predicted == labels).sum().item()
        results[scheme] = {"losses": losses, "val_accuracy": correct / total,
                           "junction": net[2].weight.detach().clone(), "model": net}
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results) + 1, figsize=(4 * (len(results) + 1), 3))
    for scheme, r in results.items():
        axes[0].plot(r["losses"], label=scheme)
    axes[0].set_xlabel("iteration")
    axes[0].set_ylabel("loss")
    axes[0].legend()
    for ax, (scheme, r) in zip(axes[1:], results.items()):
        ax.hist(r["junction"].flatten().numpy(), bins=30)
        ax.set_title(scheme)
    plt.tight_layout()
    return fig
