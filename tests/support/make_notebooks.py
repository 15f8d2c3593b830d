"""Write the corpus's Jupyter notebooks (nbformat 4.5 JSON) from the cell texts below.

Run ``python tests/support/make_notebooks.py`` after editing a cell; the .ipynb files are committed,
so the test suite reads exactly what a student would upload. The notebooks look like what Jupyter
and Colab save: IPython magics (``%matplotlib inline``, ``%%time``), ``!pip install`` lines,
execution counts and stream outputs, and work at top level (downloads, training, plots) that
grading must skip.
"""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

A1_CELLS = [
    ("markdown", "# HW1 - Weight initialization\n\nXavier and Kaiming from scratch, then a look at the histograms."),
    ("code", "!pip install torchsummary", "Requirement already satisfied: torchsummary in /usr/local/lib/python3.11/dist-packages (1.5.1)\n"),
    ("code", "%matplotlib inline\nimport math\nfrom functools import partial\n\nimport matplotlib.pyplot as plt\nimport torch\nfrom torch import nn"),
    ("code", "def fan_in_and_fan_out(tensor):\n"
             "    if tensor.dim() < 2:\n"
             "        raise ValueError(\"need a weight with at least 2 dimensions\")\n"
             "    receptive_field = 1\n"
             "    for s in tensor.shape[2:]:\n"
             "        receptive_field *= s\n"
             "    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field"),
    ("code", "fan_in_and_fan_out(torch.empty(128, 784)), fan_in_and_fan_out(torch.empty(16, 3, 5, 5))", None,
     "((784, 128), (75, 400))"),
    ("markdown", "## Xavier (Glorot)\n\n$Var(w) = 2 / (n_{in} + n_{out})$"),
    ("code", "def xavier_normal_(tensor, gain=1.0):\n"
             "    fan_in, fan_out = fan_in_and_fan_out(tensor)\n"
             "    std = gain * math.sqrt(2.0 / (fan_in + fan_out))\n"
             "    with torch.no_grad():\n"
             "        return tensor.normal_(0.0, std)\n"
             "\n"
             "\n"
             "def xavier_uniform_(tensor, gain=1.0):\n"
             "    fan_in, fan_out = fan_in_and_fan_out(tensor)\n"
             "    a = gain * math.sqrt(6.0 / (fan_in + fan_out))\n"
             "    with torch.no_grad():\n"
             "        return tensor.uniform_(-a, a)"),
    ("markdown", "## Kaiming (He)\n\n$Var(w) = 2 / n$ with $n$ = fan_in or fan_out"),
    ("code", "def _fan(tensor, mode):\n"
             "    if mode not in (\"fan_in\", \"fan_out\"):\n"
             "        raise ValueError(f\"mode must be fan_in or fan_out, got {mode}\")\n"
             "    fan_in, fan_out = fan_in_and_fan_out(tensor)\n"
             "    return fan_in if mode == \"fan_in\" else fan_out\n"
             "\n"
             "\n"
             "def kaiming_normal_(tensor, mode=\"fan_in\"):\n"
             "    with torch.no_grad():\n"
             "        return tensor.normal_(0.0, math.sqrt(2.0 / _fan(tensor, mode)))\n"
             "\n"
             "\n"
             "def kaiming_uniform_(tensor, mode=\"fan_in\"):\n"
             "    bound = math.sqrt(6.0 / _fan(tensor, mode))\n"
             "    with torch.no_grad():\n"
             "        return tensor.uniform_(-bound, bound)"),
    ("code", "SCHEMES = {\n"
             "    \"xavier_normal\": xavier_normal_,\n"
             "    \"xavier_uniform\": xavier_uniform_,\n"
             "    \"kaiming_normal\": kaiming_normal_,\n"
             "    \"kaiming_uniform\": kaiming_uniform_,\n"
             "}\n"
             "\n"
             "\n"
             "def init_weights(module, scheme=\"kaiming_normal\", bias=0.0):\n"
             "    if scheme not in SCHEMES:\n"
             "        raise ValueError(f\"unknown scheme {scheme}\")\n"
             "    if isinstance(module, nn.Linear):\n"
             "        SCHEMES[scheme](module.weight)\n"
             "        if module.bias is not None:\n"
             "            with torch.no_grad():\n"
             "                module.bias.fill_(bias)"),
    ("code", "w = torch.empty(256, 512)\nxavier_normal_(w)\nprint(w.std().item(), math.sqrt(2 / (256 + 512)))",
     "0.05100915580987930 0.05103103630798288\n"),
    ("code", "fig, axes = plt.subplots(1, 4, figsize=(16, 3))\n"
             "for ax, (name, fn) in zip(axes, SCHEMES.items()):\n"
             "    ax.hist(fn(torch.empty(256, 512)).flatten().numpy(), bins=80)\n"
             "    ax.set_title(name)\n"
             "plt.show()"),
    ("code", "model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))\n"
             "model.apply(partial(init_weights, scheme=\"xavier_uniform\", bias=0.01))\n"
             "print(model[0].bias[:5])",
     "tensor([0.0100, 0.0100, 0.0100, 0.0100, 0.0100], grad_fn=<SliceBackward0>)\n"),
]

