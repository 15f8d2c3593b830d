"""Assignment a3_train: a first network on Fashion-MNIST, its training loop and its evaluation.

The network is the lecture's: Linear(784, 128) -> ReLU -> Linear(128, 10), 101,770 parameters.
Every function takes a ``device`` ("cpu" or "cuda") and must move each batch there.
"""

import torch
from torch import nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    """Linear(784, 128) -> ReLU -> Linear(128, 10); returns logits (no softmax).

    ``forward`` accepts images of shape (N, 1, 28, 28) or already flattened (N, 784).
    """

    def __init__(self):
        super().__init__()
        # BEGIN SOLUTION create the two Linear layers (suggested names: hidden, output)
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)
        # END SOLUTION

    def forward(self, x):
        # BEGIN SOLUTION flatten to (N, 784), then hidden -> ReLU -> output
        x = x.reshape(x.shape[0], -1)
        return self.output(torch.relu(self.hidden(x)))
        # END SOLUTION


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    """One pass over ``loader``: for every batch, zero_grad -> forward -> loss -> backward -> step.

    Put the model in training mode first. Returns
    ``{"loss": mean loss per sample, "accuracy": fraction of samples classified correctly,
    "losses": [the loss of every iteration, as floats]}``; accuracy is measured on the logits of
    each batch's forward pass (before that batch's update).
    """
    # BEGIN SOLUTION the training loop of the lecture
    model.train()
    total_loss, correct, seen, losses = 0.0, 0, 0, []
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        logits = model(images)
        loss = loss_fn(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        total_loss += loss.item() * len(labels)
        correct += (logits.argmax(dim=1) == labels).sum().item()
        seen += len(labels)
    return {"loss": total_loss / seen, "accuracy": correct / seen, "losses": losses}
    # END SOLUTION


def evaluate(model, loader, device="cpu", loss_fn=None):
    """Accuracy (and mean loss when ``loss_fn`` is given) of ``model`` over ``loader``.

    Use ``model.eval()`` and ``torch.no_grad()``; count correct predictions over all samples
    (a short last batch must weigh as much per sample as the others). Must not change the model.
    Returns ``{"accuracy": float, "loss": float or None}``.
    """
    # BEGIN SOLUTION evaluate in eval mode without building a graph
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            if loss_fn is not None:
                total_loss += loss_fn(logits, labels).item() * len(labels)
            correct += (logits.argmax(dim=1) == labels).sum().item()
            seen += len(labels)
    return {"accuracy": correct / seen, "loss": total_loss / seen if loss_fn is not None else None}
    # END SOLUTION


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    """Train with Adam(lr) and cross-entropy for ``epochs`` epochs, validating after each.

    Returns the lecture's monitoring lists:
    ``{"train_loss": [loss of every iteration], "train_accuracy": [one per epoch],
    "val_accuracy": [one per epoch]}``.
    """
    # BEGIN SOLUTION move the model, make the optimizer and loss, loop over epochs
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        epoch = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"].extend(epoch["losses"])
        history["train_accuracy"].append(epoch["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history
    # END SOLUTION


def predict(model, image):
    """Classify one 28x28 image: returns ``(class index, class name from CLASSES)``."""
    # BEGIN SOLUTION manual inference on a batch of one
    model.eval()
    with torch.no_grad():
        logits = model(image.reshape(1, -1))
    index = int(logits.argmax(dim=1))
    return index, CLASSES[index]
    # END SOLUTION
