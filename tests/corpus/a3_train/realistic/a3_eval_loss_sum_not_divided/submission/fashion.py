import torch
import torch.nn as nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        x = x.reshape(-1, 784)
        return self.output(nn.functional.relu(self.hidden(x)))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    iteration_losses = []
    running, correct, n = 0.0, 0, 0
    for xb, yb in loader:
        xb, yb = xb.to(device), yb.to(device)
        optimizer.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        optimizer.step()
        iteration_losses.append(loss.item())
        running += loss.item() * xb.size(0)
        correct += (out.argmax(1) == yb).sum().item()
        n += xb.size(0)
    return {"loss": running / n, "accuracy": correct / n, "losses": iteration_losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    summed_loss, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            out = model(xb)
            if loss_fn is not None:
                # undo the mean reduction so that a short last batch counts by its size
                summed_loss += loss_fn(out, yb).item() * xb.size(0)
            correct += (out.argmax(1) == yb).sum().item()
            n += xb.size(0)
    return {"accuracy": correct / n, "loss": summed_loss if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        ep = train_one_epoch(model, train_loader, loss_fn, opt, device)
        history["train_loss"].extend(ep["losses"])
        history["train_accuracy"].append(ep["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        k = model(image.reshape(1, -1)).argmax(1).item()
    return k, CLASSES[k]