A2_CELLS = [
    ("markdown", "# Lab 2: train / validation / test\n\n70 / 15 / 15, shuffle once, reshuffle the training part every epoch."),
    ("code", "!pip install -q torchvision"),
    ("code", "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport torch\n"
             "from torch.utils.data import ConcatDataset, DataLoader, Subset\nfrom torchvision import datasets, transforms"),
    ("code", "BATCH_SIZE = 70\nSEED = 42\nFRACTIONS = (0.70, 0.15, 0.15)"),
    ("code", "def split_indices(n, fractions=(0.70, 0.15, 0.15), seed=0):\n"
             "    if len(fractions) != 3 or any(f < 0 for f in fractions):\n"
             "        raise ValueError(\"fractions: three numbers >= 0\")\n"
             "    if abs(sum(fractions) - 1) > 1e-6:\n"
             "        raise ValueError(\"fractions must sum to 1\")\n"
             "    if n < 3:\n"
             "        raise ValueError(\"n must be at least 3\")\n"
             "    gen = torch.Generator().manual_seed(seed)\n"
             "    perm = torch.randperm(n, generator=gen)\n"
             "    n_val, n_test = int(n * fractions[1]), int(n * fractions[2])\n"
             "    n_train = n - n_val - n_test\n"
             "    return perm[:n_train], perm[n_train:n_train + n_val], perm[n_train + n_val:]"),
    ("code", "def epoch_batches(train_idx, batch_size, epoch, seed=0):\n"
             "    gen = torch.Generator().manual_seed(seed * 1_000_003 + epoch)\n"
             "    order = train_idx[torch.randperm(len(train_idx), generator=gen)]\n"
             "    return [order[i:i + batch_size] for i in range(0, len(order), batch_size)]"),
    ("code", "def make_loaders(dataset, fractions=(0.70, 0.15, 0.15), batch_size=100, seed=0):\n"
             "    train_idx, val_idx, test_idx = split_indices(len(dataset), fractions, seed)\n"
             "    train = DataLoader(Subset(dataset, train_idx.tolist()), batch_size=batch_size, shuffle=True)\n"
             "    val = DataLoader(Subset(dataset, val_idx.tolist()), batch_size=batch_size, shuffle=False)\n"
             "    test = DataLoader(Subset(dataset, test_idx.tolist()), batch_size=batch_size, shuffle=False)\n"
             "    return train, val, test"),
    ("code", "full = ConcatDataset([\n"
             "    datasets.FashionMNIST(\"data\", train=True, download=True, transform=transforms.ToTensor()),\n"
             "    datasets.FashionMNIST(\"data\", train=False, download=True, transform=transforms.ToTensor()),\n"
             "])\nlen(full)", None, "70000"),
    ("code", "train_loader, val_loader, test_loader = make_loaders(full, FRACTIONS, BATCH_SIZE, SEED)\n"
             "print(len(train_loader.dataset), len(val_loader.dataset), len(test_loader.dataset), len(train_loader))",
     "49000 10500 10500 700\n"),
    ("code", "%%time\ntrain_idx, val_idx, test_idx = split_indices(len(full), FRACTIONS, SEED)\n"
             "for epoch in range(3):\n"
             "    batches = epoch_batches(train_idx, BATCH_SIZE, epoch, SEED)\n"
             "    print(epoch, len(batches), batches[0][:5].tolist())",
     "0 700 [20614, 48212, 5301, 39915, 46577]\n1 700 [1933, 40012, 27418, 8710, 3342]\n"
     "2 700 [31160, 2468, 47736, 12007, 25511]\nCPU times: user 41.2 ms, sys: 2.1 ms, total: 43.3 ms\n"),
    ("code", "val_labels = [full[i][1] for i in val_idx[:3000].tolist()]\n"
             "plt.hist(val_labels, bins=10, rwidth=0.8)\nplt.title(\"classes in the validation part\")\nplt.show()"),
]

