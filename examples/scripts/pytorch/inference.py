"""SageMaker PyTorch inference handler for the loan-default MLP.

Accepts text/csv (one row of features per line, no label) or application/json
({"instances": [[...], ...]}). Returns one probability per line for text/csv (so batch
transform can split the response into records and join each to its input row), else
{"predictions": [probability, ...]}.
"""
import json
import os

import numpy as np
import torch

from train import build


def model_fn(model_dir: str):
    saved = torch.load(os.path.join(model_dir, "model.pt"), map_location="cpu")
    model = build(saved["features"], saved["num_layers"], saved["hidden_units"])
    model.load_state_dict(saved["state_dict"])
    model.eval()
    return model


def input_fn(body, content_type: str):
    if content_type == "text/csv":
        text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
        return torch.from_numpy(np.loadtxt(text.splitlines(), delimiter=",", dtype=np.float32, ndmin=2))
    if content_type == "application/json":
        return torch.tensor(json.loads(body)["instances"], dtype=torch.float32)
    raise ValueError(f"unsupported content type {content_type}; send text/csv or application/json")


def predict_fn(data, model):
    with torch.no_grad():
        return torch.sigmoid(model(data)).numpy().ravel().tolist()


def output_fn(predictions, accept: str):
    if accept == "text/csv":
        return "".join(f"{p}\n" for p in predictions), "text/csv"
    return json.dumps({"predictions": predictions}), "application/json"
