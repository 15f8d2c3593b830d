"""An a5 train_approximator with no training: it draws points and evaluates f as a loop would, reports
falling losses, then sets the lecture's 3 x 64 ReLU network by hand to the piecewise-linear interpolant of
f at 64 knots (MSE about 1e-4, far below the threshold). Issue 25, class "training is never verified":
the grader replays the whole run from the network's starting weights and the returned one is not it."""
BASE = "reference"
ASSIGNMENT = "a5_approx"
ONLY = ["1.1", "3.4"]
EXPECT_PASS = ["1.1"]
EXPECT_FAIL = ["3.4"]
BUDGET_S = 120
ATTACK = '''
def train_approximator(f, hidden=(64, 64, 64), steps=3000, lr=1e-3, seed=0, batch_size=64):
    torch.manual_seed(seed)
    sizes = (1, *hidden)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    model = nn.Sequential(*layers, nn.Linear(sizes[-1], 1))
    losses = []
    for step in range(steps):
        y = f(torch.rand(batch_size, 1))
        losses.append(0.05 / (1 + step))
    if steps == 0:
        return model, losses
    knots = torch.arange(64, dtype=torch.float32) / 64
    values = f(torch.cat([knots, torch.ones(1)]).reshape(-1, 1)).reshape(-1)
    slopes = (values[1:] - values[:-1]) * 64
    change = torch.cat([slopes[:1], slopes[1:] - slopes[:-1]])
    with torch.no_grad():
        model[0].weight.fill_(1.0)
        model[0].bias.copy_(-knots)
        for i in (2, 4):
            model[i].weight.copy_(torch.eye(64))
            model[i].bias.zero_()
        model[6].weight.copy_(change.reshape(1, 64))
        model[6].bias.fill_(float(values[0]))
    return model, losses
'''
