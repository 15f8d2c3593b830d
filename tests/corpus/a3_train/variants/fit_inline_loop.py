"""Correct, written differently: fit runs its own loop instead of calling train_one_epoch (the grader
then compares it with the reference's fit rather than judging it with a stand-in for the loop)."""
import torch
from torch import nn

BASE = "reference"


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        model.train()
        hits = total = 0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            out = model(x)
            loss = criterion(out, y)
            loss.backward()
            optimizer.step()
            history["train_loss"].append(loss.item())
            hits += (out.argmax(1) == y).sum().item()
            total += len(y)
        history["train_accuracy"].append(hits / total)
        model.eval()
        with torch.no_grad():
            right = sum((model(x.to(device)).argmax(1) == y.to(device)).sum().item() for x, y in val_loader)
        history["val_accuracy"].append(right / len(val_loader.dataset))
    return history
