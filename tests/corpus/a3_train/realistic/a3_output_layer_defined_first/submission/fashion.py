import torch
from torch import nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self, n_hidden=128, n_classes=10):
        super().__init__()
        # I declare the layers from the output back to the input, like the diagram on the slide
        self.output = nn.Linear(n_hidden, n_classes)
        self.hidden = nn.Linear(28 * 28, n_hidden)

    def forward(self, x):
        h = torch.relu(self.hidden(x.flatten(start_dim=1)))
        return self.output(h)


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    per_iteration, total, right, seen = [], 0.0, 0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        per_iteration.append(loss.item())
        total += loss.item() * y.numel()
        right += (logits.argmax(1) == y).sum().item()
        seen += y.numel()
    return {"loss": total / seen, "accuracy": right / seen, "losses": per_iteration}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    total, right, seen = 0.0, 0, 0
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = model(x)
            if loss_fn is not None:
                total += loss_fn(logits, y).item() * y.numel()
            right += (logits.argmax(1) == y).sum().item()
            seen += y.numel()
    return {"accuracy": right / seen, "loss": total / seen if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in range(epochs):
        result = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"] += result["losses"]
        history["train_accuracy"].append(result["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        index = int(model(image.reshape(1, -1)).argmax())
    return index, CLASSES[index]
