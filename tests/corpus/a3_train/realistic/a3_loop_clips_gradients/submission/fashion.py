# Training loop with gradient clipping, the way many transformer and RNN tutorials write it; the rest
# follows the handout. fit hands every epoch to train_one_epoch.
import torch
from torch import nn
from torch.nn.utils import clip_grad_norm_

CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
MAX_GRAD_NORM = 1.0


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = x.view(x.size(0), -1)
        x = nn.functional.relu(self.fc1(x))
        return self.fc2(x)


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    running_loss, n_correct, n_seen = 0.0, 0, 0
    batch_losses = []
    for batch_idx, (data, target) in enumerate(loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = loss_fn(output, target)
        loss.backward()
        clip_grad_norm_(model.parameters(), MAX_GRAD_NORM)   # keeps a bad batch from blowing up the step
        optimizer.step()
        batch_losses.append(loss.item())
        running_loss += loss.item() * data.size(0)
        n_correct += output.argmax(dim=1).eq(target).sum().item()
        n_seen += data.size(0)
    return {"loss": running_loss / n_seen, "accuracy": n_correct / n_seen, "losses": batch_losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    total_loss, n_correct, n_seen = 0.0, 0, 0
    with torch.no_grad():
        for data, target in loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            if loss_fn is not None:
                total_loss += loss_fn(output, target).item() * data.size(0)
            n_correct += output.argmax(dim=1).eq(target).sum().item()
            n_seen += data.size(0)
    return {"accuracy": n_correct / n_seen, "loss": total_loss / n_seen if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model = model.to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for epoch in range(epochs):
        stats = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"] += stats["losses"]
        history["train_accuracy"].append(stats["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        scores = model(image.view(1, -1))
    label = scores.argmax(dim=1).item()
    return label, CLASSES[label]
