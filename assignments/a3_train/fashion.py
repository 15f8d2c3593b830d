"""Assignment a3_train: a first network on Fashion-MNIST, its training loop and its evaluation.

The network is the lecture's: Linear(784, 128) -> ReLU -> Linear(128, 10), 101,770 parameters.
Every function takes a ``device`` ("cpu" or "cuda") and must move each batch there.
"""

import torch
from torch import nn

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


class Net(nn.Module):
    """Linear(784, 128) -> ReLU -> Linear(128, 10); returns logits (no softmax).

    ``forward`` accepts images of shape (N, 1, 28, 28) or already flattened (N, 784).
    """

    def __init__(self):
        super().__init__()
        # TODO: create the two Linear layers (suggested names: hidden, output)
        raise NotImplementedError('create the two Linear layers (suggested names: hidden, output)')

    def forward(self, x):
        # TODO: flatten to (N, 784), then hidden -> ReLU -> output
        raise NotImplementedError('flatten to (N, 784), then hidden -> ReLU -> output')


def train_one_epoch(model, loader, loss_fn, optimizer, device="cpu"):
    """One pass over ``loader``: for every batch, zero_grad -> forward -> loss -> backward -> step.

    Put the model in training mode first. Returns
    ``{"loss": mean loss per sample, "accuracy": fraction of samples classified correctly,
    "losses": [the loss of every iteration, as floats]}``; accuracy is measured on the logits of
    each batch's forward pass (before that batch's update).
    """
    # TODO: the training loop of the lecture
    raise NotImplementedError('the training loop of the lecture')


def evaluate(model, loader, device="cpu", loss_fn=None):
    """Accuracy (and mean loss when ``loss_fn`` is given) of ``model`` over ``loader``.

    Use ``model.eval()`` and ``torch.no_grad()``; count correct predictions over all samples
    (a short last batch must weigh as much per sample as the others). Must not change the model.
    Returns ``{"accuracy": float, "loss": float or None}``.
    """
    # TODO: evaluate in eval mode without building a graph
    raise NotImplementedError('evaluate in eval mode without building a graph')


def fit(model, train_loader, val_loader, epochs, lr=1e-3, device="cpu"):
    """Train with Adam(lr) and cross-entropy for ``epochs`` epochs, validating after each.

    Returns the lecture's monitoring lists:
    ``{"train_loss": [loss of every iteration], "train_accuracy": [one per epoch],
    "val_accuracy": [one per epoch]}``.
    """
    # TODO: move the model, make the optimizer and loss, loop over epochs
    raise NotImplementedError('move the model, make the optimizer and loss, loop over epochs')


def predict(model, image):
    """Classify one 28x28 image: returns ``(class index, class name from CLASSES)``."""
    # TODO: manual inference on a batch of one
    raise NotImplementedError('manual inference on a batch of one')
