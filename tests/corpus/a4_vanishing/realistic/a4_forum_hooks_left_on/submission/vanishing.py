import torch
import torch.nn as nn

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
    out = torch.empty_like(x)
    pos = x >= 0
    neg = ~pos
    out[pos] = 1 / (1 + torch.exp(-x[pos]))
    e = torch.exp(x[neg])
    out[neg] = e / (1 + e)
    return out


def sigmoid_prime(x):
    return sigmoid(x) * (1 - sigmoid(x))


def tanh_prime(x):
    return 1 - torch.tanh(x) ** 2


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    if activation not in ACTIVATIONS:
        raise ValueError("activation " + activation + " not supported")
    if init not in INITS:
        raise ValueError("init " + init + " not supported")
    model = nn.Sequential()
    prev = in_features
    for i in range(depth):
        model.append(nn.Linear(prev, width))
        model.append(ACTIVATIONS[activation]())
        prev = width
    model.append(nn.Linear(prev, out_features))
    for m in model:
        if isinstance(m, nn.Linear):
            _initialize(m.weight, init)
            nn.init.zeros_(m.bias)
    return model


def _initialize(weight, init):
    if init == "zeros":
        nn.init.zeros_(weight)
    elif init == "normal":
        nn.init.normal_(weight, mean=0, std=1)
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
    return [layer.weight.grad.norm().item() for layer in model.modules() if isinstance(layer, nn.Linear)]


def saturated(module, output):
    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):
        return (output - 0.5).abs() > 0.49
    if isinstance(module, nn.Tanh):
        return output.abs() > 0.98
    return output <= 0


# from the PyTorch forum thread "How can I extract intermediate layer output from loaded CNN model?"
activation = {}
modules = {}


def get_activation(name):
    def hook(model, input, output):
        activation[name] = output.detach()
    return hook


def activation_stats(model, x):
    activation.clear()
    modules.clear()
    for name, layer in model.named_modules():
        if isinstance(layer, tuple(ACTIVATIONS.values())):
            layer.register_forward_hook(get_activation(name))
            modules[name] = layer
    with torch.no_grad():
        model(x)
    stats = []
    for name, out in activation.items():
        stats.append({
            "mean": out.mean().item(),
            "std": out.std().item(),
            "saturated": saturated(modules[name], out).float().mean().item(),
        })
    return stats


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    criterion = nn.CrossEntropyLoss()
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        losses = []
        for epoch in range(epochs):
            model.train()
            for inputs, labels in train_loader:
                inputs = inputs.reshape(inputs.shape[0], 784)
                optimizer.zero_grad()
                outputs = model(inputs)
                loss = criterion(outputs, labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        model.eval()
        correct = 0
        total = 0
        with torch.no_grad():
            for inputs, labels in val_loader:
                outputs = model(inputs.reshape(inputs.shape[0], 784))
                _, predicted = torch.max(outputs.data, 1)
                total += labels.size(0)
                correct += (predicted == labels).sum().item()
        results[scheme] = {
            "losses": losses,
            "val_accuracy": correct / total,
            "junction": model[2].weight.detach().clone(),
            "model": model,
        }
    return results


def plot_comparison(results):
    import matplotlib.pyplot as plt

    fig, axs = plt.subplots(1, 1 + len(results), figsize=(5 * (1 + len(results)), 4))
    for scheme in results:
        axs[0].plot(results[scheme]["losses"], label=scheme)
    axs[0].set(xlabel="iteration", ylabel="loss", title="training loss")
    axs[0].legend()
    for i, scheme in enumerate(results):
        axs[i + 1].hist(results[scheme]["junction"].numpy().flatten(), bins=30)
        axs[i + 1].set_title(scheme)
    plt.tight_layout()
    return fig
