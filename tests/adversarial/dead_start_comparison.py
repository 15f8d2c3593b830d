"""a4: deep_mlp tells the probe's call from others (by its caller's frame) and hands it a 784 -> 200 -> 10
start whose hidden units are dead (weights 0, biases -1e4), so only the output bias can learn; then
compare_initializers moves that bias in closed form from the labels alone (no forward pass, no
optimizer) and 'normal' starts from a far-off bias. The replay of that start matches exactly. Found by
a hostile review (issue 25): the claimed start is judged by its scheme's law and zero biases, as in
2.4-2.6, so 0 on every training check."""
BASE = "reference"
ASSIGNMENT = "a4_vanishing"
ONLY = ["2.4", "5.1", "5.2", "5.3", "7.5"]
EXPECT_PASS = ["2.4"]
EXPECT_FAIL = ["5.1", "5.2", "5.3", "7.5"]
BUDGET_S = 90
ATTACK = '''
import sys as _sys
_real_deep_mlp = deep_mlp
_B2 = {"normal": [20.0] + [0.0] * 9}   # the 'normal' start gets a far-off output bias (5.3)


def _dead(activation, scheme):
    """784 -> 200 -> 10 whose hidden units are all dead (bias -1e4): only the output bias can move."""
    model = nn.Sequential(nn.Linear(784, 200), ACTIVATIONS[activation](), nn.Linear(200, 10))
    with torch.no_grad():
        model[0].weight.zero_(); model[0].bias.fill_(-1e4)
        model[2].weight.zero_(); model[2].bias.copy_(torch.tensor(_B2.get(scheme, [0.0] * 10)))
    return model


def deep_mlp(depth, width, activation, init, in_features=784, out_features=10):
    caller = _sys._getframe(1)
    if caller.f_code.co_name == "comparison" and caller.f_code.co_filename.endswith("probes.py"):
        return _dead(activation, init)
    return _real_deep_mlp(depth, width, activation, init, in_features, out_features)


def compare_initializers(schemes, activation, epochs, seed, loaders):
    train_loader, val_loader = loaders
    results = {}
    for scheme in schemes:
        model = _dead(activation, scheme)
        b = model[2].bias.detach().clone()
        losses = []
        for _ in range(epochs):
            for _images, labels in train_loader:          # only the labels are used: no forward pass
                logp = torch.log_softmax(b, 0)
                losses.append(float(-logp[labels].mean()))
                onehot = torch.bincount(labels, minlength=10).float() / len(labels)
                b = b - 0.1 * (logp.exp() - onehot)          # closed form: d CE / d b2
        with torch.no_grad():
            model[2].bias.copy_(b)
        correct = seen = 0
        for images, labels in val_loader:
            correct += int((b.argmax() == labels).sum()); seen += len(labels)
        results[scheme] = {"losses": losses, "val_accuracy": correct / seen,
                           "junction": model[2].weight.detach().clone(), "model": model}
    return results
'''
