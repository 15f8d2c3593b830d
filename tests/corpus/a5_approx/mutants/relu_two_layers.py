"""train_approximator builds a ReLU network with 2 hidden layers, whatever `hidden` says."""
MUST_FAIL = ["3.1", "4.2"]
REPLACE = [("    for n_in, n_out in zip(sizes[:-1], sizes[1:]):", "    for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):"),
           ("    model = nn.Sequential(*layers, nn.Linear(sizes[-1], 1))", "    model = nn.Sequential(*layers, nn.Linear(sizes[-2], 1))")]