A3_CELLS = [
    ("markdown", "# HW3 - Fashion-MNIST\n\nThe lecture's network (784-128-10), trained with Adam."),
    ("code", "!pip install torchsummary", "Collecting torchsummary\n  Downloading torchsummary-1.5.1-py3-none-any.whl (2.8 kB)\n"),
    ("code", "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport torch\nfrom torch import nn\n"
             "from torch.utils.data import DataLoader\nfrom torchsummary import summary\n"
             "from torchvision import datasets\nfrom torchvision.transforms import ToTensor"),
    ("code", "device = \"cuda\" if torch.cuda.is_available() else \"cpu\"\nprint(f\"Using {device} device\")",
     "Using cuda device\n"),
    ("code", "training_data = datasets.FashionMNIST(root=\"data\", train=True, download=True, transform=ToTensor())\n"
             "test_data = datasets.FashionMNIST(root=\"data\", train=False, download=True, transform=ToTensor())"),
    ("code", "CLASSES = (\"T-shirt/top\", \"Trouser\", \"Pullover\", \"Dress\", \"Coat\",\n"
             "           \"Sandal\", \"Shirt\", \"Sneaker\", \"Bag\", \"Ankle boot\")"),
    ("code", "class Net(nn.Module):\n"
             "    def __init__(self):\n"
             "        super().__init__()\n"
             "        self.flatten = nn.Flatten()\n"
             "        self.hidden = nn.Linear(28 * 28, 128)\n"
             "        self.output = nn.Linear(128, 10)\n"
             "\n"
             "    def forward(self, x):\n"
             "        return self.output(torch.relu(self.hidden(self.flatten(x))))"),
    ("code", "model = Net().to(device)\nsummary(model, (1, 28, 28), device=device)",
     "Total params: 101,770\nTrainable params: 101,770\n"),
    ("code", "def train_one_epoch(model, loader, loss_fn, optimizer, device=\"cpu\"):\n"
             "    size = len(loader.dataset)\n"
             "    model.train()\n"
             "    losses, total, correct = [], 0.0, 0\n"
             "    for batch, (X, y) in enumerate(loader):\n"
             "        X, y = X.to(device), y.to(device)\n"
             "        optimizer.zero_grad()\n"
             "        pred = model(X)\n"
             "        loss = loss_fn(pred, y)\n"
             "        loss.backward()\n"
             "        optimizer.step()\n"
             "        losses.append(loss.item())\n"
             "        total += loss.item() * len(X)\n"
             "        correct += (pred.argmax(1) == y).sum().item()\n"
             "    return {\"loss\": total / size, \"accuracy\": correct / size, \"losses\": losses}\n"
             "\n"
             "\n"
             "def evaluate(model, loader, device=\"cpu\", loss_fn=None):\n"
             "    size = len(loader.dataset)\n"
             "    model.eval()\n"
             "    total, correct = 0.0, 0\n"
             "    with torch.no_grad():\n"
             "        for X, y in loader:\n"
             "            X, y = X.to(device), y.to(device)\n"
             "            pred = model(X)\n"
             "            if loss_fn is not None:\n"
             "                total += loss_fn(pred, y).item() * len(X)\n"
             "            correct += (pred.argmax(1) == y).sum().item()\n"
             "    return {\"accuracy\": correct / size, \"loss\": total / size if loss_fn is not None else None}"),
    ("code", "def fit(model, train_loader, val_loader, epochs, lr=1e-3, device=\"cpu\"):\n"
             "    model.to(device)\n"
             "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
             "    loss_fn = nn.CrossEntropyLoss()\n"
             "    history = {\"train_loss\": [], \"train_accuracy\": [], \"val_accuracy\": []}\n"
             "    for epoch in range(epochs):\n"
             "        result = train_one_epoch(model, train_loader, loss_fn, optimizer, device)\n"
             "        history[\"train_loss\"].extend(result[\"losses\"])\n"
             "        history[\"train_accuracy\"].append(result[\"accuracy\"])\n"
             "        history[\"val_accuracy\"].append(evaluate(model, val_loader, device)[\"accuracy\"])\n"
             "        print(f\"epoch {epoch + 1}: val accuracy {history['val_accuracy'][-1]:.4f}\")\n"
             "    return history\n"
             "\n"
             "\n"
             "def predict(model, image):\n"
             "    model.eval()\n"
             "    with torch.no_grad():\n"
             "        logits = model(image.reshape(1, -1).to(next(model.parameters()).device))\n"
             "    index = logits.argmax(1).item()\n"
             "    return index, CLASSES[index]"),
    ("code", "train_dataloader = DataLoader(training_data, batch_size=100, shuffle=True)\n"
             "test_dataloader = DataLoader(test_data, batch_size=100)\n"
             "history = fit(model, train_dataloader, test_dataloader, epochs=10, device=device)",
     "".join(f"epoch {e}: val accuracy {a}\n" for e, a in
             enumerate(("0.8271", "0.8463", "0.8530", "0.8611", "0.8662", "0.8702", "0.8689", "0.8748", "0.8771",
                        "0.8790"), 1))),
    ("code", "fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))\n"
             "ax1.plot(history[\"train_loss\"])\nax1.set_xlabel(\"iteration\")\n"
             "ax2.plot(history[\"val_accuracy\"])\nax2.set_xlabel(\"epoch\")\nplt.show()"),
    ("code", "image, label = test_data[0]\nprint(predict(model, image), CLASSES[label])",
     "(9, 'Ankle boot') Ankle boot\n"),
]

