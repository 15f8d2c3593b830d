import torch
from torch import nn
from tqdm import tqdm

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        return self.output(torch.relu(self.hidden(torch.flatten(x, start_dim=1))))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    model.train()
    losses, loss_sum, correct, seen = [], 0.0, 0, 0
    progress = tqdm(loader, desc="train", leave=False)
    for images, labels in progress:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        logits = model(images)
        loss = loss_fn(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        loss_sum += loss.item() * len(labels)
        correct += (logits.argmax(1) == labels).sum().item()
        seen += len(labels)
        progress.set_postfix(loss=f"{loss.item():.4f}", acc=f"{correct / seen:.3f}")
    return {"loss": loss_sum / seen, "accuracy": correct / seen, "losses": losses}


@torch.no_grad()
def evaluate(model, loader, device="cpu", loss_fn=None):
    model.eval()
    loss_sum, correct, seen = 0.0, 0, 0
    for images, labels in tqdm(loader, desc="eval", leave=False):
        images, labels = images.to(device), labels.to(device)
        logits = model(images)
        if loss_fn is not None:
            loss_sum += loss_fn(logits, labels).item() * len(labels)
        correct += (logits.argmax(1) == labels).sum().item()
        seen += len(labels)
    return {"accuracy": correct / seen, "loss": loss_sum / seen if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for _ in tqdm(range(epochs), desc="epochs"):
        epoch = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"].extend(epoch["losses"])
        history["train_accuracy"].append(epoch["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
    return history


@torch.no_grad()
def predict(model, image):
    model.eval()
    index = model(image.reshape(1, -1)).argmax(dim=1).item()
    return index, CLASSES[index]
