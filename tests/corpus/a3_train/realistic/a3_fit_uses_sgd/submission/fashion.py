# fit() uses SGD with momentum like the "Training a classifier" tutorial (optim.SGD(lr, momentum=0.9))
import torch
import torch.nn as nn
import torch.optim as optim

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.output(torch.relu(self.hidden(x)))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    losses, total, correct, count = [], 0.0, 0, 0
    for inputs, labels in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        total += loss.item() * labels.size(0)
        correct += (outputs.argmax(1) == labels).sum().item()
        count += labels.size(0)
    return {"loss": total / count, "accuracy": correct / count, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    total, correct, count = 0.0, 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            inputs, labels = inputs.to(device), labels.to(device)
            outputs = model(inputs)
            if loss_fn is not None:
                total += loss_fn(outputs, labels).item() * labels.size(0)
            correct += (outputs.argmax(1) == labels).sum().item()
            count += labels.size(0)
    return {"accuracy": correct / count, "loss": total / count if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for epoch in range(epochs):
        result = train_one_epoch(model, train_loader, criterion, optimizer, device)
        history["train_loss"].extend(result["losses"])
        history["train_accuracy"].append(result["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        index = model(image.reshape(1, -1)).argmax(1).item()
    return index, CLASSES[index]
