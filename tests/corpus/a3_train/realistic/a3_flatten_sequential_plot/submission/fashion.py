import matplotlib.pyplot as plt
import torch
from torch import nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 128),
            nn.ReLU(),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    losses = []
    total_loss = 0.0
    correct = 0
    for X, y in loader:
        X, y = X.to(device), y.to(device)
        optimizer.zero_grad()
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        total_loss += loss.item() * X.shape[0]
        correct += (pred.argmax(1) == y).sum().item()
    size = len(loader.dataset)
    return {"loss": total_loss / size, "accuracy": correct / size, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    total_loss, correct = 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            if loss_fn is not None:
                total_loss += loss_fn(pred, y).item() * X.shape[0]
            correct += (pred.argmax(1) == y).sum().item()
    size = len(loader.dataset)
    return {"accuracy": correct / size, "loss": None if loss_fn is None else total_loss / size}


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
    pred = logits.argmax(1).item()
    return pred, CLASSES[pred]


def plot_history(history):
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(history["train_loss"])
    ax1.set_xlabel("iteration")
    ax1.set_ylabel("training loss")
    ax2.plot(history["train_accuracy"], label="train")
    ax2.plot(history["val_accuracy"], label="validation")
    ax2.set_xlabel("epoch")
    ax2.legend()
    plt.show()


# the activation we use, for the report (slide "ReLU family")
z = torch.linspace(-4, 4, 200)
plt.figure(figsize=(4, 3))
plt.plot(z.numpy(), torch.relu(z).numpy(), label="ReLU")
plt.plot(z.numpy(), torch.sigmoid(z).numpy(), label="sigmoid")
plt.legend()
plt.title("activations")
plt.show()
