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
        x = x.view(x.shape[0], -1)
        return self.output(torch.relu(self.hidden(x)))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    losses, total, correct, count = [], 0.0, 0, 0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        logits = model(images)
        loss = loss_fn(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
        total += float(loss) * len(labels)
        correct += int((logits.argmax(dim=1) == labels).sum())
        count += len(labels)
    return {"loss": total / count, "accuracy": correct / count, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            logits = model(images)
            if loss_fn is not None:
                total += float(loss_fn(logits, labels)) * len(labels)
            correct += int((logits.argmax(dim=1) == labels).sum())
            count += len(labels)
    return {"accuracy": correct / count, "loss": None if loss_fn is None else total / count}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        out = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"] += out["losses"]
        history["train_accuracy"].append(out["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        index = int(model(image.reshape(1, -1)).argmax(dim=1))
    return index, CLASSES[index]
