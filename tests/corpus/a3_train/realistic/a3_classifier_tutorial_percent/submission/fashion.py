"""Following the "Training a Classifier" tutorial (CIFAR-10), changed to Fashion-MNIST and an MLP."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

classes = ('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
           'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot')


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(28 * 28, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)  # flatten all dimensions except batch
        x = F.relu(self.fc1(x))
        x = self.fc2(x)
        return x


def train_one_epoch(net, trainloader, criterion, optimizer, device="cpu"):
    net.train()
    running_loss = 0.0
    epoch_loss, correct, total, losses = 0.0, 0, 0, []
    for i, data in enumerate(trainloader, 0):
        # get the inputs; data is a list of [inputs, labels]
        inputs, labels = data[0].to(device), data[1].to(device)

        # zero the parameter gradients
        optimizer.zero_grad()

        # forward + backward + optimize
        outputs = net(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()

        # print statistics
        running_loss += loss.item()
        losses.append(loss.item())
        epoch_loss += loss.item() * labels.size(0)
        _, predicted = torch.max(outputs.data, 1)
        total += labels.size(0)
        correct += (predicted == labels).sum().item()
        if i % 2000 == 1999:    # print every 2000 mini-batches
            print(f'[{i + 1:5d}] loss: {running_loss / 2000:.3f}')
            running_loss = 0.0
    return {"loss": epoch_loss / total, "accuracy": 100 * correct / total, "losses": losses}


def evaluate(net, testloader, device="cpu", loss_fn=None):
    net.eval()
    correct = 0
    total = 0
    loss_sum = 0.0
    # since we're not training, we don't need to calculate the gradients for our outputs
    with torch.no_grad():
        for data in testloader:
            images, labels = data[0].to(device), data[1].to(device)
            # calculate outputs by running images through the network
            outputs = net(images)
            if loss_fn is not None:
                loss_sum += loss_fn(outputs, labels).item() * labels.size(0)
            # the class with the highest energy is what we choose as prediction
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    return {"accuracy": 100 * correct / total, "loss": loss_sum / total if loss_fn is not None else None}


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    model.to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=lr)
    history = {"train_loss": [], "train_accuracy": [], "val_accuracy": []}
    for epoch in range(epochs):  # loop over the dataset multiple times
        stats = train_one_epoch(model, train_loader, criterion, optimizer, device)
        history["train_loss"].extend(stats["losses"])
        history["train_accuracy"].append(stats["accuracy"])
        history["val_accuracy"].append(evaluate(model, val_loader, device)["accuracy"])
        print(f'epoch {epoch + 1}: val accuracy {history["val_accuracy"][-1]:.1f} %')
    print('Finished Training')
    return history


def predict(net, image):
    net.eval()
    with torch.no_grad():
        outputs = net(image.reshape(1, -1))
        _, predicted = torch.max(outputs, 1)
    return predicted.item(), classes[predicted.item()]