A4_CELLS = [
    ("markdown", "# HW4 - Vanishing gradients\n\nSigmoid vs ReLU, and what the initialization changes. Runs on Colab (GPU not needed)."),
    ("code", "!pip install -q tqdm"),
    ("code", "%matplotlib inline\nimport matplotlib.pyplot as plt\nimport torch\nfrom torch import nn\n"
             "from torch.utils.data import DataLoader, Subset\nfrom torchvision import datasets, transforms"),
    ("code", "ACTIVATIONS = {\n"
             "    \"sigmoid\": nn.Sigmoid,\n"
             "    \"tanh\": nn.Tanh,\n"
             "    \"relu\": nn.ReLU,\n"
             "    \"leaky_relu\": nn.LeakyReLU,\n"
             "    \"elu\": nn.ELU,\n"
             "    \"hardsigmoid\": nn.Hardsigmoid,\n"
             "}\n"
             "INITS = (\"zeros\", \"normal\", \"xavier_normal\", \"xavier_uniform\", \"kaiming_normal\", \"kaiming_uniform\")"),
    ("markdown", "## 1. The sigmoid and its derivative\n\nOnly ever exponentiate $-|x|$."),
    ("code", "def sigmoid(x):\n"
             "    z = torch.exp(-torch.abs(x))\n"
             "    return torch.where(x >= 0, 1 / (1 + z), z / (1 + z))\n"
             "\n"
             "\n"
             "def sigmoid_prime(x):\n"
             "    s = sigmoid(x)\n"
             "    return s * (1 - s)\n"
             "\n"
             "\n"
             "def tanh_prime(x):\n"
             "    return 1 - torch.tanh(x) ** 2"),
    ("code", "x = torch.tensor([-1e4, -100.0, 0.0, 100.0, 1e4])\nsigmoid(x), sigmoid_prime(x).max()", None,
     "(tensor([0.0000, 0.0000, 0.5000, 1.0000, 1.0000]), tensor(0.2500))"),
    ("code", "xs = torch.linspace(-6, 6, 200)\n"
             "plt.plot(xs, sigmoid_prime(xs), label=\"sigmoid'\")\nplt.plot(xs, tanh_prime(xs), label=\"tanh'\")\n"
             "plt.legend()\nplt.show()"),
    ("markdown", "## 2. Deep MLPs"),
    ("code", "def _initialize(weight, init):\n"
             "    if init == \"zeros\":\n"
             "        nn.init.zeros_(weight)\n"
             "    elif init == \"normal\":\n"
             "        nn.init.normal_(weight, mean=0.0, std=1.0)\n"
             "    elif init == \"xavier_normal\":\n"
             "        nn.init.xavier_normal_(weight)\n"
             "    elif init == \"xavier_uniform\":\n"
             "        nn.init.xavier_uniform_(weight)\n"
             "    elif init == \"kaiming_normal\":\n"
             "        nn.init.kaiming_normal_(weight, nonlinearity=\"relu\")\n"
             "    elif init == \"kaiming_uniform\":\n"
             "        nn.init.kaiming_uniform_(weight, nonlinearity=\"relu\")\n"
             "\n"
             "\n"
             "def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):\n"
             "    if activation not in ACTIVATIONS:\n"
             "        raise ValueError(f\"unknown activation {activation}\")\n"
             "    if init not in INITS:\n"
             "        raise ValueError(f\"unknown init {init}\")\n"
             "    layers, n_in = [], in_features\n"
             "    for _ in range(depth):\n"
             "        layers += [nn.Linear(n_in, width), ACTIVATIONS[activation]()]\n"
             "        n_in = width\n"
             "    layers.append(nn.Linear(n_in, out_features))\n"
             "    model = nn.Sequential(*layers)\n"
             "    for m in model:\n"
             "        if isinstance(m, nn.Linear):\n"
             "            _initialize(m.weight, init)\n"
             "            nn.init.zeros_(m.bias)\n"
             "    return model"),
    ("code", "deep_mlp(2, 64, \"relu\", \"kaiming_normal\")", None,
     "Sequential(\n  (0): Linear(in_features=784, out_features=64, bias=True)\n  (1): ReLU()\n"
     "  (2): Linear(in_features=64, out_features=64, bias=True)\n  (3): ReLU()\n"
     "  (4): Linear(in_features=64, out_features=10, bias=True)\n)"),
    ("markdown", "## 3. Looking inside: gradient norms and activation statistics"),
    ("code", "def layer_gradient_norms(model, x, y, loss_fn):\n"
             "    model.zero_grad()\n"
             "    loss = loss_fn(model(x), y)\n"
             "    loss.backward()\n"
             "    return [m.weight.grad.norm().item() for m in model.modules() if isinstance(m, nn.Linear)]\n"
             "\n"
             "\n"
             "def saturated(module, output):\n"
             "    if isinstance(module, (nn.Sigmoid, nn.Hardsigmoid)):\n"
             "        return (output - 0.5).abs() > 0.49\n"
             "    if isinstance(module, nn.Tanh):\n"
             "        return output.abs() > 0.98\n"
             "    return output <= 0\n"
             "\n"
             "\n"
             "def activation_stats(model, x):\n"
             "    activations = {}\n"
             "    handles = []\n"
             "    for name, module in model.named_modules():\n"
             "        if isinstance(module, tuple(ACTIVATIONS.values())):\n"
             "            def hook(m, inputs, output, name=name):\n"
             "                activations[name] = (m, output.detach())\n"
             "            handles.append(module.register_forward_hook(hook))\n"
             "    with torch.no_grad():\n"
             "        model(x)\n"
             "    for h in handles:\n"
             "        h.remove()\n"
             "    return [{\"mean\": out.mean().item(), \"std\": out.std().item(),\n"
             "             \"saturated\": saturated(m, out).float().mean().item()} for m, out in activations.values()]"),
    ("code", "torch.manual_seed(0)\nx, y = torch.randn(256, 784), torch.randint(0, 10, (256,))\n"
             "for act, init in [(\"sigmoid\", \"xavier_normal\"), (\"relu\", \"kaiming_normal\")]:\n"
             "    norms = layer_gradient_norms(deep_mlp(10, 128, act, init), x, y, nn.CrossEntropyLoss())\n"
             "    print(act, init, f\"first/last = {norms[0] / norms[-1]:.2e}\")",
     "sigmoid xavier_normal first/last = 1.43e-06\nrelu kaiming_normal first/last = 2.07e+00\n"),
    ("code", "for s in activation_stats(deep_mlp(5, 128, \"tanh\", \"normal\"), x):\n    print(s)",
     "{'mean': -0.0031, 'std': 0.9562, 'saturated': 0.8874}\n{'mean': 0.0047, 'std': 0.9751, 'saturated': 0.9208}\n"
     "{'mean': -0.0012, 'std': 0.9748, 'saturated': 0.9199}\n{'mean': 0.0020, 'std': 0.9750, 'saturated': 0.9211}\n"
     "{'mean': 0.0009, 'std': 0.9753, 'saturated': 0.9223}\n"),
    ("markdown", "## 4. Comparing initializers on Fashion-MNIST"),
    ("code", "def compare_initializers(schemes, activation, epochs, seed, loaders):\n"
             "    train_loader, val_loader = loaders\n"
             "    results = {}\n"
             "    for scheme in schemes:\n"
             "        torch.manual_seed(seed)\n"
             "        model = deep_mlp(1, 200, activation, scheme)\n"
             "        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)\n"
             "        loss_fn = nn.CrossEntropyLoss()\n"
             "        losses = []\n"
             "        for epoch in range(epochs):\n"
             "            for X, y in train_loader:\n"
             "                loss = loss_fn(model(X.view(X.shape[0], -1)), y)\n"
             "                optimizer.zero_grad()\n"
             "                loss.backward()\n"
             "                optimizer.step()\n"
             "                losses.append(loss.item())\n"
             "        correct, total = 0, 0\n"
             "        with torch.no_grad():\n"
             "            for X, y in val_loader:\n"
             "                correct += (model(X.view(X.shape[0], -1)).argmax(1) == y).sum().item()\n"
             "                total += y.shape[0]\n"
             "        results[scheme] = {\"losses\": losses, \"val_accuracy\": correct / total,\n"
             "                           \"junction\": model[2].weight.detach().clone(), \"model\": model}\n"
             "    return results"),
    ("code", "data = datasets.FashionMNIST(\"data\", train=True, download=True, transform=transforms.ToTensor())\n"
             "train_loader = DataLoader(Subset(data, range(3000)), batch_size=64, shuffle=True)\n"
             "val_loader = DataLoader(Subset(data, range(3000, 4000)), batch_size=500)"),
    ("code", "%%time\nresults = compare_initializers([\"zeros\", \"normal\", \"xavier_normal\", \"kaiming_normal\"], \"sigmoid\",\n"
             "                               2, 0, (train_loader, val_loader))\n"
             "for scheme, r in results.items():\n"
             "    print(scheme, r[\"val_accuracy\"])",
     "zeros 0.101\nnormal 0.532\nxavier_normal 0.668\nkaiming_normal 0.671\n"
     "CPU times: user 9.84 s, sys: 118 ms, total: 9.96 s\nWall time: 10.1 s\n"),
    ("code", "def plot_comparison(results):\n"
             "    fig, axes = plt.subplots(1, 1 + len(results), figsize=(4 * (1 + len(results)), 3.5))\n"
             "    for scheme, r in results.items():\n"
             "        axes[0].plot(r[\"losses\"], label=scheme)\n"
             "    axes[0].set_xlabel(\"iteration\")\n"
             "    axes[0].set_ylabel(\"loss\")\n"
             "    axes[0].legend()\n"
             "    for ax, (scheme, r) in zip(axes[1:], results.items()):\n"
             "        ax.hist(r[\"junction\"].flatten().numpy(), bins=40)\n"
             "        ax.set_title(scheme)\n"
             "    fig.tight_layout()\n"
             "    return fig"),
    ("code", "fig = plot_comparison(results)\nfig.savefig(\"comparison.png\", dpi=120)\nplt.show()"),
]

