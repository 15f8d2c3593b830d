"""Correct, written differently: an nn.Sequential inside Net, nn.Flatten, zero_grad(set_to_none=False)."""
import torch
import torch.nn as nn

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 128), nn.ReLU(), nn.Linear(128, 10))

    def forward(self, x):
        return self.layers(x)


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    losses, weighted, hits, count = [], 0.0, 0, 0
    for x, y in loader:
        x = x.to(device)
        y = y.to(device)
        optimizer.zero_grad(set_to_none=False)
        out = model(x)
        loss = loss_fn(out, y)
        loss.backward()
        optimizer.step()
        value = float(loss)
        losses.append(value)
        weighted += value * y.size(0)
        hits += int((out.max(1).indices == y).sum())
        count += y.size(0)
    return dict(loss=weighted / count, accuracy=hits / count, losses=losses)


@torch.inference_mode()
def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    hits = count = 0
    loss_sum = 0.0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        out = model(x)
        hits += (out.argmax(1) == y).sum().item()
        count += y.numel()
        if loss_fn:
            loss_sum += loss_fn(out, y).item() * y.numel()
    return {"accuracy": hits / count, "loss": (loss_sum / count) if loss_fn else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model = model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr)
    criterion = nn.CrossEntropyLoss()
    train_loss, train_accuracy, val_accuracy = [], [], []
    for _ in range(epochs):
        result = train_one_epoch(model, train_loader, criterion, opt, device)
        train_loss += result["losses"]
        train_accuracy.append(result["accuracy"])
        val_accuracy.append(evaluate(model, val_loader, device)["accuracy"])
    return {"train_loss": train_loss, "train_accuracy": train_accuracy, "val_accuracy": val_accuracy}


def predict(model, image):
    model.eval()
    with torch.no_grad():
        scores = model(image.unsqueeze(0))
    k = scores.argmax().item()
    return k, CLASSES[k]
