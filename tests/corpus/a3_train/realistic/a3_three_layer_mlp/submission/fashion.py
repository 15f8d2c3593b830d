"""Fashion-MNIST MLP: a three-layer network as in many course notebooks (784-256-128-10)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    """Two hidden layers instead of one: more capacity, same idea."""

    def __init__(self):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 128)
        self.fc3 = nn.Linear(128, 10)

    def forward(self, x):
        x = x.view(-1, 784)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    epoch_loss, correct, total, losses = 0.0, 0, 0, []
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        outputs = model(images)
        loss = loss_fn(outputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        epoch_loss += loss.item() * images.size(0)
        _, predicted = torch.max(outputs, 1)
        correct += (predicted == labels).sum().item()
        total += labels.size(0)
    return {"loss": epoch_loss / total, "accuracy": correct / total, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    running, correct, total = 0.0, 0, 0
    with torch.no_grad():
        for images, labels in loader:
            images, labels = images.to(device), labels.to(device)
            outputs = model(images)
            if loss_fn is not None:
                running += loss_fn(outputs, labels).item() * images.size(0)
            _, predicted = torch.max(outputs, 1)
            correct += (predicted == labels).sum().item()
            total += labels.size(0)
    return {"accuracy": correct / total, "loss": running / total if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        result = train_one_epoch(model, train_loader, criterion, optimizer, device)
        history["train_loss"].extend(result["losses"])
        history["train_accuracy"].append(result["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        output = model(image.view(1, -1))
    _, index = torch.max(output, 1)
    return index.item(), CLASSES[index.item()]
