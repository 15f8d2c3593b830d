# Quickstart-style loops: the loss of an epoch is the average over batches, as in the tutorial's test()
import torch
from torch import nn

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        x = x.view(x.size(0), -1)
        x = torch.relu(self.hidden(x))
        return self.output(x)


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    size = len(loader.dataset)
    num_batches = len(loader)
    model.train()
    train_loss, correct, losses = 0.0, 0, []
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        optimizer.zero_grad()
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        train_loss += loss.item()
        correct += (pred.argmax(1) == y).sum().item()
    train_loss /= num_batches
    correct /= size
    return {"loss": train_loss, "accuracy": correct, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    size = len(loader.dataset)
    num_batches = len(loader)
    model.eval()
    test_loss, correct = 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            if loss_fn is not None:
                test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).sum().item()
    test_loss /= num_batches
    correct /= size
    return {"accuracy": correct, "loss": test_loss if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model = model.to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        out = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"].extend(out["losses"])
        history["train_accuracy"].append(out["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        logits = model(image.reshape(1, -1))
    k = int(logits.argmax(1))
    return k, CLASSES[k]
