"""SageMaker training script (PyTorch script mode): a small MLP for loan default.

Hyperparameters arrive as command-line arguments (num_layers, hidden_units, learning_rate,
epochs, batch_size). Data comes from the `train` and `validation` channels (CSV, label first,
no header, as preprocess.py writes). Checkpoints go to /opt/ml/checkpoints, which SageMaker
syncs to S3 for managed Spot training, and training resumes from the newest one after an
interruption. The metric line `validation:auc=<value>` matches the job's metric definition.

The model directory gets model.pt (the state dict and the architecture's sizes) and code/
(this file and inference.py): the PyTorch serving container loads the model through
code/inference.py's model_fn (SAGEMAKER_PROGRAM=inference.py), since its default loader only
reads TorchScript files named model.pth.
"""
import argparse
import glob
import os
import shutil

import numpy as np
import torch
from torch import nn

CHECKPOINTS = "/opt/ml/checkpoints"


def load(channel: str):
    files = sorted(glob.glob(os.path.join(os.environ.get(f"SM_CHANNEL_{channel.upper()}", f"/opt/ml/input/data/{channel}"), "*.csv")))
    data = np.concatenate([np.loadtxt(f, delimiter=",", dtype=np.float32, ndmin=2) for f in files])
    return torch.from_numpy(data[:, 1:]), torch.from_numpy(data[:, :1])


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    positives = labels.sum()
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


class Standardized(nn.Module):
    """The MLP behind a standardization of its inputs (train-split mean and std, saved as buffers)."""

    def __init__(self, features: int, layers: int, hidden: int):
        super().__init__()
        self.register_buffer("mean", torch.zeros(features))
        self.register_buffer("std", torch.ones(features))
        blocks, width = [], features
        for _ in range(layers):
            blocks += [nn.Linear(width, hidden), nn.ReLU()]
            width = hidden
        self.mlp = nn.Sequential(*blocks, nn.Linear(width, 1))

    def forward(self, x):
        return self.mlp((x - self.mean) / self.std)


def build(features: int, layers: int, hidden: int) -> nn.Module:
    return Standardized(features, layers, hidden)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--num_layers", type=int, default=3)
    parser.add_argument("--hidden_units", type=int, default=64)
    parser.add_argument("--learning_rate", type=float, default=0.01)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--batch_size", type=int, default=256)
    args = parser.parse_args()

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x_train, y_train = load("train")
    x_val, y_val = load("validation")
    model = build(x_train.shape[1], args.num_layers, args.hidden_units)
    # Raw features range from 0.1 (debt-to-income) to 10^5 (income): standardize them.
    model.mean.copy_(x_train.mean(dim=0))
    model.std.copy_(x_train.std(dim=0).clamp_min(1e-6))
    model = model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.learning_rate)
    loss_fn = nn.BCEWithLogitsLoss()

    start_epoch = 0
    os.makedirs(CHECKPOINTS, exist_ok=True)
    checkpoint_file = os.path.join(CHECKPOINTS, "checkpoint.pt")
    if os.path.exists(checkpoint_file):
        state = torch.load(checkpoint_file, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch = state["epoch"] + 1
        print(f"resuming from epoch {start_epoch}")

    for epoch in range(start_epoch, args.epochs):
        model.train()
        permutation = torch.randperm(len(x_train))
        for i in range(0, len(x_train), args.batch_size):
            batch = permutation[i : i + args.batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(x_train[batch].to(device)), y_train[batch].to(device))
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            scores = torch.sigmoid(model(x_val.to(device))).cpu().numpy().ravel()
        print(f"epoch={epoch} train:loss={loss.item():.4f} validation:auc={auc(y_val.numpy().ravel(), scores):.4f}")
        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, checkpoint_file)

    model_dir = os.environ.get("SM_MODEL_DIR", "/opt/ml/model")
    torch.save({"state_dict": model.state_dict(), "features": x_train.shape[1], "num_layers": args.num_layers, "hidden_units": args.hidden_units}, os.path.join(model_dir, "model.pt"))
    # The serving code travels inside model.tar.gz, where the serving container looks for it.
    code_dir = os.path.join(model_dir, "code")
    os.makedirs(code_dir, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("inference.py", "train.py"):
        shutil.copy(os.path.join(here, name), os.path.join(code_dir, name))


if __name__ == "__main__":
    main()
