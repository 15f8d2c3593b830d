import torch
import torch.nn as nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    """784 -> 128 -> ReLU -> 10, as in the lecture."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.act = nn.ReLU()
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        return self.output(self.act(self.hidden(x.reshape(len(x), 784))))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    losses, loss_sum, hits, n = [], 0.0, 0, 0
    for images, labels in loader:
        images = images.to(device)
        labels = labels.to(device)
        optimizer.zero_grad()
        scores = model(images)
        loss = loss_fn(scores, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        loss_sum += loss.item() * labels.shape[0]
        hits += int((scores.argmax(dim=1) == labels).sum())
        n += labels.shape[0]
    return {"loss": loss_sum / n, "accuracy": hits / n, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    loss_sum, hits, n = 0.0, 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            scores = model(images)
            if loss_fn is not None:
                loss_sum += loss_fn(scores, labels).item() * labels.shape[0]
            hits += int((scores.argmax(dim=1) == labels).sum())
            n += labels.shape[0]
    return {"accuracy": hits / n, "loss": (loss_sum / n) if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for epoch in range(epochs):
        tr = train_one_epoch(model, train_loader, criterion, opt, device)
        va = evaluate(model, val_loader, device)
        history["train_loss"].extend(tr["losses"])
        history["train_accuracy"].append(tr["accuracy"])
        history["val_accuracy"].append(va["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        scores = model(image.reshape(1, -1))
    label = scores.argmax(dim=1).item()
    return label, CLASSES[label]
