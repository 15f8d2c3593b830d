"""Fashion-MNIST: found, verified by MD5, corrupt files named, the in-memory batch iterator."""

from __future__ import annotations

import gzip
import shutil

import pytest
import torch

from autograder import data


@pytest.fixture
def official_copy(tmp_path, monkeypatch):
    """The official files, copied to a private folder that the search finds first."""
    source = data.locate()
    folder = tmp_path / "fmnist"
    folder.mkdir()
    for path in source.values():
        shutil.copy(path, folder / path.name)
    monkeypatch.setenv("FASHION_MNIST_DIR", str(folder))
    monkeypatch.setenv("AUTOGRADER_CACHE", str(tmp_path / "cache"))
    return folder


def test_loads_the_official_dataset(official_copy):
    dataset = data.load()
    assert dataset.train_images.shape == (60000, 28, 28) and dataset.train_images.dtype == torch.uint8
    assert dataset.test_labels.shape == (10000,) and set(dataset.test_labels.tolist()) == set(range(10))
    assert (official_copy.parent / "cache" / "fashion-mnist.pt").is_file()
    again = data.load()  # from the cache
    assert torch.equal(again.test_images, dataset.test_images)


def test_truncated_file_is_detected_and_named(official_copy):
    victim = next(official_copy.glob("t10k-images*"))
    raw = gzip.decompress(victim.read_bytes()) if victim.suffix == ".gz" else victim.read_bytes()
    victim.unlink()
    (official_copy / "t10k-images-idx3-ubyte").write_bytes(raw[: len(raw) // 2])
    with pytest.raises(data.DataError, match="t10k-images-idx3-ubyte"):
        data.load()


def test_corrupt_gzip_is_detected_and_named(official_copy):
    victim = next(official_copy.glob("train-labels*"))
    victim.unlink()
    (official_copy / "train-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b\x08garbage")
    with pytest.raises(data.DataError, match="train-labels-idx1-ubyte.gz"):
        data.load()


def test_missing_dataset_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(data, "DEBIAN_DIR", tmp_path / "nowhere")
    with pytest.raises(data.DataError, match="apt-get install dataset-fashion-mnist"):
        data.locate()


def test_fashion_loader_is_a_real_dataloader_that_reshuffles_every_pass():
    images = torch.arange(250, dtype=torch.uint8).repeat_interleave(784).reshape(250, 28, 28)
    labels = torch.arange(250)
    loader = data.fashion_loader(images, labels, batch_size=100, seed=3)
    assert isinstance(loader, torch.utils.data.DataLoader)
    assert len(loader) == 3 and len(loader.dataset) == 250 and loader.batch_size == 100  # tutorial idioms
    first = [y for _, y in loader]
    second = torch.cat([y for _, y in loader])
    assert [len(y) for y in first] == [100, 100, 50]
    assert sorted(torch.cat(first).tolist()) == list(range(250)) == sorted(second.tolist())
    assert not torch.equal(torch.cat(first), second)
    x, y = next(iter(data.fashion_loader(images, labels, batch_size=4, shuffle=False)))
    assert x.shape == (4, 1, 28, 28) and x.dtype == torch.float32 and float(x.max()) <= 1.0
    assert torch.equal(x[:, 0, 0, 0] * 255, y.float())
    image, label = loader.dataset[7]
    assert image.shape == (1, 28, 28) and int(label) == 7
    replay = data.fashion_loader(images, labels, batch_size=100, seed=3)
    assert torch.equal(torch.cat([y for _, y in replay]), torch.cat(first))


def test_a_fork_server_holds_the_training_set_only():
    """Test labels never enter a child: the fork server preloads the training part alone."""
    images, labels = data.load_training()
    assert images.shape == (60000, 28, 28) and labels.shape == (60000,)
    data.preload()
    assert data.PRELOADED_TRAINING[0].shape[0] == 60000
    assert not hasattr(data, "PRELOADED")
