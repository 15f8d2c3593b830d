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

NOTEBOOKS = {
    "a1_init/realistic/a1_notebook/submission/initializers.ipynb": (A1_CELLS, {}),
    "a2_split/realistic/a2_notebook/submission/split.ipynb": (A2_CELLS, {}),
    "a3_train/realistic/a3_notebook_trains_at_top_level/submission/fashion.ipynb": (
        A3_CELLS, {"colab": {"provenance": [], "gpuType": "T4"}, "accelerator": "GPU"}),
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