A5_CELLS = [
    ("markdown", "# HW5 - Universal approximation\n\nPart 1: Nielsen's visual proof, built by hand. "
                 "Part 2: a deep ReLU network learns the same function."),
    ("code", "%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\nimport torch\nimport torch.nn as nn"),
    ("markdown", "## Steps and bumps\n\n$\\sigma(w(x - s))$ is a step at $s$; two steps make a bump."),
    ("code", "def step(x, s, w):\n"
             "    return torch.sigmoid(w * (x - s))\n"
             "\n"
             "\n"
             "def bump(x, left, right, height, w):\n"
             "    return height * (step(x, left, w) - step(x, right, w))\n"
             "\n"
             "\n"
             "def neilson_example(x):\n"
             "    return 0.2 + 0.4 * x**2 + 0.3 * x * torch.sin(15 * x) + 0.05 * torch.cos(50 * x)"),
    ("code", "x = np.linspace(-0.2, 1.2, 500)\nxt = torch.from_numpy(x)\n"
             "fig, ax = plt.subplots(1, 2, figsize=(10, 3))\n"
             "for w in (10, 50, 500):\n"
             "    ax[0].plot(x, step(xt, 0.4, w).numpy(), label=f\"w={w}\")\n"
             "    ax[1].plot(x, bump(xt, 0.3, 0.7, 0.6, w).numpy(), label=f\"w={w}\")\n"
             "ax[0].legend(); ax[1].legend()\nplt.show()"),
    ("markdown", "## n bumps approximate f\n\nBin $i$ is $[i/n, (i+1)/n]$; its bump has height $f((i + 1/2)/n)$. "
                 "The outer steps go one bin further out so the ends are not only half way up."),
    ("code", "def bump_network(f, n, w):\n"
             "    edges = np.linspace(0.0, 1.0, n + 1)\n"
             "    centres = 0.5 * (edges[:-1] + edges[1:])\n"
             "    ups, downs = edges[:-1].copy(), edges[1:].copy()\n"
             "    ups[0], downs[-1] = -1.0 / n, 1.0 + 1.0 / n\n"
             "    heights = f(torch.tensor(centres, dtype=torch.float32)).numpy()\n"
             "\n"
             "    W1 = np.full((2 * n, 1), w, dtype=np.float32)\n"
             "    b1 = (-w * np.concatenate([ups, downs])).astype(np.float32)\n"
             "    W2 = np.concatenate([heights, -heights]).reshape(1, 2 * n).astype(np.float32)\n"
             "\n"
             "    net = nn.Sequential(nn.Linear(1, 2 * n), nn.Sigmoid(), nn.Linear(2 * n, 1))\n"
             "    with torch.no_grad():\n"
             "        net[0].weight.copy_(torch.from_numpy(W1))\n"
             "        net[0].bias.copy_(torch.from_numpy(b1))\n"
             "        net[2].weight.copy_(torch.from_numpy(W2))\n"
             "        net[2].bias.zero_()\n"
             "    return net"),
    ("code", "xs = torch.linspace(0, 1, 2001).reshape(-1, 1)\n"
             "for n in (10, 50, 200):\n"
             "    with torch.no_grad():\n"
             "        err = (bump_network(neilson_example, n, 100 * n)(xs) - neilson_example(xs)).abs().max()\n"
             "    print(n, float(err))",
     "10 0.23416\n50 0.06172\n200 0.01553\n"),
    ("markdown", "## Learning it instead"),
    ("code", "def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):\n"
             "    torch.manual_seed(seed)\n"
             "    layers = []\n"
             "    for n_in, n_out in zip((1,) + tuple(hidden), hidden):\n"
             "        layers += [nn.Linear(n_in, n_out), nn.ReLU()]\n"
             "    model = nn.Sequential(*layers, nn.Linear(hidden[-1], 1))\n"
             "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
             "    loss_fn = nn.MSELoss()\n"
             "    losses = []\n"
             "    for step_i in range(steps):\n"
             "        x = torch.rand(batch_size, 1)\n"
             "        y = f(x)\n"
             "        optimizer.zero_grad()\n"
             "        loss = loss_fn(model(x), y)\n"
             "        loss.backward()\n"
             "        optimizer.step()\n"
             "        losses.append(loss.item())\n"
             "    return model, losses"),
    ("code", "%%time\nmodel, losses = train_approximator(neilson_example)\nprint(np.mean(losses[-100:]))",
     "0.000612\nCPU times: user 6.12 s, sys: 35 ms, total: 6.16 s\nWall time: 6.2 s\n"),
    ("code", "fig, (a, b) = plt.subplots(1, 2, figsize=(11, 3.5))\n"
             "a.semilogy(losses)\na.set_xlabel(\"step\")\na.set_ylabel(\"MSE\")\n"
             "with torch.no_grad():\n"
             "    b.plot(xs, neilson_example(xs), \"k\", lw=2, label=\"f\")\n"
             "    b.plot(xs, bump_network(neilson_example, 50, 5000)(xs), label=\"50 bumps\")\n"
             "    b.plot(xs, model(xs), \"--\", label=\"trained\")\n"
             "b.legend()\nplt.show()"),
]

