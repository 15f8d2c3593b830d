"""HW3 -- first network on Fashion-MNIST (saved as Fashion.py by my editor)."""
import torch
import torch.nn.functional as F
from torch import nn
from torchsummary import summary

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        x = x.reshape(x.shape[0], -1)
        return self.output(F.relu(self.hidden(x)))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    history, total, correct, samples = [], 0.0, 0, 0
    for step, (inputs, targets) in enumerate(loader):
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, targets)
        loss.backward()
        optimizer.step()
        history.append(loss.item())
        total += loss.item() * targets.size(0)
        correct += outputs.argmax(dim=1).eq(targets).sum().item()
        samples += targets.size(0)
    return {"loss": total / samples, "accuracy": correct / samples, "losses": history}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    total, correct, samples = 0.0, 0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = model(inputs)
            if loss_fn:
                total += loss_fn(outputs, targets).item() * targets.size(0)
            correct += outputs.argmax(dim=1).eq(targets).sum().item()
            samples += targets.size(0)
    return {"accuracy": correct / samples, "loss": total / samples if loss_fn else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    criterion = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for epoch in range(epochs):
        stats = train_one_epoch(model, train_loader, criterion, optimizer, device)
        history["train_loss"].extend(stats["losses"])
        history["train_accuracy"].append(stats["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    """Manual inference: softmax gives the class probabilities, the largest one wins."""
    model.eval()
    with torch.no_grad():
        probabilities = F.softmax(model(image.reshape(1, -1)), dim=1)
    confidence, index = torch.max(probabilities, dim=1)
    return index.item(), CLASSES[index.item()]


if __name__ == "__main__":
    summary(Net(), (1, 28, 28), device="cpu")   # 101,770 parameters
