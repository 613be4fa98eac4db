"""SageMaker Processing script: evaluates the PyTorch loan-default MLP on the test split.

Runs in the PyTorch inference container with the whole pytorch/ folder as its code (the network
is defined once, in train.py). Reads /opt/ml/processing/model/model.tar.gz and
/opt/ml/processing/test/test.csv (label first, no header) and writes the evaluation report
/opt/ml/processing/evaluation/evaluation.json in the model-metrics format:
    {"binary_classification_metrics": {"auc": {"value": ...}}}
"""
import json
import os
import tarfile

import numpy as np
import torch

from train import build

BASE = "/opt/ml/processing"


def auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve by the rank-sum formula."""
    ranks = np.empty(len(scores))
    ranks[np.argsort(scores)] = np.arange(1, len(scores) + 1)
    positives = labels.sum()
    negatives = len(labels) - positives
    return float((ranks[labels == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def main() -> None:
    with tarfile.open(os.path.join(BASE, "model", "model.tar.gz")) as archive:
        archive.extractall(path="model")
    saved = torch.load(os.path.join("model", "model.pt"), map_location="cpu")
    model = build(saved["features"], saved["num_layers"], saved["hidden_units"])
    model.load_state_dict(saved["state_dict"])
    model.eval()

    test = np.loadtxt(os.path.join(BASE, "test", "test.csv"), delimiter=",", dtype=np.float32, ndmin=2)
    labels, features = test[:, 0], torch.from_numpy(test[:, 1:])
    with torch.no_grad():
        scores = torch.sigmoid(model(features)).numpy().ravel()
    accuracy = float(((scores >= 0.5) == (labels == 1)).mean())
    report = {
        "binary_classification_metrics": {
            "auc": {"value": auc(labels, scores), "standard_deviation": "NaN"},
            "accuracy": {"value": accuracy, "standard_deviation": "NaN"},
        }
    }
    out = os.path.join(BASE, "evaluation")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "evaluation.json"), "w") as handle:
        json.dump(report, handle)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