NOTEBOOKS = {
    "a1_init/realistic/a1_notebook/submission/initializers.ipynb": (A1_CELLS, {}),
    "a2_split/realistic/a2_notebook/submission/split.ipynb": (A2_CELLS, {}),
    "a3_train/realistic/a3_notebook_trains_at_top_level/submission/fashion.ipynb": (
        A3_CELLS, {"colab": {"provenance": [], "gpuType": "T4"}, "accelerator": "GPU"}),
    "a4_vanishing/realistic/a4_colab_notebook/submission/vanishing.ipynb": (A4_CELLS, {"colab": {"provenance": []}}),
    "a5_approx/realistic/a5_nielsen_numpy_notebook/submission/approx.ipynb": (A5_CELLS, {}),
}


def _lines(text: str) -> list[str]:
    """Jupyter stores a cell's source as a list of lines, each but the last ending in a newline."""
    return text.splitlines(keepends=True)


def _cell(index: int, spec: tuple) -> dict:
    kind, source, *rest = spec
    cell: dict = {"cell_type": kind, "id": f"cell-{index:02d}", "metadata": {}, "source": _lines(source)}
    if kind == "code":
        stream, result = (rest + [None, None])[:2]
        outputs = []
        if stream:
            outputs.append({"name": "stdout", "output_type": "stream", "text": _lines(stream)})
        if result:
            outputs.append({"data": {"text/plain": _lines(result)}, "execution_count": index,
                            "metadata": {}, "output_type": "execute_result"})
        cell.update(execution_count=index, outputs=outputs)
    return cell


def notebook(cells: list[tuple], extra_metadata: dict) -> dict:
    metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                "language_info": {"name": "python", "version": "3.11.7", "mimetype": "text/x-python",
                                  "file_extension": ".py"}}
    metadata.update(extra_metadata)
    return {"cells": [_cell(i, c) for i, c in enumerate(cells, 1)], "metadata": metadata,
            "nbformat": 4, "nbformat_minor": 5}


def main() -> None:
    for relative, (cells, extra) in NOTEBOOKS.items():
        path = CORPUS / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(notebook(cells, extra), indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {path.relative_to(CORPUS)}")


if __name__ == "__main__":
    main()
