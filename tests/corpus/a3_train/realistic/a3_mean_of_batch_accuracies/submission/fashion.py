"""Accuracy per batch like the running accuracy printed in many Keras-style logs."""
import statistics

import torch
from torch import nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(x.view(x.size(0), -1))))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    losses, loss_total, right, seen = [], 0.0, 0, 0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        logits = model(images)
        loss = loss_fn(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        loss_total += loss.item() * labels.size(0)
        right += (logits.argmax(1) == labels).sum().item()
        seen += labels.size(0)
    return {"loss": loss_total / seen, "accuracy": right / seen, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    batch_accuracies, loss_total, seen = [], 0.0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            if loss_fn is not None:
                loss_total += loss_fn(logits, labels).item() * labels.size(0)
            seen += labels.size(0)
            batch_accuracies.append((logits.argmax(1) == labels).float().mean().item())
    return {"accuracy": statistics.mean(batch_accuracies),
            "loss": loss_total / seen if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        r = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"].extend(r["losses"])
        history["train_accuracy"].append(r["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        i = model(image.reshape(1, -1)).argmax(1).item()
    return i, CLASSES[i]
