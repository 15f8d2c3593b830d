"""An a4 compare_initializers that never trains: it builds each model, records the loss of every batch
under the untrained weights and returns the untrained models (untrained N(0, 1) already ends with a
higher loss than Xavier or Kaiming). Issue 25, class "training is never verified": the grader replays
the prescribed training and finds no step of it; every training check scores 0."""
BASE = "reference"
ASSIGNMENT = "a4_vanishing"
ONLY = ["2.4", "5.1", "5.2", "5.3", "7.5"]
EXPECT_PASS = ["2.4"]
EXPECT_FAIL = ["5.1", "5.2", "5.3", "7.5"]
BUDGET_S = 90
ATTACK = '''
def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        torch.manual_seed(seed)
        model = deep_mlp(1, 200, activation, scheme)
        losses = []
        with torch.no_grad():
            for _ in range(epochs):
                for images, labels in train_loader:
                    losses.append(nn.functional.cross_entropy(model(images.reshape(len(images), -1)), labels).item())
            correct = sum((model(i.reshape(len(i), -1)).argmax(1) == l).sum().item() for i, l in val_loader)
        results[scheme] = {"losses": losses, "val_accuracy": correct / len(val_loader.dataset),
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results
'''
