"""Correct, written differently: each epoch draws exactly len(train_loader) batches from one iterator
(the pass never runs to its end), then measures the training accuracy with another pass over
train_loader; one accuracy helper for the training and validation loaders; an extra key per scheme."""
import torch
from torch import nn

BASE = "reference"


def accuracy(model, loader):
    """The fraction of the loader's images the model classifies correctly."""
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (model(images.view(images.shape[0], -1)).argmax(dim=1) == labels).sum().item()
            total += labels.numel()
    model.train()
    return correct / total


def compare_initializers(schemes, activation, epochs, seed, loaders):
    """Each epoch a fixed number of steps drawn from one iterator, then the training accuracy."""
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        criterion = nn.CrossEntropyLoss()
        losses, train_accuracy = [], []
        for epoch in range(epochs):
            batches = iter(train_loader)
            for _ in range(len(train_loader)):
                images, labels = next(batches)
                optimizer.zero_grad()
                loss = criterion(model(images.view(images.shape[0], -1)), labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            train_accuracy.append(accuracy(model, train_loader))
        results[scheme] = {"losses": losses, "val_accuracy": accuracy(model, val_loader),
                           "junction": model[2].weight.detach().clone(), "model": model,
                           "train_accuracy": train_accuracy}
    return results
