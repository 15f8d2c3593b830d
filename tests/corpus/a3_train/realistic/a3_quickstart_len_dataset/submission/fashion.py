"""Assignment 3, adapted from the PyTorch "Quickstart" tutorial (train / test loops)."""
import torch
from torch import nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.hidden = nn.Linear(28 * 28, 128)
        self.relu = nn.ReLU()
        self.output = nn.Linear(128, 10)

    def forward(self, x):
        x = self.flatten(x)
        return self.output(self.relu(self.hidden(x)))


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    size = len(loader.dataset)
    num_batches = len(loader)
    model.train()
    total_loss, correct, losses = 0.0, 0, []
    for batch, (X, y) in enumerate(loader):
        X, y = X.to(device), y.to(device)

        # Compute prediction error
        pred = model(X)
        loss = loss_fn(pred, y)

        # Backpropagation
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()

        losses.append(loss.item())
        total_loss += loss.item() * len(X)
        correct += (pred.argmax(1) == y).type(torch.float).sum().item()
        if batch % 100 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]  (batch {batch + 1}/{num_batches})")
    return {"loss": total_loss / size, "accuracy": correct / size, "losses": losses}


def evaluate(model, loader, device="cpu", loss_fn=None):
    size = len(loader.dataset)
    model.eval()
    test_loss, correct = 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            if loss_fn is not None:
                test_loss += loss_fn(pred, y).item() * len(X)
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    correct /= size
    return {"accuracy": correct, "loss": test_loss / size if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for t in range(epochs):
        print(f"Epoch {t + 1}\n-------------------------------")
        result = train_one_epoch(model, train_loader, loss_fn, optimizer, device)
        history["train_loss"] += result["losses"]
        history["train_accuracy"].append(result["accuracy"])
        val = evaluate(model, val_loader, device)
        print(f"Validation Error: \n Accuracy: {(100 * val['accuracy']):>0.1f}% \n")
        history["val_accuracy"].append(val["accuracy"])
    print("Done!")
    return history


def predict(model, image):
    model.eval()
    with torch.no_grad():
        pred = model(image.reshape(1, -1))
    index = pred[0].argmax(0).item()
    return index, CLASSES[index]


if __name__ == "__main__":
    from torch.utils.data import DataLoader
    from torchvision import datasets
    from torchvision.transforms import ToTensor

    training_data = datasets.FashionMNIST(root="data", train=True, download=True, transform=ToTensor())
    test_data = datasets.FashionMNIST(root="data", train=False, download=True, transform=ToTensor())
    train_dataloader = DataLoader(training_data, batch_size=64, shuffle=True)
    test_dataloader = DataLoader(test_data, batch_size=64)
    model = Net()
    fit(model, train_dataloader, test_dataloader, epochs=5)
    torch.save(model.state_dict(), "model.pth")
